// The publish benchmark: 50 components (~100 files / 1 MB each) pushed to a
// local docker-registry by fleetpack (one process, components in parallel)
// and by the loop a workflow would otherwise run (one `oras push` per
// component; oras tars and gzips the directory itself), directly and through
// a proxy that adds 25 or 100 ms to every request, as a registry across the
// internet; against CNCF distribution 2.8 (Debian's docker-registry, no
// single-POST uploads) and go-containerregistry's registry (which has them).
import { run } from './lib.mjs'
import { mkdir, writeFile, mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { generateTree } from './tree.mjs'
import { startGgcrRegistry, startRegistryProcess } from '../scripts/lib/registry.ts'
import { startProxy } from '../scripts/lib/proxy.ts'

const root = resolve(import.meta.dirname, '..')
const tools = join(process.env.FLEETPACK_TOOLS_DIR ?? join(root, '.cache/test-tools'), 'bin')
const COMPONENTS = Number(process.env.BENCH_COMPONENTS ?? 50)
const LATENCY_MS = 25
const FAR_LATENCY_MS = 100
const oracleBin = join(process.env.FLEETPACK_ORACLE_DIR ?? join(root, '.cache/flux-oracle'), 'bin')
const REGISTRIES = {
  distribution: () => startRegistryProcess(join(tools, 'docker-registry')),
  ggcr: () => startGgcrRegistry(join(oracleBin, 'ggcr-registry'))
}

async function components(base) {
  const names = []
  for (let i = 0; i < COMPONENTS; i++) {
    const name = `component-${String(i).padStart(2, '0')}`
    await generateTree(join(base, name), {
      files: 100,
      totalBytes: 1024 * 1024,
      perDir: 100,
      seed: 1000 + i
    })
    names.push(name)
  }
  await writeFile(join(base, 'config.json'), '{}')
  return names
}

async function fleetpack(base, names, host, { concurrency = 8 } = {}) {
  const args = [
    join(root, 'dist/cli.js'),
    'publish',
    ...names,
    '--repository',
    `${host}/bench/fleetpack/{name}`,
    '--tag',
    'latest',
    '--diff-tag',
    'latest',
    '--concurrency',
    String(concurrency)
  ]
  const result = await run(process.execPath, args, { cwd: base })
  const artifacts = JSON.parse(result.stdout)
  return { ms: result.ms, pushed: artifacts.filter(a => a.pushed).length }
}

async function orasLoop(base, names, host) {
  const home = await mkdtemp(join(tmpdir(), 'oras-home-'))
  const started = process.hrtime.bigint()
  for (const name of names) {
    await run(
      join(tools, 'oras'),
      [
        'push',
        '--plain-http',
        `${host}/bench/oras/${name}:latest`,
        '--config',
        'config.json:application/vnd.cncf.flux.config.v1+json',
        `${name}:application/vnd.cncf.flux.content.v1.tar+gzip`
      ],
      { cwd: base, env: { PATH: process.env.PATH, HOME: home } }
    )
  }
  return { ms: Number(process.hrtime.bigint() - started) / 1e6 }
}

/** Runs `fn` against a fresh registry, optionally behind the latency proxy, counting requests. */
async function withRegistry(latencyMs, fn, kind = 'distribution') {
  const registry = await REGISTRIES[kind]()
  const proxy = await startProxy(registry.host, { latencyMs })
  try {
    return await fn(proxy)
  } finally {
    await proxy.stop()
    await registry.stop()
  }
}

const uploadsIn = requests =>
  requests.filter(r => r.method === 'POST' && r.path.endsWith('/blobs/uploads/')).length

export async function benchPublish(out) {
  const base = join(out, `components-${COMPONENTS}`)
  await mkdir(base, { recursive: true })
  process.stderr.write(`bench: ${COMPONENTS} components of 100 files / 1 MB in ${base}\n`)
  const names = await components(base)
  const rows = []
  const results = {}

  const cases = [
    { kind: 'distribution', latency: 0 },
    { kind: 'distribution', latency: LATENCY_MS },
    { kind: 'distribution', latency: FAR_LATENCY_MS },
    { kind: 'ggcr', latency: LATENCY_MS }
  ]
  for (const { kind, latency } of cases) {
    const label = `${kind}, ${latency === 0 ? 'direct' : `+${latency} ms per request`}`
    process.stderr.write(`bench: publish ${label}\n`)
    const fp = await withRegistry(
      latency,
      async proxy => {
        const first = await fleetpack(base, names, proxy.host)
        const requests = proxy.requests.length
        proxy.reset()
        const rerun = await fleetpack(base, names, proxy.host)
        return {
          ...first,
          requests,
          rerunMs: rerun.ms,
          rerunPushed: rerun.pushed,
          rerunUploads: uploadsIn(proxy.requests),
          rerunRequests: proxy.requests.length
        }
      },
      kind
    )
    const oras = await withRegistry(
      latency,
      async proxy => ({
        ...(await orasLoop(base, names, proxy.host)),
        requests: proxy.requests.length
      }),
      kind
    )
    results[`${kind} ${latency}`] = { fp, oras }
    rows.push([
      `fleetpack publish (${label})`,
      `${(fp.ms / 1000).toFixed(2)} s`,
      `${(fp.requests / COMPONENTS).toFixed(1)} requests/component`
    ])
    rows.push([
      `oras push loop (${label})`,
      `${(oras.ms / 1000).toFixed(2)} s`,
      `${(oras.requests / COMPONENTS).toFixed(1)} requests/component`
    ])
    rows.push([`  ratio`, `${(fp.ms / oras.ms).toFixed(2)}x`, ''])
    rows.push([
      `fleetpack unchanged rerun (${label})`,
      `${(fp.rerunMs / 1000).toFixed(2)} s`,
      `${fp.rerunUploads} blob uploads, ${fp.rerunPushed} pushed, ${(fp.rerunRequests / COMPONENTS).toFixed(1)} requests/component`
    ])
  }

  process.stderr.write('bench: concurrency sweep\n')
  const sweep = []
  for (const concurrency of [1, 4, 8, 16, 32]) {
    const { ms } = await withRegistry(LATENCY_MS, proxy =>
      fleetpack(base, names, proxy.host, { concurrency })
    )
    sweep.push(`${concurrency}: ${(ms / 1000).toFixed(2)} s`)
  }
  rows.push([`fleetpack concurrency (+${LATENCY_MS} ms)`, sweep.join(', '), ''])

  const behindProxy = results[`distribution ${LATENCY_MS}`]
  return {
    name: `publish: ${COMPONENTS} components, local docker-registry`,
    rows,
    ratio: behindProxy.fp.ms / behindProxy.oras.ms,
    ratioLabel: `fleetpack / oras loop, distribution behind the ${LATENCY_MS} ms proxy`,
    target: 'ratio <= 0.20 with <= 5 requests/component; an unchanged rerun uploads 0 blobs'
  }
}
