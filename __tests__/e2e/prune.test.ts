import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { startRegistry, type TestRegistry } from '../support/registry.js'
import { runCliInProcess } from '../support/in-process.js'
import { runAction } from '../support/runner.js'
import { startSigstoreStack, type SigstoreStack } from '../support/sigstore.js'
import { listTags } from '../support/tags.js'
import { removeTempDirs, tempDir, writeTree } from '../support/tree.js'

/**
 * fleetpack prune on the real registry: five signed builds (cosign .sig and
 * bundle referrers, through the referrers tag on distribution 2.8), a moving
 * tag and a release tag; the newest matching tags stay, everything a kept or
 * protected tag points at stays, and the rest goes with its signatures.
 */

let stack: SigstoreStack
let registry: TestRegistry
const digests: string[] = []

beforeAll(async () => {
  ;[stack, registry] = await Promise.all([startSigstoreStack(), startRegistry('none')])
  const workspace = await tempDir()
  await writeTree(workspace, { 'apps/podinfo/deploy.yaml': 'kind: Deployment\n' })
  for (let build = 1; build <= 5; build++) {
    await writeFile(
      join(workspace, 'apps/podinfo/deploy.yaml'),
      `kind: Deployment # build ${build}\n`
    )
    const tags = [
      `main-${build}`,
      ...(build === 5 ? ['latest'] : []),
      ...(build === 2 ? ['v1.0.0'] : [])
    ]
    const run = await runAction(
      {
        paths: 'apps/podinfo',
        repository: `${registry.host}/fleet/podinfo`,
        tags: tags.join(','),
        sign: 'keyless',
        'signature-format': 'both',
        'fulcio-url': stack.url,
        'rekor-url': stack.url,
        'trusted-root': stack.trustedRoot
      },
      {
        workspace,
        env: { ...stack.runnerEnv(), SOURCE_DATE_EPOCH: String(1_700_000_000 + build * 3600) }
      }
    )
    if (run.code !== 0) throw new Error(`build ${build} failed:\n${run.stdout}`)
    digests.push(run.outputs.digest as string)
  }
}, 180_000)
afterAll(async () => {
  await Promise.all([stack?.stop(), registry?.stop()])
  await removeTempDirs()
})

const tags = () => listTags(registry.host, 'fleet/podinfo')
/** The referrers tag and the cosign .sig tag of a digest. */
const signatureTags = (digest: string) => [
  `${digest.replace(':', '-')}`,
  `${digest.replace(':', '-')}.sig`
]

const prune = (extra: string[]) =>
  runCliInProcess([
    'prune',
    `oci://${registry.host}/fleet/podinfo`,
    '--match',
    'main-*',
    '--keep',
    '2',
    '--protect',
    'latest',
    '--protect',
    'v*',
    ...extra
  ])

describe('fleetpack prune', () => {
  it('says what it would delete and deletes nothing without --yes', async () => {
    const before = await tags()
    const run = await prune([])
    expect(run.code).toBe(0)
    const plan = JSON.parse(run.stdout) as {
      kept: string[]
      deleted: { digest: string; tags: string[]; with: string[] }[]
      applied: boolean
    }
    expect(plan.applied).toBe(false)
    expect(plan.kept).toEqual(['latest', 'main-4', 'main-5', 'v1.0.0'])
    // main-2 stays: v1.0.0 points at its digest.
    expect(plan.deleted.map(d => [d.tags, d.digest])).toEqual([
      [['main-3'], digests[2]],
      [['main-1'], digests[0]]
    ])
    // Each goes with its .sig, its bundle referrer and the referrers tag.
    for (const artifact of plan.deleted) expect(artifact.with).toHaveLength(3)
    expect(await tags()).toEqual(before)
  })

  it('deletes them with their signatures and referrers with --yes, and nothing else', async () => {
    const run = await prune(['--yes'])
    expect(run.code).toBe(0)
    const after = await tags()
    for (const gone of [digests[0], digests[2]] as string[])
      for (const tag of signatureTags(gone)) expect(after).not.toContain(tag)
    for (const kept of [digests[1], digests[3], digests[4]] as string[])
      for (const tag of signatureTags(kept)) expect(after).toContain(tag)
    expect(after.filter(tag => !tag.startsWith('sha256-'))).toEqual([
      'latest',
      'main-2',
      'main-4',
      'main-5',
      'v1.0.0'
    ])
  })
})
