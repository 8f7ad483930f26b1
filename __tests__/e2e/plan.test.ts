import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { cp, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { startRegistry, type TestRegistry } from '../support/registry.js'
import { runActionInProcess, runCliInProcess } from '../support/in-process.js'
import { PROJECT_ROOT, runAction } from '../support/runner.js'
import { startSigstoreStack, type SigstoreStack } from '../support/sigstore.js'
import { removeTempDirs, tempDir, writeTree } from '../support/tree.js'
import { RepositoryClient } from '../../src/oci/registry.js'
import { Transport } from '../../src/oci/transport.js'

/**
 * fleetpack plan: with read access only, which components would change
 * against the diff-tag, and a job matrix over those alone. Unchanged means
 * proven: the layer downloaded and hashed to the tree, and, with identities,
 * a signature Flux would accept. Against the real registry and the local
 * Sigstore stack, with the fleet signed by the bundled action.
 */

const SUBJECT = 'https://github.com/Org/Fleet/.github/workflows/publish.yml@refs/heads/main'
const exactly = (value: string) => `^${value.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`

interface Planned {
  component: string
  changed: boolean
  reason: string
  diff?: { truncated: boolean; files: { file: string; change: string; resources?: unknown[] }[] }
}
interface PlanOutput {
  components: Planned[]
  matrix: { include: { job: number; paths: string; components: string }[] }
}

let stack: SigstoreStack
let registry: TestRegistry
let workspace: string
const COMPONENTS = ['apps/a', 'apps/b', 'apps/c', 'apps/d', 'apps/e']

beforeAll(async () => {
  ;[stack, registry] = await Promise.all([startSigstoreStack(), startRegistry('none')])
  workspace = await tempDir()
  await writeTree(
    workspace,
    Object.fromEntries(
      COMPONENTS.map(path => [`${path}/deploy.yaml`, `kind: Deployment # ${path}\n`])
    )
  )
  const published = await runAction(
    {
      paths: 'apps/*',
      repository: `${registry.host}/fleet/{name}`,
      tags: 'latest',
      sign: 'keyless',
      'fulcio-url': stack.url,
      'rekor-url': stack.url,
      'trusted-root': stack.trustedRoot
    },
    { workspace, env: stack.runnerEnv() }
  )
  if (published.code !== 0) throw new Error(`publishing the fleet failed:\n${published.stdout}`)
}, 120_000)
afterAll(async () => {
  await Promise.all([stack?.stop(), registry?.stop()])
  await removeTempDirs()
})

const plan = async (extra: string[] = []): Promise<PlanOutput> => {
  // In-process: the plan's code counts in the suite's coverage.
  const result = await runCliInProcess(
    [
      'plan',
      'apps/*',
      '--repository',
      `${registry.host}/fleet/{name}`,
      '--diff-tag',
      'latest',
      '--jobs',
      '2',
      ...extra
    ],
    {},
    workspace
  )
  if (result.code !== 0) throw new Error(`plan failed:\n${result.stderr}`)
  return JSON.parse(result.stdout) as PlanOutput
}
/** The matchOIDCIdentity entry clusters use, and the source repository to require. */
const identity = (repository: string) => [
  '--issuer-regexp',
  exactly('https://token.actions.githubusercontent.com'),
  '--subject-regexp',
  exactly(SUBJECT),
  '--trusted-root',
  stack.trustedRoot,
  '--source-repository',
  repository
]

describe('fleetpack plan', () => {
  it('marks only the edited components as changed, and spreads only them over the matrix', async () => {
    await writeFile(
      join(workspace, 'apps/b/deploy.yaml'),
      'kind: Deployment\nmetadata: {name: b}\nspec: {replicas: 3}\n'
    )
    await writeFile(join(workspace, 'apps/e/extra.yaml'), 'kind: ConfigMap\n')
    const result = await plan()
    expect(result.components.map(c => [c.component, c.changed])).toEqual([
      ['a', false],
      ['b', true],
      ['c', false],
      ['d', false],
      ['e', true]
    ])
    expect(result.components.find(c => c.component === 'b')?.reason).toBe('content differs')
    // What a reviewer sees: the files, and the resources by kind and name.
    expect(result.components.find(c => c.component === 'b')?.diff).toEqual({
      truncated: false,
      files: [
        {
          file: 'deploy.yaml',
          change: 'changed',
          resources: [
            { resource: 'Deployment/b', change: 'added' },
            { resource: 'document 1', change: 'removed' }
          ]
        }
      ]
    })
    expect(result.components.find(c => c.component === 'e')?.diff?.files).toEqual([
      {
        file: 'extra.yaml',
        change: 'added',
        resources: [{ resource: 'document 1', change: 'added' }]
      }
    ])
    expect(result.matrix.include).toEqual([
      { job: 0, paths: 'apps/b', components: 'b' },
      { job: 1, paths: 'apps/e', components: 'e' }
    ])
  })

  it('skips a component only when its signature verifies for the given identities', async () => {
    const withIdentity = await plan(identity('Org/Fleet'))
    expect(withIdentity.components.find(c => c.component === 'a')).toMatchObject({
      changed: false,
      reason: 'unchanged: latest holds this content, signed'
    })
    const otherRepository = await plan(identity('Org/Other'))
    expect(otherRepository.components.every(c => c.changed)).toBe(true)
    expect(otherRepository.components[0]?.reason).toMatch(
      /holds this content without a signature the identities accept/
    )
  })

  it('does not believe a diff-tag that claims this tree over another layer', async () => {
    // A writer pairs c's diffID (its config) with d's layer under c's latest.
    const client = (path: string) =>
      new RepositoryClient(new Transport({ registry: registry.host, insecure: true }), path)
    const c = await client('fleet/c').getManifest('latest')
    const d = await client('fleet/d').getManifest('latest')
    const forged = JSON.parse(c?.bytes.toString() ?? '{}') as { layers: unknown[] }
    forged.layers = (JSON.parse(d?.bytes.toString() ?? '{}') as { layers: unknown[] }).layers
    const layer = forged.layers[0] as { digest: string; size: number; mediaType: string }
    const bytes = await client('fleet/d').getBlob(layer.digest, 1024 * 1024)
    await client('fleet/c').pushBlob(layer, { bytes })
    const body = Buffer.from(JSON.stringify(forged))
    const { createHash } = await import('node:crypto')
    const digest = `sha256:${createHash('sha256').update(body).digest('hex')}`
    await client('fleet/c').putManifest('latest', {
      bytes: body,
      descriptor: {
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        size: body.length,
        digest
      }
    })
    const result = await plan()
    expect(result.components.find(c => c.component === 'c')).toMatchObject({
      changed: true,
      reason: expect.stringMatching(/latest claims this content, but its layer holds other content/)
    })
  })

  it('shows a real change of the example fleet as a reviewer wants it: the resource and the field', async () => {
    const fleet = await tempDir('examples-')
    await cp(join(PROJECT_ROOT, 'examples'), fleet, { recursive: true })
    const paths = ['apps/podinfo', 'infra/cert-manager']
    const repository = `${registry.host}/examples/{name}`
    const published = await runCliInProcess(
      ['publish', ...paths, '--repository', repository, '--tag', 'latest'],
      {},
      fleet
    )
    expect(published.code).toBe(0)
    const deployment = join(fleet, 'apps/podinfo/deployment.yaml')
    await writeFile(
      deployment,
      (await readFile(deployment, 'utf8')).replace('replicas: 2', 'replicas: 4')
    )
    const run = await runCliInProcess(
      ['plan', ...paths, '--repository', repository, '--diff-tag', 'latest'],
      {},
      fleet
    )
    const result = JSON.parse(run.stdout) as PlanOutput
    expect(result.components.map(c => [c.component, c.changed])).toEqual([
      ['podinfo', true],
      ['cert-manager', false]
    ])
    expect(result.components[0]?.diff?.files).toEqual([
      {
        file: 'deployment.yaml',
        change: 'changed',
        resources: [
          { resource: 'Deployment/podinfo', change: 'changed', fields: ['spec.replicas'] }
        ]
      }
    ])
  })

  it('runs as the action with read access, giving the matrix as an output', async () => {
    const run = await runActionInProcess(
      {
        mode: 'plan',
        paths: 'apps/*',
        repository: `${registry.host}/fleet/{name}`,
        'diff-tag': 'latest',
        jobs: '20'
      },
      { workspace }
    )
    expect(run.code).toBe(0)
    expect(run.outputs.changed).toBe('3')
    const matrix = JSON.parse(run.outputs.matrix ?? '{}') as PlanOutput['matrix']
    expect(matrix.include.map(entry => entry.paths)).toEqual(['apps/b', 'apps/c', 'apps/e'])
    expect(run.summary).toMatch(/fleetpack plan: 3 of 5 would change/)
    expect(run.summary).toMatch(/<summary>b: 1 file<\/summary>.*added Deployment\/b/)
  })
})
