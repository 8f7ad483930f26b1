import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import { Transport } from '../../src/oci/transport.js'
import { RepositoryClient } from '../../src/oci/registry.js'
import { content } from '../../src/oci/content.js'
import { exactRegExp, verifyLegacySignatures } from '../../src/verify/legacy.js'
import { loadTrustMaterial } from '../../src/verify/trust.js'
import { startRegistry, type TestRegistry } from '../support/registry.js'
import { runAction } from '../support/runner.js'
import { startSigstoreStack, type SigstoreStack } from '../support/sigstore.js'
import { removeTempDirs, tempDir, writeTree } from '../support/tree.js'

/**
 * The verifier fleetpack runs on its own signatures before moving tags,
 * against signatures the bundled action wrote to a real registry, and
 * against the ways a signature can be wrong.
 */

const SUBJECT = 'https://github.com/Org/Fleet/.github/workflows/publish.yml@refs/heads/main'
const ISSUER = 'https://token.actions.githubusercontent.com'
const expected = [{ issuer: exactRegExp(ISSUER), subject: exactRegExp(SUBJECT) }]

let stack: SigstoreStack
let foreign: SigstoreStack
let registry: TestRegistry
let client: RepositoryClient
let digests: string[]

beforeAll(async () => {
  ;[stack, foreign, registry] = await Promise.all([
    startSigstoreStack(),
    startSigstoreStack(),
    startRegistry('none')
  ])
  const workspace = await tempDir()
  await writeTree(workspace, { 'apps/one/a.yaml': 'one', 'apps/two/b.yaml': 'two' })
  // Two artifacts in one repository: published one by one, each under its own tag.
  digests = []
  for (const name of ['one', 'two']) {
    const single = await runAction(
      {
        paths: `apps/${name}`,
        repository: `${registry.host}/verify/app`,
        tags: name,
        sign: 'keyless',
        'fulcio-url': stack.url,
        'rekor-url': stack.url,
        'trusted-root': stack.trustedRoot
      },
      { workspace, env: stack.runnerEnv() }
    )
    if (single.code !== 0) throw new Error(`publishing apps/${name} failed:\n${single.stdout}`)
    digests.push(single.outputs.digest as string)
  }
  client = new RepositoryClient(
    new Transport({ registry: registry.host, insecure: true }),
    'verify/app'
  )
})
afterAll(async () => {
  await Promise.all([stack?.stop(), foreign?.stop(), registry?.stop()])
  await removeTempDirs()
})

const sigTag = (digest: string) => `${digest.replace(':', '-')}.sig`

async function readSig(digest: string) {
  const manifest = await client.getManifest(sigTag(digest))
  if (!manifest) throw new Error(`no signature for ${digest}`)
  return JSON.parse(manifest.bytes.toString()) as {
    layers: { annotations: Record<string, string> }[]
  }
}

async function writeSig(digest: string, manifest: object) {
  await client.putManifest(
    sigTag(digest),
    content('application/vnd.oci.image.manifest.v1+json', Buffer.from(JSON.stringify(manifest)))
  )
}

describe('legacy signature verification', () => {
  it('accepts the signature for the expected identity', async () => {
    const found = await verifyLegacySignatures(
      client,
      digests[0] as string,
      await loadTrustMaterial(stack.trustedRoot),
      expected
    )
    expect(found).toHaveLength(1)
    expect(found[0]).toMatchObject({ subject: SUBJECT, issuer: ISSUER, problem: undefined })
  })

  it('rejects another identity, naming the one it found', async () => {
    const found = await verifyLegacySignatures(
      client,
      digests[0] as string,
      await loadTrustMaterial(stack.trustedRoot),
      [{ issuer: exactRegExp(ISSUER), subject: exactRegExp(SUBJECT.replace('publish', 'release')) }]
    )
    expect(found[0]).toMatchObject({ subject: SUBJECT, problem: 'identity not expected' })
  })

  it('rejects a certificate from a foreign root', async () => {
    const found = await verifyLegacySignatures(
      client,
      digests[0] as string,
      await loadTrustMaterial(foreign.trustedRoot),
      expected
    )
    expect(found[0]?.problem).toMatch(/^invalid: /)
  })

  it('rejects a signature moved to another digest', async () => {
    const [one, two] = digests as [string, string]
    const original = await client.getManifest(sigTag(two))
    await writeSig(
      two,
      JSON.parse((await client.getManifest(sigTag(one)))?.bytes.toString() ?? '{}')
    )
    try {
      const found = await verifyLegacySignatures(
        client,
        two,
        await loadTrustMaterial(stack.trustedRoot),
        expected
      )
      expect(found[0]?.problem).toBe(
        `payload signs ${one}, not ${two} (a signature copied from another digest)`
      )
      expect(found[0]?.flux).toBe('valid') // Flux checks no payload claims
    } finally {
      await client.putManifest(sigTag(two), {
        bytes: original?.bytes as Buffer,
        descriptor: {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          size: original?.bytes.length ?? 0,
          digest: original?.digest ?? ''
        }
      })
    }
  })

  it('rejects a tampered signature', async () => {
    const digest = digests[1] as string
    const manifest = await readSig(digest)
    const layer = manifest.layers[0] as { annotations: Record<string, string> }
    const signature = Buffer.from(
      layer.annotations['dev.cosignproject.cosign/signature'] as string,
      'base64'
    )
    signature[signature.length - 1] = (signature[signature.length - 1] as number) ^ 0xff
    layer.annotations['dev.cosignproject.cosign/signature'] = signature.toString('base64')
    await writeSig(digest, manifest)
    const found = await verifyLegacySignatures(
      client,
      digest,
      await loadTrustMaterial(stack.trustedRoot),
      expected
    )
    expect(found[0]?.problem).toMatch(/^invalid: /)
  })

  it('finds nothing for a digest nobody signed', async () => {
    const unsigned = `sha256:${createHash('sha256').update('nothing').digest('hex')}`
    expect(
      await verifyLegacySignatures(
        client,
        unsigned,
        await loadTrustMaterial(stack.trustedRoot),
        expected
      )
    ).toEqual([])
  })
})
