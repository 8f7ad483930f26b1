// The signing benchmark: the 50 components of the publish benchmark signed
// keylessly by fleetpack (one run, one certificate) and, in the same run, the
// same 50 digests signed the way workflows do today: one `cosign sign` per
// digest, against the same local Sigstore stack, counting the requests each
// makes to Fulcio, Rekor and the token endpoint.
import { spawn } from 'node:child_process'
import { run } from './lib.mjs'
import { mkdir, mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { startRegistryProcess } from '../scripts/lib/registry.ts'

const root = resolve(import.meta.dirname, '..')
const tools = join(process.env.FLEETPACK_TOOLS_DIR ?? join(root, '.cache/test-tools'), 'bin')

async function startStack() {
  const dir = await mkdtemp(join(tmpdir(), 'bench-sigstore-'))
  const child = spawn(process.execPath, [join(root, 'scripts/lib/sigstore-stack.ts'), dir], {
    stdio: ['ignore', 'pipe', 'inherit']
  })
  const url = await new Promise((done, fail) => {
    let out = ''
    child.stdout.on('data', chunk => {
      out += chunk
      const match = /ready (\S+)/.exec(out)
      if (match) done(match[1])
    })
    child.on('exit', code => fail(new Error(`stack exited ${code}`)))
  })
  const call = async (path, method = 'GET') => (await fetch(`${url}${path}`, { method })).text()
  return {
    url,
    dir,
    token: () => call('/_test/token?aud=sigstore'),
    counters: async () => JSON.parse(await call('/_test/counters')),
    reset: () => call('/_test/reset', 'POST'),
    stop: () => child.kill('SIGTERM')
  }
}

export async function benchSign(out) {
  const base = join(out, 'components-50')
  const names = Array.from({ length: 50 }, (_, i) => `component-${String(i).padStart(2, '0')}`)
  const stack = await startStack()
  const registry = await startRegistryProcess(join(tools, 'docker-registry'))
  try {
    process.stderr.write('bench: sign: pushing the 50 components unsigned\n')
    const cli = join(root, 'dist/cli.js')
    const repository = `${registry.host}/bench/signed/{name}`
    const pushed = await run(
      process.execPath,
      [cli, 'publish', ...names, '--repository', repository, '--diff-tag', 'latest'],
      { cwd: base }
    )
    const artifacts = JSON.parse(pushed.stdout)

    process.stderr.write('bench: sign: fleetpack\n')
    await stack.reset()
    const token = await stack.token()
    const fp = await run(
      process.execPath,
      [
        ...(process.env.BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof5'] : []),
        cli,
        'publish',
        ...names,
        '--repository',
        repository,
        '--diff-tag',
        'latest',
        '--sign',
        'keyless',
        '--fulcio-url',
        stack.url,
        '--rekor-url',
        stack.url,
        '--trusted-root',
        join(stack.dir, 'trusted_root.json')
      ],
      { cwd: base, env: { ...process.env, SIGSTORE_ID_TOKEN: token } }
    )
    const signed = JSON.parse(fp.stdout).filter(a => a.signed).length
    const fpCounters = await stack.counters()

    process.stderr.write('bench: sign: cosign sign loop\n')
    await stack.reset()
    const home = await mkdtemp(join(tmpdir(), 'cosign-home-'))
    await mkdir(join(home, '.docker'), { recursive: true })
    const env = {
      PATH: process.env.PATH,
      HOME: home,
      DOCKER_CONFIG: join(home, '.docker'),
      TUF_ROOT: join(home, 'tuf'),
      SIGSTORE_CT_LOG_PUBLIC_KEY_FILE: join(stack.dir, 'ctlog-pub.pem'),
      HTTPS_PROXY: 'http://127.0.0.1:9'
    }
    const started = process.hrtime.bigint()
    for (const artifact of artifacts) {
      // What a workflow step does per digest (sigstore/cosign-installer + cosign sign).
      const identityToken = await stack.token()
      await run(
        join(tools, 'cosign'),
        [
          'sign',
          '--yes',
          '--fulcio-url',
          stack.url,
          '--rekor-url',
          stack.url,
          '--identity-token',
          identityToken,
          `${artifact.repository}@${artifact.digest}`
        ],
        { env }
      )
    }
    const cosignMs = Number(process.hrtime.bigint() - started) / 1e6
    const cosignCounters = await stack.counters()
    const requests = c => `Fulcio ${c.fulcio}, Rekor ${c.rekor}, tokens ${c.idtoken + c.token}`
    return {
      name: `sign: ${artifacts.length} digests, keyless, local Sigstore stack`,
      rows: [
        [
          'fleetpack (one run)',
          `${(fp.ms / 1000).toFixed(2)} s`,
          `${signed} signed; ${requests(fpCounters)}`
        ],
        ['cosign sign loop (2.5)', `${(cosignMs / 1000).toFixed(2)} s`, requests(cosignCounters)]
      ],
      ratio: fp.ms / cosignMs,
      ratioLabel: 'fleetpack / cosign loop',
      target: 'ratio <= 0.2, one Fulcio request per run'
    }
  } finally {
    stack.stop()
    await registry.stop()
  }
}
