// npm run bench: fleetpack next to the tools a workflow would otherwise run,
// on the same input in the same run, reported as ratios. No thresholds here:
// the numbers are for people (and the README), not for a pass/fail.
import { spawn } from 'node:child_process'
import { mkdir, rm, stat } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { generateTree } from './tree.mjs'
import { benchPublish } from './publish.mjs'
import { benchSign } from './sign.mjs'

const root = resolve(import.meta.dirname, '..')
const out = join(root, 'bench/out')
const cli = join(root, 'dist/cli.js')
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)

/** Runs a command, returning wall time (ms), exit code and stderr. */
function timed(command, args, options = {}) {
  return new Promise((done, fail) => {
    const started = process.hrtime.bigint()
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'], ...options })
    let stderr = ''
    child.stderr.on('data', chunk => (stderr += chunk))
    child.on('error', fail)
    child.on('close', code => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6
      if (code !== 0) fail(new Error(`${command} ${args.join(' ')} exited ${code}: ${stderr}`))
      else done({ ms, stderr })
    })
  })
}

const median = values => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
const mb = bytes => (bytes / 1024 / 1024).toFixed(1)

// Reports the peak RSS of the fleetpack process itself from inside it.
const RSS_PROBE =
  "data:text/javascript,process.on('exit',()=>process.stderr.write('maxrss_kb='+process.resourceUsage().maxRSS+'\\n'))"

async function benchBuild() {
  const files = Number(process.env.BENCH_FILES ?? 20_000)
  const totalBytes = Number(process.env.BENCH_MB ?? 300) * 1024 * 1024
  const tree = join(out, `tree-${files}`)
  process.stderr.write(`bench: generating ${files} files / ${mb(totalBytes)} MB in ${tree}\n`)
  await generateTree(tree, { files, totalBytes })

  const fleetpackTimes = []
  const tarTimes = []
  const rss = []
  let sizes = {}
  for (let round = 1; round <= ROUNDS; round++) {
    process.stderr.write(`bench: build round ${round}/${ROUNDS}\n`)
    const tarOut = join(out, 'tar.tgz')
    const tar = await timed('sh', [
      '-c',
      `tar --sort=name -cf - -C "$1" . | gzip -6 > "$2"`,
      'sh',
      tree,
      tarOut
    ])
    tarTimes.push(tar.ms)

    const fpOut = join(out, 'fleetpack.tgz')
    const fp = await timed(process.execPath, [
      '--import',
      RSS_PROBE,
      cli,
      'build',
      tree,
      '-o',
      fpOut,
      '--repository-root',
      tree
    ])
    fleetpackTimes.push(fp.ms)
    rss.push(Number(/maxrss_kb=(\d+)/.exec(fp.stderr)?.[1] ?? NaN) * 1024)
    sizes = { tar: (await stat(tarOut)).size, fleetpack: (await stat(fpOut)).size }
  }
  const fpMs = median(fleetpackTimes)
  const tarMs = median(tarTimes)
  return {
    name: `build: ${files} files / ${mb(totalBytes)} MB`,
    rows: [
      [
        'fleetpack build',
        `${(fpMs / 1000).toFixed(2)} s`,
        `${mb(Math.max(...rss))} MB peak RSS`,
        `${mb(sizes.fleetpack)} MB layer`
      ],
      ['tar --sort=name | gzip -6', `${(tarMs / 1000).toFixed(2)} s`, '', `${mb(sizes.tar)} MB`]
    ],
    ratio: fpMs / tarMs,
    ratioLabel: 'fleetpack / tar | gzip',
    target: 'ratio <= 1.2, peak RSS < 200 MB',
    peakRss: Math.max(...rss)
  }
}

await mkdir(out, { recursive: true })
const only = process.env.BENCH_ONLY
const results = []
if (!only || only === 'build') results.push(await benchBuild())
if (!only || only === 'publish') results.push(await benchPublish(out))
if (!only || only === 'sign') results.push(await benchSign(out))
await rm(join(out, 'tar.tgz'), { force: true })
await rm(join(out, 'fleetpack.tgz'), { force: true })

console.log(
  `\nfleetpack benchmark (${ROUNDS} rounds, medians; node ${process.version}, ${(await import('node:os')).cpus().length} cores)\n`
)
for (const result of results) {
  console.log(`## ${result.name}`)
  for (const row of result.rows)
    console.log(`  ${row[0].padEnd(28)} ${row.slice(1).filter(Boolean).join('  ')}`)
  console.log(
    `  ratio fleetpack / reference: ${result.ratio.toFixed(2)}x   (target: ${result.target})\n`
  )
}
