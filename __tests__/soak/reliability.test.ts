import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startProxy, type CountingProxy } from '../../scripts/lib/proxy.js'
import { startRegistry, type TestRegistry } from '../support/registry.js'
import { runAction, startAction } from '../support/runner.js'
import { startSigstoreStack, type SigstoreStack } from '../support/sigstore.js'
import { removeTempDirs, tempDir, writeTree } from '../support/tree.js'

/**
 * What a fleet's deployments depend on when things go wrong: faults from the
 * registry and Sigstore, and a runner cancelled mid-step.
 */

let stack: SigstoreStack
let registry: TestRegistry

beforeAll(async () => {
  ;[stack, registry] = await Promise.all([startSigstoreStack(), startRegistry('none')])
})
afterAll(async () => {
  await Promise.all([stack?.stop(), registry?.stop()])
  await removeTempDirs()
})

const accept = { accept: 'application/vnd.oci.image.manifest.v1+json' }

/**
 * Reads every tag of the repositories; returns the tags that point at a
 * manifest without a signature or with a missing blob.
 */
async function unsafeTags(repositories: string[]): Promise<{ seen: number; problems: string[] }> {
  const base = `http://${registry.host}/v2`
  const problems: string[] = []
  let seen = 0
  for (const repository of repositories) {
    const list = await fetch(`${base}/${repository}/tags/list`)
    if (!list.ok) continue
    for (const tag of ((await list.json()) as { tags?: string[] }).tags ?? []) {
      if (tag.endsWith('.sig')) continue
      const manifest = await fetch(`${base}/${repository}/manifests/${tag}`, { headers: accept })
      if (!manifest.ok) continue
      seen++
      const digest = manifest.headers.get('docker-content-digest') as string
      const body = (await manifest.json()) as {
        config: { digest: string }
        layers: { digest: string }[]
      }
      for (const blob of [body.config, ...body.layers]) {
        const head = await fetch(`${base}/${repository}/blobs/${blob.digest}`, { method: 'HEAD' })
        if (head.status !== 200)
          problems.push(`${repository}:${tag} -> ${digest} misses blob ${blob.digest}`)
      }
      const sig = await fetch(`${base}/${repository}/manifests/${digest.replace(':', '-')}.sig`, {
        method: 'HEAD',
        headers: accept
      })
      if (sig.status !== 200) problems.push(`${repository}:${tag} -> ${digest} is unsigned`)
    }
  }
  return { seen, problems }
}

function signing(fulcioRekor: string) {
  return {
    sign: 'keyless',
    'fulcio-url': fulcioRekor,
    'rekor-url': fulcioRekor,
    'trusted-root': stack.trustedRoot,
    'diff-tag': 'latest'
  }
}

describe('at 20% faults from the registry, Fulcio and Rekor', () => {
  let registryProxy: CountingProxy
  let stackProxy: CountingProxy
  beforeAll(async () => {
    registryProxy = await startProxy(registry.host, { faults: { rate: 0.2, seed: 7 } })
    stackProxy = await startProxy(stack.url.replace('http://', ''), {
      faults: { rate: 0.2, seed: 11 }
    })
  })
  afterAll(async () => {
    await Promise.all([registryProxy?.stop(), stackProxy?.stop()])
  })

  it('publishes and signs 20 components completely, with correct outputs and no duplicated signature', async () => {
    const workspace = await tempDir('faults-')
    const components = Array.from({ length: 20 }, (_, i) => `c${String(i).padStart(2, '0')}`)
    await writeTree(
      workspace,
      Object.fromEntries(
        components.map(c => [`apps/${c}/deploy.yaml`, `kind: Deployment # ${c}\n`])
      )
    )
    const runnerEnv = stack.runnerEnv()
    const env = {
      ...runnerEnv,
      ACTIONS_ID_TOKEN_REQUEST_URL: (runnerEnv.ACTIONS_ID_TOKEN_REQUEST_URL as string).replace(
        stack.url,
        `http://${stackProxy.host}`
      )
    }
    const run = await runAction(
      {
        paths: 'apps/*',
        repository: `${registryProxy.host}/faulty/{name}`,
        ...signing(`http://${stackProxy.host}`)
      },
      { workspace, env }
    )
    expect(run.stdout.match(/::error::.*/)?.[0]).toBeUndefined()
    expect(run.code).toBe(0)

    const injected = (p: CountingProxy) => Object.values(p.faults).reduce((a, b) => a + b, 0)
    console.log(
      `faults: registry ${injected(registryProxy)} of ${registryProxy.requests.length + injected(registryProxy)} requests ${JSON.stringify(registryProxy.faults)}; ` +
        `Sigstore ${injected(stackProxy)} of ${stackProxy.requests.length + injected(stackProxy)} ${JSON.stringify(stackProxy.faults)}`
    )
    expect(injected(registryProxy)).toBeGreaterThan(10)
    expect(injected(stackProxy)).toBeGreaterThan(2)
    for (const kind of ['500', '502', '503', '429', 'reset', 'slow'])
      expect(registryProxy.faults[kind]).toBeGreaterThan(0)

    const artifacts = JSON.parse(run.outputs.artifacts ?? '[]') as {
      component: string
      digest: string
      signed: boolean
    }[]
    expect(artifacts.map(a => a.component)).toEqual(components)
    for (const artifact of artifacts) {
      expect(artifact.signed).toBe(true)
      const base = `http://${registry.host}/v2/faulty/${artifact.component}`
      const tagged = await fetch(`${base}/manifests/latest`, { method: 'HEAD', headers: accept })
      expect(tagged.headers.get('docker-content-digest')).toBe(artifact.digest)
      const sig = (await (
        await fetch(`${base}/manifests/${artifact.digest.replace(':', '-')}.sig`, {
          headers: accept
        })
      ).json()) as {
        layers: unknown[]
      }
      expect(sig.layers).toHaveLength(1)
    }
    const { problems } = await unsafeTags(components.map(c => `faulty/${c}`))
    expect(problems).toEqual([])
  })
})

