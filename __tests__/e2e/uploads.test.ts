import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import { join } from 'node:path'
import { startProxy, type CountingProxy } from '../../scripts/lib/proxy.js'
import {
  startGgcrRegistry,
  startRegistryProcess,
  type RegistryProcess
} from '../../scripts/lib/registry.js'
import { ORACLE_DIR } from '../support/flux-oracle.js'
import { minimalEnv, runCli } from '../support/runner.js'
import { runTool, tool } from '../support/tools.js'
import { removeTempDirs, tempDir, writeTree } from '../support/tree.js'

/**
 * How many requests a publish costs, against two real registry
 * implementations: CNCF distribution 2.8 (no single-POST uploads, like
 * Docker Hub, Harbor and GitLab) and go-containerregistry's registry (which
 * stores a blob sent in one POST). Behind a distant registry every request
 * is a round trip, so these counts are the publish time of a fleet.
 */

const sha256 = (data: string | Buffer) =>
  `sha256:${createHash('sha256').update(data).digest('hex')}`

interface Artifact {
  component: string
  repository: string
  digest: string
  pushed: boolean
}

let workspace: string
beforeAll(async () => {
  workspace = await tempDir()
  await writeTree(workspace, {
    'apps/podinfo/deploy.yaml': 'kind: Deployment\nmetadata: {name: podinfo}\n',
    'apps/podinfo/service.yaml': 'kind: Service\nmetadata: {name: podinfo}\n',
    'infra/cert-manager/release.yaml': 'kind: HelmRelease\nmetadata: {name: cert-manager}\n',
    'infra/ingress/release.yaml': 'kind: HelmRelease\nmetadata: {name: ingress-nginx}\n'
  })
})
afterAll(removeTempDirs)

const COMPONENTS = ['apps/podinfo', 'infra/cert-manager', 'infra/ingress']

async function publishThrough(proxy: CountingProxy): Promise<Artifact[]> {
  const result = await runCli(
    [
      'publish',
      ...COMPONENTS,
      '--repository',
      `${proxy.host}/fleet/{name}`,
      '--tag',
      'latest',
      '--diff-tag',
      'latest'
    ],
    { cwd: workspace, env: minimalEnv({ SOURCE_DATE_EPOCH: '1700000000' }) }
  )
  expect(result.stderr).not.toMatch(/error/i)
  expect(result.code).toBe(0)
  return JSON.parse(result.stdout) as Artifact[]
}

/** The requests of one component, as "METHOD path-with-session-ids-folded". */
function requestsOf(proxy: CountingProxy, component: string): string[] {
  return proxy.requests
    .filter(r => r.path.startsWith(`/v2/fleet/${component}/`))
    .map(r => {
      const shown = r.path
        .replace(`/v2/fleet/${component}`, '')
        .replace(/\/uploads\/[^/]+$/, '/uploads/<session>')
        .replace(/sha256:[0-9a-f]{64}/, '<digest>')
      const digest =
        r.method === 'POST' && new URLSearchParams(r.query).has('digest') ? '?digest' : ''
      return `${r.method} ${shown}${digest} ${r.status}`
    })
    .sort()
}

async function readBack(host: string, artifact: Artifact): Promise<void> {
  const name = artifact.repository.split('/').slice(1).join('/')
  const raw = await runTool('skopeo', [
    'inspect',
    '--raw',
    '--tls-verify=false',
    `docker://${host}/${name}:latest`
  ])
  expect(sha256(raw.stdout)).toBe(artifact.digest)
  const manifest = JSON.parse(raw.stdout) as { layers: { digest: string }[] }
  const layer = manifest.layers[0]?.digest as string
  const out = join(await tempDir(), 'layer.tgz')
  await runTool('oras', [
    'blob',
    'fetch',
    '--plain-http',
    `${host}/${name}@${layer}`,
    '--output',
    out
  ])
  const { readFile } = await import('node:fs/promises')
  expect(sha256(await readFile(out))).toBe(layer)
}

describe('a registry without single-POST uploads (CNCF distribution 2.8)', () => {
  let registry: RegistryProcess
  let proxy: CountingProxy
  beforeAll(async () => {
    registry = await startRegistryProcess(tool('docker-registry'))
    proxy = await startProxy(registry.host)
  })
  afterAll(async () => {
    await proxy?.stop()
    await registry?.stop()
  })

  it('costs 6 requests per new component: no HEAD, no manifest by digest, the single POST tried once', async () => {
    const artifacts = await publishThrough(proxy)
    const perComponent = artifacts.map(a => requestsOf(proxy, a.component))
    // One component was the registry's probe: its config went in a POST with
    // ?digest= that distribution answered with an upload session (202).
    const probes = proxy.requests.filter(r => r.method === 'POST' && r.query.includes('digest='))
    expect(probes).toHaveLength(1)
    expect(probes[0]?.status).toBe(202)
    for (const requests of perComponent) {
      expect(requests.filter(r => !r.startsWith('POST /blobs/uploads/?digest'))).toEqual(
        [
          'GET /manifests/latest 404',
          'POST /blobs/uploads/ 202',
          'PUT /blobs/uploads/<session> 201',
          'PUT /blobs/uploads/<session> 201',
          'PUT /manifests/latest 201',
          ...(requests.some(r => r.startsWith('POST /blobs/uploads/?digest'))
            ? []
            : ['POST /blobs/uploads/ 202'])
        ].sort()
      )
      expect(requests).toHaveLength(6)
    }
    for (const artifact of artifacts) await readBack(registry.host, artifact)
  })
})

describe('a registry with single-POST uploads (go-containerregistry)', () => {
  let registry: RegistryProcess
  let proxy: CountingProxy
  beforeAll(async () => {
    registry = await startGgcrRegistry(join(ORACLE_DIR, 'bin/ggcr-registry'))
    proxy = await startProxy(registry.host)
  })
  afterAll(async () => {
    await proxy?.stop()
    await registry?.stop()
  })

  it('costs 4 requests per new component: each blob in one POST', async () => {
    const artifacts = await publishThrough(proxy)
    for (const artifact of artifacts) {
      expect(requestsOf(proxy, artifact.component)).toEqual(
        [
          'GET /manifests/latest 404',
          'POST /blobs/uploads/?digest 201',
          'POST /blobs/uploads/?digest 201',
          'PUT /manifests/latest 201'
        ].sort()
      )
    }
    for (const artifact of artifacts) await readBack(registry.host, artifact)
  })

  it('proves an unchanged fleet in 4 requests per component, uploading nothing', async () => {
    proxy.reset()
    const artifacts = await publishThrough(proxy)
    expect(artifacts.map(a => a.pushed)).toEqual([false, false, false])
    expect(proxy.requests.filter(r => r.method === 'POST')).toHaveLength(0)
    // The diff-tag, the config (its diffID), the layer (downloaded and hashed:
    // an unsigned artifact's only proof), and the tag put again on the proven digest.
    for (const artifact of artifacts) {
      expect(requestsOf(proxy, artifact.component)).toEqual(
        [
          'GET /manifests/latest 200',
          'GET /blobs/<digest> 200',
          'GET /blobs/<digest> 200',
          'PUT /manifests/latest 201'
        ].sort()
      )
    }
  })
})
