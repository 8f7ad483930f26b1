import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startRegistry, type TestRegistry } from '../support/registry.js'
import { runCliInProcess } from '../support/in-process.js'
import { runAction } from '../support/runner.js'
import { startSigstoreStack, type SigstoreStack } from '../support/sigstore.js'
import { runTool } from '../support/tools.js'
import { listTags } from '../support/tags.js'
import { fluxVerify } from '../support/flux-oracle.js'
import { removeTempDirs, tempDir, writeTree } from '../support/tree.js'

/**
 * fleetpack promote: latest → stable only for a digest that verifies as Flux
 * would with the given identities, and then exactly that digest. Against the
 * real registry and the local Sigstore stack, the artifact signed by the
 * bundled action.
 */

const SUBJECT = 'https://github.com/Org/Fleet/.github/workflows/publish.yml@refs/heads/main'
const exactly = (value: string) => `^${value.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`

let stack: SigstoreStack
let registry: TestRegistry
let digest: string

beforeAll(async () => {
  ;[stack, registry] = await Promise.all([startSigstoreStack(), startRegistry('none')])
  const workspace = await tempDir()
  await writeTree(workspace, { 'apps/podinfo/deploy.yaml': 'kind: Deployment\n' })
  const published = await runAction(
    {
      paths: 'apps/podinfo',
      repository: `${registry.host}/fleet/podinfo`,
      tags: 'latest',
      sign: 'keyless',
      'fulcio-url': stack.url,
      'rekor-url': stack.url,
      'trusted-root': stack.trustedRoot
    },
    { workspace, env: stack.runnerEnv() }
  )
  if (published.code !== 0) throw new Error(`publishing failed:\n${published.stdout}`)
  digest = published.outputs.digest as string
}, 120_000)
afterAll(async () => {
  await Promise.all([stack?.stop(), registry?.stop()])
  await removeTempDirs()
})

const promote = (subject: string, to: string) =>
  runCliInProcess([
    'promote',
    `oci://${registry.host}/fleet/podinfo:latest`,
    '--to',
    to,
    '--issuer-regexp',
    exactly('https://token.actions.githubusercontent.com'),
    '--subject-regexp',
    exactly(subject),
    '--trusted-root',
    stack.trustedRoot
  ])

const tags = async () =>
  (await listTags(registry.host, 'fleet/podinfo')).filter(tag => !tag.endsWith('.sig'))

describe('fleetpack promote into another registry', () => {
  it('copies the artifact with its signatures and referrers, and Flux accepts it there', async () => {
    const production = await startRegistry('none')
    try {
      const workspace = await tempDir()
      await writeTree(workspace, { 'apps/api/deploy.yaml': 'kind: Deployment # api\n' })
      const published = await runAction(
        {
          paths: 'apps/api',
          repository: `${registry.host}/staging/api`,
          tags: 'latest',
          sign: 'keyless',
          'signature-format': 'both',
          'fulcio-url': stack.url,
          'rekor-url': stack.url,
          'trusted-root': stack.trustedRoot
        },
        { workspace, env: stack.runnerEnv() }
      )
      expect(published.code).toBe(0)
      const staged = published.outputs.digest as string
      const run = await runCliInProcess([
        'promote',
        `oci://${registry.host}/staging/api:latest`,
        '--to-repository',
        `oci://${production.host}/production/api`,
        '--to',
        'stable',
        '--issuer-regexp',
        exactly('https://token.actions.githubusercontent.com'),
        '--subject-regexp',
        exactly(SUBJECT),
        '--trusted-root',
        stack.trustedRoot
      ])
      expect(run.stderr).toMatch(/copied the cosign signature/)
      expect(run.stderr).toMatch(/copied 1 referrers/)
      expect(run.code).toBe(0)
      expect(await listTags(production.host, 'production/api')).toEqual([
        staged.replace(':', '-'),
        `${staged.replace(':', '-')}.sig`,
        'stable'
      ])
      // Flux's own verdicts at the destination: the legacy .sig (2.7) and the bundle (2.9).
      for (const generation of ['2.7', '2.9'] as const) {
        const verdict = await fluxVerify(
          generation,
          stack,
          `${production.host}/production/api@${staged}`,
          {
            identities: [
              {
                issuer: exactly('https://token.actions.githubusercontent.com'),
                subject: exactly(SUBJECT)
              }
            ]
          }
        )
        expect(verdict.accepted).toBe(true)
      }
    } finally {
      await production.stop()
    }
  })
})

describe('fleetpack promote', () => {
  it('moves the tag to the digest that verified, for the identity the clusters use', async () => {
    const run = await promote(SUBJECT, 'stable')
    expect(run.stderr).toMatch(/verified \(legacy, Flux 2\.9\)/)
    expect(run.code).toBe(0)
    expect(JSON.parse(run.stdout)).toMatchObject({ digest, tags: ['stable'] })
    const raw = await runTool('skopeo', [
      'inspect',
      '--raw',
      '--tls-verify=false',
      `docker://${registry.host}/fleet/podinfo:stable`
    ])
    const { createHash } = await import('node:crypto')
    expect(`sha256:${createHash('sha256').update(raw.stdout).digest('hex')}`).toBe(digest)
  })

  it('moves nothing when the signature is not from the identity given', async () => {
    const run = await promote(SUBJECT.replace('publish.yml', 'release.yml'), 'production')
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(/no legacy signature of sha256:[0-9a-f]{64} matches/)
    expect(await tags()).toEqual(['latest', 'stable'])
  })
})