/**
 * Where a run is killed: the Nth request of one kind, as it arrives at (or
 * comes back from) the registry or the Sigstore stack. Every run publishes
 * new content for 3 components with 2 tags each, so each point is reached in
 * every run: the kill lands mid-step by construction, not by timing.
 */
interface KillPoint {
  name: string
  at: 'registry' | 'sigstore'
  phase: 'request' | 'response'
  method: string
  path: RegExp
  nth: number
}
const point = (
  name: string,
  at: KillPoint['at'],
  phase: KillPoint['phase'],
  method: string,
  path: RegExp,
  nth = 1
): KillPoint => ({ name, at, phase, method, path, nth })
const TAG = /\/manifests\/(latest|stable)$/
const SIG = /\/manifests\/sha256-[0-9a-f]{64}\.sig$/
const KILL_POINTS: KillPoint[] = [
  point('reading the diff tag', 'registry', 'request', 'GET', /\/manifests\/latest$/),
  point('starting the first blob upload', 'registry', 'request', 'POST', /\/blobs\/uploads\/$/),
  point('after the first blob is stored', 'registry', 'response', 'PUT', /\/blobs\/uploads\//),
  point('after the third blob is stored', 'registry', 'response', 'PUT', /\/blobs\/uploads\//, 3),
  point('sending the first manifest', 'registry', 'request', 'PUT', /\/manifests\/sha256:/),
  point(
    'after the first manifest is stored',
    'registry',
    'response',
    'PUT',
    /\/manifests\/sha256:/
  ),
  point(
    'after the last manifest is stored',
    'registry',
    'response',
    'PUT',
    /\/manifests\/sha256:/,
    3
  ),
  point('asking for the OIDC token', 'sigstore', 'request', 'GET', /^\/actions\/idtoken$/),
  point(
    'asking Fulcio for the certificate',
    'sigstore',
    'request',
    'POST',
    /^\/api\/v2\/signingCert$/
  ),
  point(
    'after Fulcio issued the certificate',
    'sigstore',
    'response',
    'POST',
    /^\/api\/v2\/signingCert$/
  ),
  point(
    'sending the first Rekor entry',
    'sigstore',
    'request',
    'POST',
    /^\/api\/v1\/log\/entries$/
  ),
  point(
    'after the first Rekor entry is logged',
    'sigstore',
    'response',
    'POST',
    /^\/api\/v1\/log\/entries$/
  ),
  point(
    'after the second Rekor entry is logged',
    'sigstore',
    'response',
    'POST',
    /^\/api\/v1\/log\/entries$/,
    2
  ),
  point('writing the first signature', 'registry', 'request', 'PUT', SIG),
  point('after the first signature is stored', 'registry', 'response', 'PUT', SIG),
  point('reading the first signature back', 'registry', 'response', 'GET', SIG, 1),
  point('after the last signature is stored', 'registry', 'response', 'PUT', SIG, 3),
  point('moving the first tag', 'registry', 'request', 'PUT', TAG),
  point('after the first tag moved', 'registry', 'response', 'PUT', TAG),
  point('moving the last tag', 'registry', 'request', 'PUT', TAG, 6)
]

describe('a runner killed mid-step (SIGKILL at 20 observed points of a run)', () => {
  let registryProxy: CountingProxy
  let stackProxy: CountingProxy
  /** The point armed for the current round, its count so far, and the run to kill. */
  let armed: { point: KillPoint; seen: number; kill: () => Promise<void> } | undefined
  const hits: string[] = []

  function tapFor(at: KillPoint['at']) {
    return async (event: { phase: string; method: string; path: string }) => {
      const target = armed
      if (!target || target.point.at !== at) return 'continue' as const
      const { point } = target
      if (event.phase !== point.phase || event.method !== point.method) return 'continue' as const
      if (!point.path.test(event.path) || ++target.seen !== point.nth) return 'continue' as const
      armed = undefined
      hits.push(point.name)
      await target.kill()
      return 'drop' as const
    }
  }

  beforeAll(async () => {
    registryProxy = await startProxy(registry.host, { tap: tapFor('registry') })
    stackProxy = await startProxy(stack.url.replace('http://', ''), { tap: tapFor('sigstore') })
  })
  afterAll(async () => {
    await Promise.all([registryProxy?.stop(), stackProxy?.stop()])
  })

  it('never leaves a tag on an unsigned digest or a manifest with missing blobs, and a rerun completes', async () => {
    const workspace = await tempDir('crash-')
    const components = ['podinfo', 'redis', 'nginx']
    const repositories = components.map(c => `crash/${c}`)
    const problems: string[] = []
    let seen = 0
    let watching = true
    const watch = async () => {
      const found = await unsafeTags(repositories)
      seen += found.seen
      problems.push(...found.problems)
    }
    const watcher = (async () => {
      while (watching) {
        await watch()
        await new Promise(resolve => setTimeout(resolve, 10))
      }
    })()

    const stackUrl = `http://${stackProxy.host}`
    const runnerEnv = stack.runnerEnv()
    const env = {
      ...runnerEnv,
      ACTIONS_ID_TOKEN_REQUEST_URL: (runnerEnv.ACTIONS_ID_TOKEN_REQUEST_URL as string).replace(
        stack.url,
        stackUrl
      )
    }
    const inputs = {
      paths: 'apps/*',
      repository: `${registryProxy.host}/crash/{name}`,
      tags: 'latest,stable',
      ...signing(stackUrl)
    }
    const killed: string[] = []
    try {
      for (const [round, point] of KILL_POINTS.entries()) {
        // New content each round, so every run has building, uploading and signing to do.
        await writeTree(
          workspace,
          Object.fromEntries(
            components.map(c => [
              `apps/${c}/deploy.yaml`,
              `kind: Deployment # ${c} round ${round}\n`
            ])
          )
        )
        const { child, done } = await startAction(inputs, { workspace, env })
        armed = {
          point,
          seen: 0,
          kill: async () => {
            const exited = new Promise(resolve => child.once('exit', resolve))
            child.kill('SIGKILL')
            await exited
          }
        }
        const interrupted = await done
        armed = undefined
        if (interrupted.code === null && interrupted.signal === 'SIGKILL') killed.push(point.name)
        else
          throw new Error(
            `round ${round}: the run ended (${interrupted.code}) before "${point.name}":\n${interrupted.stdout}`
          )
        const rerun = await runAction(inputs, { workspace, env })
        expect(rerun.stdout.match(/::error::.*/)?.[0]).toBeUndefined()
        expect(rerun.code).toBe(0)
        const artifacts = JSON.parse(rerun.outputs.artifacts ?? '[]') as { signed: boolean }[]
        expect(artifacts.every(a => a.signed)).toBe(true)
      }
    } finally {
      watching = false
      await watcher
    }
    // One more look after the last rerun, whatever the watcher's timing was.
    await watch()
    console.log(
      `crashes: ${killed.length} of ${KILL_POINTS.length} runs killed mid-step; ${seen} tag observations, ${new Set(problems).size} unsafe`
    )
    expect(killed).toEqual(KILL_POINTS.map(p => p.name))
    expect(hits).toEqual(killed)
    expect(seen).toBeGreaterThan(0)
    expect([...new Set(problems)]).toEqual([])
  }, 300_000)
})
