import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
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

describe('a runner killed mid-step (SIGKILL at random moments, 20 times)', () => {
  it('never leaves a tag on an unsigned digest or a manifest with missing blobs, and a rerun completes', async () => {
    const workspace = await tempDir('crash-')
    const components = ['podinfo', 'redis', 'nginx']
    const repositories = components.map(c => `crash/${c}`)
    let state = 12345
    const random = () => {
      state = (state * 1103515245 + 12345) % 2 ** 31
      return state / 2 ** 31
    }
    const problems: string[] = []
    let seen = 0
    let watching = true
    const watcher = (async () => {
      while (watching) {
        const found = await unsafeTags(repositories)
        seen += found.seen
        problems.push(...found.problems)
        await new Promise(resolve => setTimeout(resolve, 10))
      }
    })()

    const inputs = {
      paths: 'apps/*',
      repository: `${registry.host}/crash/{name}`,
      tags: 'latest,stable',
      ...signing(stack.url)
    }
    let killedMidway = 0
    try {
      for (let round = 0; round < 20; round++) {
        // New content each round, so every run has building, uploading and signing to do.
        for (const c of components)
          await writeFile(
            join(workspace, `apps/${c}/deploy.yaml`),
            `kind: Deployment # ${c} round ${round}\n`
          ).catch(async () => {
            await writeTree(workspace, {
              [`apps/${c}/deploy.yaml`]: `kind: Deployment # ${c} round ${round}\n`
            })
          })
        const { child, done } = await startAction(inputs, { workspace, env: stack.runnerEnv() })
        const delay = Math.floor(random() * 1200)
        const timer = setTimeout(() => child.kill('SIGKILL'), delay)
        const interrupted = await done
        clearTimeout(timer)
        if (interrupted.code === null) killedMidway++
        const rerun = await runAction(inputs, { workspace, env: stack.runnerEnv() })
        expect(rerun.stdout.match(/::error::.*/)?.[0]).toBeUndefined()
        expect(rerun.code).toBe(0)
        const artifacts = JSON.parse(rerun.outputs.artifacts ?? '[]') as { signed: boolean }[]
        expect(artifacts.every(a => a.signed)).toBe(true)
      }
    } finally {
      watching = false
      await watcher
    }
    console.log(
      `crashes: ${killedMidway} of 20 runs killed mid-step; ${seen} tag observations, ${new Set(problems).size} unsafe`
    )
    expect(killedMidway).toBeGreaterThanOrEqual(10)
    expect(seen).toBeGreaterThan(0)
    expect([...new Set(problems)]).toEqual([])
  }, 240_000)
})
