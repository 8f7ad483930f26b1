import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import { execFileSync } from 'node:child_process'
import { readFile, readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { startProxy, type CountingProxy } from '../../scripts/lib/proxy.js'
import {
  startRegistry,
  TEST_PASSWORD,
  TEST_USER,
  type AuthMode,
  type TestRegistry
} from '../support/registry.js'
import { runAction, visibleLog, type ActionRun } from '../support/runner.js'
import { isolatedToolEnv, runTool } from '../support/tools.js'
import { removeTempDirs, tempDir, writeTree } from '../support/tree.js'

afterAll(removeTempDirs)

const sha256 = (bytes: Buffer | string) =>
  `sha256:${createHash('sha256').update(bytes).digest('hex')}`

/** A miniature fleet: three components, with files the ignore rules must drop. */
async function fleetWorkspace(): Promise<string> {
  const workspace = await tempDir('workspace-')
  await writeTree(workspace, {
    'apps/podinfo/deploy.yaml': 'kind: Deployment\n',
    'apps/podinfo/svc.yaml': 'kind: Service\n',
    'apps/podinfo/logo.png': 'dropped by the Flux defaults',
    'infra/cert-manager/release.yaml': 'kind: HelmRelease\n',
    'infra/cert-manager/.sourceignore': 'notes/\n',
    'infra/cert-manager/notes/todo.txt': 'dropped by .sourceignore',
    'fleet/staging/apps.yaml': 'kind: OCIRepository\n'
  })
  return workspace
}

interface Artifact {
  component: string
  path: string
  repository: string
  digest: string
  url: string
  tags: string[]
  pushed: boolean
}

function credentialsFor(auth: AuthMode): Record<string, string> {
  return auth === 'none' ? {} : { username: TEST_USER, password: TEST_PASSWORD }
}

/** skopeo and oras need credentials for htpasswd mode; token mode allows anonymous pull. */
function readerCreds(registry: TestRegistry): string[] {
  return registry.auth === 'htpasswd' ? ['--creds', `${TEST_USER}:${TEST_PASSWORD}`] : []
}

describe.each<AuthMode>(['none', 'htpasswd', 'token'])(
  'publishing to a real registry (auth: %s)',
  auth => {
    let registry: TestRegistry
    let workspace: string
    let first: ActionRun
    let artifacts: Artifact[]

    beforeAll(async () => {
      registry = await startRegistry(auth)
      workspace = await fleetWorkspace()
      first = await runAction(
        {
          paths: 'apps/*\ninfra/cert-manager\nfleet/staging',
          repository: `${registry.host}/fleet/{name}`,
          tags: 'latest, main-01234567',
          'diff-tag': 'latest',
          ...credentialsFor(auth)
        },
        { workspace }
      )
      artifacts = JSON.parse(first.outputs.artifacts ?? '[]') as Artifact[]
    })
    afterAll(async () => registry?.stop())

    it('succeeds and reports every component with its digest, oci:// URL and tags', () => {
      expect(first.stderr).toBe('')
      expect(first.code).toBe(0)
      expect(artifacts.map(a => a.component)).toEqual(['podinfo', 'cert-manager', 'staging'])
      for (const artifact of artifacts) {
        expect(artifact.repository).toBe(`${registry.host}/fleet/${artifact.component}`)
        expect(artifact.digest).toMatch(/^sha256:[0-9a-f]{64}$/)
        expect(artifact.url).toBe(`oci://${artifact.repository}@${artifact.digest}`)
        expect(artifact.tags).toEqual(['latest', 'main-01234567'])
        expect(artifact.pushed).toBe(true)
      }
      expect(first.outputs.digest).toBeUndefined() // only with exactly one component
      for (const artifact of artifacts) expect(first.summary).toContain(artifact.url)
    })

    it('stores manifests whose bytes skopeo and oras read back under the reported digest, by tag and by digest', async () => {
      for (const artifact of artifacts) {
        for (const ref of [
          `${artifact.repository}:latest`,
          `${artifact.repository}:main-01234567`,
          `${artifact.repository}@${artifact.digest}`
        ]) {
          const raw = await runTool('skopeo', [
            'inspect',
            '--raw',
            '--tls-verify=false',
            ...readerCreds(registry),
            `docker://${ref}`
          ])
          expect(sha256(raw.stdout)).toBe(artifact.digest)
        }
        const viaOras = await runTool('oras', [
          'manifest',
          'fetch',
          '--plain-http',
          ...orasCreds(registry),
          `${artifact.repository}:latest`
        ])
        expect(sha256(viaOras.stdout)).toBe(artifact.digest)
      }
    })

    it('writes Flux media types and annotations, and no artifactType', async () => {
      const artifact = artifacts[0] as Artifact
      const raw = await runTool('skopeo', [
        'inspect',
        '--raw',
        '--tls-verify=false',
        ...readerCreds(registry),
        `docker://${artifact.repository}:latest`
      ])
      const manifest = JSON.parse(raw.stdout)
      expect(manifest.mediaType).toBe('application/vnd.oci.image.manifest.v1+json')
      expect(manifest.artifactType).toBeUndefined()
      expect(manifest.config.mediaType).toBe('application/vnd.cncf.flux.config.v1+json')
      expect(manifest.layers).toHaveLength(1)
      expect(manifest.layers[0].mediaType).toBe('application/vnd.cncf.flux.content.v1.tar+gzip')
      expect(manifest.annotations).toMatchObject({
        'org.opencontainers.image.source': 'https://github.com/Org/Fleet',
        'org.opencontainers.image.revision': 'main@sha1:0123456789abcdef0123456789abcdef01234567'
      })
      expect(manifest.annotations['org.opencontainers.image.created']).toMatch(
        /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/
      )
    })

    it('holds a layer that extracts to the source files minus the ignored ones', async () => {
      const env = await isolatedToolEnv()
      for (const [component, expected] of [
        ['podinfo', ['deploy.yaml', 'svc.yaml']],
        ['cert-manager', ['.sourceignore', 'release.yaml']],
        ['staging', ['apps.yaml']]
      ] as const) {
        const artifact = artifacts.find(a => a.component === component) as Artifact
        const manifest = JSON.parse(
          (
            await runTool(
              'oras',
              [
                'manifest',
                'fetch',
                '--plain-http',
                ...orasCreds(registry),
                `${artifact.repository}@${artifact.digest}`
              ],
              env
            )
          ).stdout
        )
        const out = await tempDir()
        const layerFile = join(out, 'layer.tgz')
        await runTool(
          'oras',
          [
            'blob',
            'fetch',
            '--plain-http',
            ...orasCreds(registry),
            '--output',
            layerFile,
            `${artifact.repository}@${manifest.layers[0].digest}`
          ],
          env
        )
        expect(sha256(await readFile(layerFile))).toBe(manifest.layers[0].digest)
        const extracted = join(out, 'x')
        execFileSync('mkdir', [extracted])
        execFileSync('tar', ['-xzf', layerFile, '-C', extracted])
        expect((await readdir(extracted, { recursive: true })).sort()).toEqual([...expected].sort())
      }
    })

    it('can be copied into an OCI layout by skopeo with the digest unchanged', async () => {
      const artifact = artifacts[1] as Artifact
      const layout = join(await tempDir(), 'layout')
      await runTool('skopeo', [
        'copy',
        '--src-tls-verify=false',
        ...(registry.auth === 'htpasswd' ? ['--src-creds', `${TEST_USER}:${TEST_PASSWORD}`] : []),
        `docker://${artifact.repository}:latest`,
        `oci:${layout}:latest`
      ])
      const index = JSON.parse(await readFile(join(layout, 'index.json'), 'utf8'))
      expect(index.manifests[0].digest).toBe(artifact.digest)
    })

    it('applies exactly the requested tags', async () => {
      const tags = await runTool('skopeo', [
        'list-tags',
        '--tls-verify=false',
        ...readerCreds(registry),
        `docker://${artifacts[0]?.repository}`
      ])
      expect(JSON.parse(tags.stdout).Tags.sort()).toEqual(['latest', 'main-01234567'])
    })

    it('never prints the password or a registry token', () => {
      const logs = visibleLog(first)
      const secrets = [TEST_PASSWORD, ...registry.issuedTokens]
      expect(secrets.filter(secret => logs.includes(secret))).toEqual([])
      // In token mode there were tokens to leak, and none did.
      expect(registry.issuedTokens.length > 0).toBe(auth === 'token')
    })
  }
)

function orasCreds(registry: TestRegistry): string[] {
  return registry.auth === 'htpasswd' ? ['--username', TEST_USER, '--password', TEST_PASSWORD] : []
}

describe('reruns with diff-tag', () => {
  let registry: TestRegistry
  let proxy: CountingProxy
  let workspace: string
  const inputs = (host: string) => ({
    paths: 'apps/podinfo\ninfra/cert-manager\nfleet/staging',
    repository: `${host}/fleet/{name}`,
    tags: 'latest',
    'diff-tag': 'latest'
  })

  beforeAll(async () => {
    registry = await startRegistry('none')
    proxy = await startProxy(registry.host)
    workspace = await fleetWorkspace()
  })
  afterAll(async () => {
    await proxy?.stop()
    await registry?.stop()
  })

  const uploads = () =>
    proxy.requests.filter(r => r.method === 'POST' && r.path.includes('/blobs/uploads/'))
  const manifestPuts = () =>
    proxy.requests.filter(r => r.method === 'PUT' && r.path.includes('/manifests/'))

  it('upload nothing when the content is unchanged, even for a new commit, and report the same digests', async () => {
    const first = await runAction(inputs(proxy.host), { workspace })
    expect(first.code).toBe(0)
    expect(uploads()).toHaveLength(6) // a layer and a config for each component
    const before = JSON.parse(first.outputs.artifacts ?? '[]') as Artifact[]

    proxy.reset()
    // Another commit: new revision annotation, same files.
    const again = await runAction(inputs(proxy.host), {
      workspace,
      env: { GITHUB_SHA: 'f'.repeat(40) }
    })
    expect(again.code).toBe(0)
    const after = JSON.parse(again.outputs.artifacts ?? '[]') as Artifact[]
    expect(after.map(a => a.pushed)).toEqual([false, false, false])
    expect(after.map(a => a.digest)).toEqual(before.map(a => a.digest))
    expect(uploads()).toHaveLength(0)
    // No new manifest: only the diff-tag is put again, on the digest it was proven to hold
    // (it may have moved since it was read).
    expect(manifestPuts().map(r => r.path)).toEqual(
      expect.arrayContaining(
        after.map(a => `/v2/${a.repository.split('/').slice(1).join('/')}/manifests/latest`)
      )
    )
    expect(manifestPuts()).toHaveLength(3)
  })

  it('re-push only the component whose file changed', async () => {
    await writeFile(
      join(workspace, 'apps/podinfo/deploy.yaml'),
      'kind: Deployment\nspec: {replicas: 3}\n'
    )
    proxy.reset()
    const run = await runAction(inputs(proxy.host), { workspace })
    expect(run.code).toBe(0)
    const artifacts = JSON.parse(run.outputs.artifacts ?? '[]') as Artifact[]
    expect(artifacts.map(a => [a.component, a.pushed])).toEqual([
      ['podinfo', true],
      ['cert-manager', false],
      ['staging', false]
    ])
    expect(uploads().every(r => r.path.startsWith('/v2/fleet/podinfo/'))).toBe(true)
    expect(uploads().length).toBeGreaterThan(0)
  })

  it('report digest, digest-url and pushed for a single component', async () => {
    const run = await runAction(
      { ...inputs(proxy.host), paths: 'fleet/staging', repository: `${proxy.host}/fleet/staging` },
      { workspace }
    )
    expect(run.code).toBe(0)
    const [artifact] = JSON.parse(run.outputs.artifacts ?? '[]') as Artifact[]
    expect(run.outputs.digest).toBe(artifact?.digest)
    expect(run.outputs['digest-url']).toBe(`oci://${proxy.host}/fleet/staging@${artifact?.digest}`)
    expect(run.outputs.pushed).toBe('false')
  })
})

describe('credentials from docker config', () => {
  it('uses a credential helper named in credHelpers, as docker/login-action setups do', async () => {
    const registry = await startRegistry('htpasswd')
    try {
      const workspace = await fleetWorkspace()
      const bin = await tempDir('helper-bin-')
      const dockerConfig = await tempDir('docker-config-')
      const helperLog = join(bin, 'calls.log')
      await writeFile(
        join(bin, 'docker-credential-fleetpack-test'),
        `#!/bin/sh\nread server\necho "$1 $server" >> ${helperLog}\nprintf '{"ServerURL":"%s","Username":"${TEST_USER}","Secret":"${TEST_PASSWORD}"}' "$server"\n`,
        { mode: 0o755 }
      )
      await writeFile(
        join(dockerConfig, 'config.json'),
        JSON.stringify({ credHelpers: { [registry.host]: 'fleetpack-test' } })
      )
      const run = await runAction(
        { paths: 'fleet/staging', repository: `${registry.host}/fleet/staging` },
        { workspace, env: { DOCKER_CONFIG: dockerConfig, PATH: `${bin}:${process.env.PATH}` } }
      )
      expect(run.stdout).toContain(
        `${registry.host}: credentials from docker-credential-fleetpack-test`
      )
      expect(run.code).toBe(0)
      expect(await readFile(helperLog, 'utf8')).toBe(`get ${registry.host}\n`)
      expect(visibleLog(run)).not.toContain(TEST_PASSWORD)
    } finally {
      await registry.stop()
    }
  })
})

describe('failures', () => {
  it('fails with the registry denying an anonymous push, naming the fix, and tags nothing', async () => {
    const registry = await startRegistry('htpasswd')
    try {
      const workspace = await fleetWorkspace()
      const run = await runAction(
        { paths: 'fleet/staging', repository: `${registry.host}/fleet/staging` },
        { workspace, env: { DOCKER_CONFIG: await tempDir() } }
      )
      expect(run.code).toBe(1)
      expect(run.stdout).toMatch(
        /denied the check for blob sha256:[0-9a-f]+ \(HTTP 401\) without credentials/
      )
      expect(run.stdout).toMatch(
        /fix: give credentials for 127\.0\.0\.1:\d+ with the username\/password inputs or docker login/
      )
    } finally {
      await registry.stop()
    }
  })

  it('fails on wrong credentials in token mode without leaking them', async () => {
    const registry = await startRegistry('token')
    try {
      const workspace = await fleetWorkspace()
      const run = await runAction(
        {
          paths: 'fleet/staging',
          repository: `${registry.host}/fleet/staging`,
          username: TEST_USER,
          password: 'wrong-password-123'
        },
        { workspace }
      )
      expect(run.code).toBe(1)
      expect(run.stdout).toMatch(/refused the credentials \(HTTP 401 from 127\.0\.0\.1:\d+\)/)
      expect(visibleLog(run)).not.toContain('wrong-password-123')
      expect(run.stdout).toContain('::add-mask::wrong-password-123')
    } finally {
      await registry.stop()
    }
  })

  it.each([
    [
      { repository: '127.0.0.1:5000/Fleet/{name}' },
      /repository: "127\.0\.0\.1:5000\/Fleet\/podinfo" has uppercase letters.*%0A {2}fix: use 127\.0\.0\.1:5000\/fleet\/podinfo/
    ],
    [
      { repository: '127.0.0.1:5000/fleet/app' },
      /repository "127\.0\.0\.1:5000\/fleet\/app" has no \{name\} but paths list 3 components/
    ],
    [
      { repository: '127.0.0.1:5000/fleet/{name}', tags: 'latest,-bad' },
      /tags: "-bad" is not a valid tag/
    ],
    [
      { repository: '127.0.0.1:5000/fleet/{name}', paths: 'apps/nothing-*' },
      /the glob "apps\/nothing-\*" matches no directory/
    ],
    [
      { repository: '127.0.0.1:5000/fleet/{name}', concurrency: 'many' },
      /concurrency: "many" is not a number from 1 to 64/
    ]
  ])('rejects bad input %j before any network call', async (overrides, message) => {
    const workspace = await fleetWorkspace()
    const run = await runAction(
      { paths: 'apps/podinfo\ninfra/cert-manager\nfleet/staging', ...overrides },
      { workspace }
    )
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(message)
    expect(run.stdout).not.toMatch(/credentials from/)
  })
})
