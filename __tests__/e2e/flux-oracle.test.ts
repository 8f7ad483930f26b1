import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import { readFile, readdir, stat, symlink } from 'node:fs/promises'
import { join } from 'node:path'
import {
  FLUX_GENERATIONS,
  fluxUntar,
  fluxVerify,
  type FluxGeneration,
  type FluxVerifyOptions
} from '../support/flux-oracle.js'
import { cosign3Attest, opensslKeyPair } from '../support/cosign.js'
import { startRegistry, type TestRegistry } from '../support/registry.js'
import { runActionInProcess } from '../support/in-process.js'
import { startFakeServer } from '../support/fake-server.js'
import { minimalEnv, runAction, runCli, visibleLog } from '../support/runner.js'
import { startSigstoreStack, type SigstoreStack } from '../support/sigstore.js'
import { buildArtifact } from '../../src/artifact/index.js'
import { removeTempDirs, tempDir, writeTree } from '../support/tree.js'

/**
 * "Flux accepts what fleetpack signs", and "fleetpack verify says what Flux
 * will do", proven by Flux's own code: source-controller's cosign
 * verification of Flux 2.7, 2.8 and 2.9, built from the releases those
 * versions pin (scripts/build-flux-oracle.sh), run against the real registry
 * and the local Sigstore stack.
 */

const ISSUER = 'https://token.actions.githubusercontent.com'
const SUBJECT = 'https://github.com/Org/Fleet/.github/workflows/publish.yml@refs/heads/main'
const REUSABLE = 'https://github.com/Org/shared/.github/workflows/publish.yml@refs/heads/main'
const anchored = (value: string) => `^${value.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`
const exact = { issuer: anchored(ISSUER), subject: anchored(SUBJECT) }
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json'

let stack: SigstoreStack
let registry: TestRegistry
let workspace: string
let keys: { dir: string; key: string; pub: string; other: string }
beforeAll(async () => {
  ;[stack, registry] = await Promise.all([startSigstoreStack(), startRegistry('none')])
  workspace = await tempDir('oracle-')
  const dir = await tempDir('oracle-keys-')
  const signing = opensslKeyPair(dir, 'cosign')
  keys = { dir, key: signing.key, pub: signing.pub, other: opensslKeyPair(dir, 'other').pub }
})
afterAll(async () => {
  await Promise.all([stack?.stop(), registry?.stop()])
  await removeTempDirs()
})

let counter = 0
/** Publishes a fresh component with the bundled action; returns its oci reference by digest. */
async function publish(
  inputs: Record<string, string>,
  claims: Record<string, unknown> = {},
  /** In the test process, so coverage sees the signing pipeline. */
  inProcess = false
): Promise<{ ref: string; repository: string; digest: string }> {
  const name = `app-${++counter}`
  await writeTree(workspace, { [`apps/${name}/deploy.yaml`]: `kind: Deployment # ${name}\n` })
  const repository = `oracle/${name}`
  const keyless = {
    sign: 'keyless',
    'fulcio-url': stack.url,
    'rekor-url': stack.url,
    'trusted-root': stack.trustedRoot
  }
  const run = await (inProcess ? runActionInProcess : runAction)(
    { paths: `apps/${name}`, repository: `${registry.host}/${repository}`, ...keyless, ...inputs },
    { workspace, env: stack.runnerEnv(claims) }
  )
  if (run.code !== 0) throw new Error(`publishing failed:\n${run.stdout}`)
  const digest = run.outputs.digest as string
  return { ref: `${registry.host}/${repository}@${digest}`, repository, digest }
}

const keySigning = async () => ({
  sign: 'key',
  'cosign-key': await readFile(keys.key, 'utf8'),
  'tlog-upload': 'false'
})

/** Each generation's verdict from Flux's own code. */
async function fluxVerdicts(ref: string, options: FluxVerifyOptions) {
  const verdicts: Partial<Record<FluxGeneration, boolean>> = {}
  for (const generation of FLUX_GENERATIONS) {
    const verdict = await fluxVerify(generation, stack, ref, options)
    verdicts[generation] = verdict.accepted
  }
  return verdicts as Record<FluxGeneration, boolean>
}

/** fleetpack verify's view of each generation, and its own verdict (exit code) for each. */
async function fleetpackVerdicts(ref: string, options: FluxVerifyOptions) {
  const args = [
    ...(options.identities ?? []).flatMap(i => [
      '--issuer-regexp',
      i.issuer,
      '--subject-regexp',
      i.subject
    ]),
    ...(options.keys ?? []).flatMap(k => ['--key', k]),
    ...(options.keys ? [] : ['--trusted-root', stack.trustedRoot])
  ]
  const flux: Partial<Record<FluxGeneration, string>> = {}
  const own: Partial<Record<FluxGeneration, boolean>> = {}
  for (const generation of FLUX_GENERATIONS) {
    const result = await runCli(['verify', `oci://${ref}`, ...args, '--flux-version', generation], {
      env: minimalEnv()
    })
    own[generation] = result.code === 0
    if (result.code === 0) {
      const json = JSON.parse(result.stdout) as { flux: { flux: string; verdict: string }[] }
      flux[generation] = json.flux.find(v => v.flux === generation)?.verdict ?? 'missing'
      continue
    }
    const line = new RegExp(
      `Flux ${generation.replace('.', '\\.')} (accepts|rejects|online) \\((legacy|bundle)\\)`
    ).exec(result.stderr)
    // An identity Go cannot compile stops fleetpack before any verdict, as it stops Flux.
    flux[generation] =
      line?.[1] ??
      (result.stderr.includes('not a valid Go regular expression') ? 'rejects' : 'missing')
  }
  return {
    flux: flux as Record<FluxGeneration, string>,
    own: own as Record<FluxGeneration, boolean>
  }
}

/** What fleetpack verify prints when it refuses (the newest Flux's verdict). */
async function explain(ref: string, options: FluxVerifyOptions): Promise<string> {
  const result = await runCli(
    [
      'verify',
      `oci://${ref}`,
      ...(options.identities ?? []).flatMap(i => [
        '--issuer-regexp',
        i.issuer,
        '--subject-regexp',
        i.subject
      ]),
      '--trusted-root',
      stack.trustedRoot
    ],
    { env: minimalEnv() }
  )
  return result.stderr
}

const all = (value: boolean) => ({ '2.7': value, '2.8': value, '2.9': value })
const bundleOnly = { '2.7': false, '2.8': true, '2.9': true }
// cosign 3 verifies bundles only against identities: with none, Flux 2.8+ rejects.
const ORACLE_NO_IDENTITY_BUNDLE = all(false)

describe('every signature format fleetpack writes, verified by Flux’s own code', () => {
  it.each([
    ['legacy keyless', { 'signature-format': 'legacy' }, all(true)],
    ['bundle keyless', { 'signature-format': 'bundle' }, bundleOnly],
    ['both formats', { 'signature-format': 'both' }, all(true)],
    [
      'bundle with an RFC 3161 timestamp',
      { 'signature-format': 'bundle', 'tsa-url': '' },
      bundleOnly
    ]
  ])('%s: accepted where that generation reads it', async (_name, inputs, expected) => {
    const withTsa = 'tsa-url' in inputs ? { ...inputs, 'tsa-url': stack.url } : inputs
    const { ref } = await publish(withTsa)
    expect(await fluxVerdicts(ref, { identities: [exact] })).toEqual(expected)
  })

  it('key-based legacy signatures: accepted by every generation with the cosign.pub, refused with another key', async () => {
    const { ref } = await publish(await keySigning())
    expect(await fluxVerdicts(ref, { keys: [keys.pub] })).toEqual(all(true))
    expect(await fluxVerdicts(ref, { keys: [keys.other] })).toEqual(all(false))
    // The reconciler tries every *.pub key of the secret.
    expect(await fluxVerdicts(ref, { keys: [keys.other, keys.pub] })).toEqual(all(true))
  })

  it('signatures made inside a reusable workflow: accepted for the reusable workflow’s identity', async () => {
    const { ref } = await publish(
      { 'signature-format': 'both' },
      { job_workflow_ref: 'Org/shared/.github/workflows/publish.yml@refs/heads/main' }
    )
    expect(
      await fluxVerdicts(ref, {
        identities: [{ issuer: anchored(ISSUER), subject: anchored(REUSABLE) }]
      })
    ).toEqual(all(true))
    expect(await fluxVerdicts(ref, { identities: [exact] })).toEqual(all(false))
  })
})

interface MatrixCase {
  name: string
  /** Makes the artifact; returns its reference by digest. */
  artifact: () => Promise<string>
  options: () => FluxVerifyOptions
  /** Flux's verdict per generation, as the oracle reaches it. */
  flux: Record<FluxGeneration, boolean>
  /** Where fleetpack deliberately refuses what Flux accepts: why, as its output says. */
  stricter?: RegExp
  /** fleetpack's account of Flux where it cannot know offline (an online Rekor lookup). */
  fleetpackSays?: Partial<Record<FluxGeneration, string>>
}

/** Artifacts shared by several rows, made once. */
const artifacts = new Map<string, Promise<{ ref: string; repository: string; digest: string }>>()
const shared = (
  key: string,
  make: () => Promise<{ ref: string; repository: string; digest: string }>
) => {
  if (!artifacts.has(key)) artifacts.set(key, make())
  return artifacts.get(key) as Promise<{ ref: string; repository: string; digest: string }>
}
const legacy = () => shared('legacy', () => publish({ 'signature-format': 'legacy' }))
const bundle = () => shared('bundle', () => publish({ 'signature-format': 'bundle' }))
const both = () => shared('both', () => publish({ 'signature-format': 'both' }))
const keyed = () => shared('key', async () => publish(await keySigning()))

/** A legacy signature layer copied from another digest of the same identity. */
async function replayed(): Promise<string> {
  const victim = await publish({ 'signature-format': 'legacy' })
  const source = await legacy()
  const sig = await fetch(
    `http://${registry.host}/v2/${source.repository}/manifests/${source.digest.replace(':', '-')}.sig`,
    { headers: { accept: OCI_MANIFEST } }
  )
  const body = Buffer.from(await sig.arrayBuffer())
  // The .sig image's blobs must be in the victim's repository too: mount them.
  const manifest = JSON.parse(body.toString()) as {
    config: { digest: string }
    layers: { digest: string }[]
  }
  for (const blob of [manifest.config, ...manifest.layers]) {
    const mount = await fetch(
      `http://${registry.host}/v2/${victim.repository}/blobs/uploads/?mount=${blob.digest}&from=${source.repository}`,
      { method: 'POST' }
    )
    expect(mount.status).toBe(201)
  }
  const put = await fetch(
    `http://${registry.host}/v2/${victim.repository}/manifests/${victim.digest.replace(':', '-')}.sig`,
    { method: 'PUT', headers: { 'content-type': OCI_MANIFEST }, body }
  )
  expect(put.status).toBe(201)
  return victim.ref
}

/** A legacy signature whose Rekor bundle annotation was removed: cosign then searches Rekor online. */
async function withoutRekorBundle(): Promise<string> {
  const artifact = await publish({ 'signature-format': 'legacy' })
  const url = `http://${registry.host}/v2/${artifact.repository}/manifests/${artifact.digest.replace(':', '-')}.sig`
  const sig = (await (await fetch(url, { headers: { accept: OCI_MANIFEST } })).json()) as {
    layers: { annotations: Record<string, string> }[]
  }
  for (const layer of sig.layers) delete layer.annotations['dev.sigstore.cosign/bundle']
  const put = await fetch(url, {
    method: 'PUT',
    headers: { 'content-type': OCI_MANIFEST },
    body: JSON.stringify(sig)
  })
  expect(put.status).toBe(201)
  return artifact.ref
}

/** A referrer that is not a Sigstore bundle (two layers), beside a legacy signature. */
async function junkReferrer(): Promise<string> {
  const artifact = await publish({ 'signature-format': 'legacy' })
  const base = `http://${registry.host}/v2/${artifact.repository}`
  const empty = Buffer.from('{}')
  const emptyDigest = `sha256:${createHash('sha256').update(empty).digest('hex')}`
  const start = await fetch(`${base}/blobs/uploads/`, { method: 'POST' })
  const location = new URL(start.headers.get('location') as string, base)
  location.searchParams.set('digest', emptyDigest)
  expect((await fetch(location, { method: 'PUT', body: empty })).status).toBe(201)
  const descriptor = {
    mediaType: 'application/vnd.oci.empty.v1+json',
    size: 2,
    digest: emptyDigest
  }
  const referrer = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      artifactType: 'application/vnd.example.sbom',
      config: descriptor,
      layers: [descriptor, descriptor],
      subject: { mediaType: OCI_MANIFEST, digest: artifact.digest, size: 1 }
    })
  )
  const referrerDigest = `sha256:${createHash('sha256').update(referrer).digest('hex')}`
  expect(
    (
      await fetch(`${base}/manifests/${referrerDigest}`, {
        method: 'PUT',
        headers: { 'content-type': OCI_MANIFEST },
        body: referrer
      })
    ).status
  ).toBe(201)
  const index = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: [
      {
        mediaType: OCI_MANIFEST,
        artifactType: 'application/vnd.example.sbom',
        size: referrer.length,
        digest: referrerDigest
      }
    ]
  })
  expect(
    (
      await fetch(`${base}/manifests/${artifact.digest.replace(':', '-')}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/vnd.oci.image.index.v1+json' },
        body: index
      })
    ).status
  ).toBe(201)
  return artifact.ref
}

/** An attestation with another predicate than cosign's signature, as cosign 3 stores it. */
async function attested(): Promise<string> {
  const artifact = await publish({ sign: 'none' })
  const result = await cosign3Attest(stack, artifact.ref, 'https://example.com/custom/v1')
  if (result.code !== 0) throw new Error(`cosign attest failed:\n${result.stderr}`)
  return artifact.ref
}

/** A key-signed legacy signature, and then a keyless bundle on the same digest. */
async function keyThenBundle(): Promise<string> {
  const name = `app-${++counter}`
  await writeTree(workspace, { [`apps/${name}/deploy.yaml`]: `kind: Deployment # ${name}\n` })
  const base = {
    paths: `apps/${name}`,
    repository: `${registry.host}/oracle/${name}`,
    'diff-tag': 'latest'
  }
  const first = await runAction(
    { ...base, ...(await keySigning()) },
    { workspace, env: { SOURCE_DATE_EPOCH: '1767225600' } }
  )
  expect(first.code).toBe(0)
  const second = await runAction(
    {
      ...base,
      sign: 'keyless',
      'signature-format': 'bundle',
      'fulcio-url': stack.url,
      'rekor-url': stack.url,
      'trusted-root': stack.trustedRoot
    },
    { workspace, env: { ...stack.runnerEnv(), SOURCE_DATE_EPOCH: '1767225600' } }
  )
  expect(second.code).toBe(0)
  expect(second.outputs.digest).toBe(first.outputs.digest)
  return `${registry.host}/oracle/${name}@${first.outputs.digest}`
}

const one =
  (subject: string, issuer = anchored(ISSUER)) =>
  () => ({ identities: [{ issuer, subject }] })

const MATRIX: MatrixCase[] = [
  {
    name: 'legacy, the exact identity',
    artifact: async () => (await legacy()).ref,
    options: () => ({ identities: [exact] }),
    flux: all(true)
  },
  {
    name: 'legacy, another subject',
    artifact: async () => (await legacy()).ref,
    options: one(anchored(SUBJECT.replace('main', 'dev'))),
    flux: all(false)
  },
  {
    name: 'legacy, another issuer',
    artifact: async () => (await legacy()).ref,
    options: one(anchored(SUBJECT), '^https://accounts\\.google\\.com$'),
    flux: all(false)
  },
  {
    name: 'legacy, two identities of which one matches (OR)',
    artifact: async () => (await legacy()).ref,
    options: () => ({ identities: [{ issuer: anchored(ISSUER), subject: '^nobody$' }, exact] }),
    flux: all(true)
  },
  {
    name: 'legacy, an unanchored substring',
    artifact: async () => (await legacy()).ref,
    options: one('Org/Fleet'),
    flux: all(true)
  },
  {
    name: 'legacy, RE2 (?i) flag',
    artifact: async () => (await legacy()).ref,
    options: one('(?i)^HTTPS://GITHUB\\.COM/org/fleet/'),
    flux: all(true)
  },
  {
    name: 'legacy, RE2 \\z anchor',
    artifact: async () => (await legacy()).ref,
    options: one('refs/heads/main\\z'),
    flux: all(true)
  },
  {
    name: 'legacy, RE2 [[:alpha:]] class',
    artifact: async () => (await legacy()).ref,
    options: one('^https://github\\.com/[[:alpha:]]+/Fleet/'),
    flux: all(true)
  },
  {
    name: 'legacy, a lookahead Go cannot compile',
    artifact: async () => (await legacy()).ref,
    options: one('^(?!evil).*$'),
    flux: all(false)
  },
  {
    name: 'bundle, the exact identity',
    artifact: async () => (await bundle()).ref,
    options: () => ({ identities: [exact] }),
    flux: bundleOnly
  },
  {
    name: 'bundle, another subject',
    artifact: async () => (await bundle()).ref,
    options: one('^nobody$'),
    flux: all(false)
  },
  {
    name: 'bundle, two identities (Flux refuses several with bundles)',
    artifact: async () => (await bundle()).ref,
    options: () => ({ identities: [exact, { issuer: anchored(ISSUER), subject: '^nobody$' }] }),
    flux: all(false)
  },
  {
    name: 'both formats, two identities: 2.7 reads the legacy signature, 2.8+ the bundle',
    artifact: async () => (await both()).ref,
    options: () => ({ identities: [exact, { issuer: anchored(ISSUER), subject: '^nobody$' }] }),
    flux: { '2.7': true, '2.8': false, '2.9': false }
  },
  {
    name: 'both formats, another subject',
    artifact: async () => (await both()).ref,
    options: one('^nobody$'),
    flux: all(false)
  },
  {
    name: 'key, the right cosign.pub',
    artifact: async () => (await keyed()).ref,
    options: () => ({ keys: [keys.pub] }),
    flux: all(true)
  },
  {
    name: 'key, another cosign.pub',
    artifact: async () => (await keyed()).ref,
    options: () => ({ keys: [keys.other] }),
    flux: all(false)
  },
  {
    name: 'a keyless bundle checked with a key',
    artifact: async () => (await bundle()).ref,
    options: () => ({ keys: [keys.pub] }),
    flux: all(false)
  },
  {
    name: 'a key-signed legacy signature beside a keyless bundle, checked with the key (2.8+ read only the bundle)',
    artifact: keyThenBundle,
    options: () => ({ keys: [keys.pub] }),
    flux: { '2.7': true, '2.8': false, '2.9': false }
  },
  {
    name: 'a legacy signature copied from another digest (replayed)',
    artifact: replayed,
    options: () => ({ identities: [exact] }),
    flux: all(true),
    stricter:
      /payload signs sha256:[0-9a-f]{64}, not sha256:[0-9a-f]{64} \(a signature copied from another digest\) \(Flux 2\.9 accepts it: fleetpack is stricter here\)/
  },
  {
    name: 'no identity at all: the legacy signature of anyone',
    artifact: async () => (await legacy()).ref,
    options: () => ({ identities: [] }),
    flux: all(true)
  },
  {
    name: 'no identity at all, with a bundle',
    artifact: async () => (await bundle()).ref,
    options: () => ({ identities: [] }),
    flux: ORACLE_NO_IDENTITY_BUNDLE
  },
  {
    name: 'a legacy signature without its Rekor bundle (Flux looks it up online)',
    artifact: withoutRekorBundle,
    options: () => ({ identities: [exact] }),
    flux: all(false),
    fleetpackSays: { '2.7': 'online', '2.8': 'online', '2.9': 'online' }
  },
  {
    name: 'a referrer that is not a bundle, beside a legacy signature',
    artifact: junkReferrer,
    options: () => ({ identities: [exact] }),
    flux: all(true)
  },
  {
    name: 'an attestation with another predicate (counted as a signature by Flux)',
    artifact: attested,
    options: () => ({ identities: [exact] }),
    flux: bundleOnly
  },
  {
    name: 'unsigned',
    artifact: async () => (await publish({ sign: 'none' })).ref,
    options: () => ({ identities: [exact] }),
    flux: all(false)
  }
]

describe('provenance: true, verified by Flux’s own code', () => {
  it('attaches SLSA provenance of this run, and every generation still accepts the identity the summary prints', async () => {
    const { ref, repository, digest } = await publish({ provenance: 'true' }, {}, true)
    // The provenance bundle, found as Flux finds referrers on this registry (the referrers tag).
    const host = registry.host
    const verified = JSON.parse(
      (
        await runCli(
          [
            'verify',
            `oci://${ref}`,
            '--issuer-regexp',
            exact.issuer,
            '--subject-regexp',
            exact.subject,
            '--trusted-root',
            stack.trustedRoot,
            '--flux-version',
            '2.9'
          ],
          { env: minimalEnv() }
        )
      ).stdout
    ) as { format: string; warnings: string[] }
    expect(verified.format).toBe('bundle') // Flux >= 2.8 now takes the bundle path
    const tagged = await fetch(
      `http://${host}/v2/${repository}/manifests/${digest.replace(':', '-')}`,
      {
        headers: { accept: 'application/vnd.oci.image.index.v1+json' }
      }
    )
    const referrers = (await tagged.json()) as {
      manifests: { digest: string; annotations?: Record<string, string> }[]
    }
    const provenance = referrers.manifests.find(
      m => m.annotations?.['dev.sigstore.bundle.predicateType'] === 'https://slsa.dev/provenance/v1'
    )
    expect(provenance).toBeDefined()
    const manifest = (await (
      await fetch(`http://${host}/v2/${repository}/manifests/${provenance?.digest}`, {
        headers: { accept: OCI_MANIFEST }
      })
    ).json()) as { layers: { digest: string }[] }
    const bundle = (await (
      await fetch(`http://${host}/v2/${repository}/blobs/${manifest.layers[0]?.digest}`)
    ).json()) as { dsseEnvelope: { payload: string } }
    const statement = JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString()) as {
      subject: { name: string; digest: { sha256: string } }[]
      predicateType: string
      predicate: { runDetails: { builder: { id: string } }; buildDefinition: { buildType: string } }
    }
    expect(statement.subject).toEqual([
      { name: `${host}/${repository}`, digest: { sha256: digest.replace('sha256:', '') } }
    ])
    expect(statement.predicate.runDetails.builder.id).toBe(SUBJECT)
    expect(statement.predicate.buildDefinition.buildType).toBe(
      'https://actions.github.io/buildtypes/workflow/v1'
    )
    // Flux's verdicts with the identity fleetpack's summary prints: all accept.
    expect(await fluxVerdicts(ref, { identities: [exact] })).toEqual({
      '2.7': true,
      '2.8': true,
      '2.9': true
    })
    // The documented cost: on the bundle path, Flux >= 2.8 refuses a second identity.
    const other = { issuer: exact.issuer, subject: anchored(REUSABLE) }
    expect(await fluxVerdicts(ref, { identities: [exact, other] })).toEqual({
      '2.7': true,
      '2.8': false,
      '2.9': false
    })
  })
})

describe('provenance recorded with GitHub’s attestations API', () => {
  it('posts the same signed bundle, with github-token, to the runner’s own API only', async () => {
    // GitHub's API cannot run here: a fake stands in for it, recording what it receives.
    const api = await startFakeServer((_req, res) =>
      res.writeHead(201, { 'content-type': 'application/json' }).end('{"id": 4242}')
    )
    try {
      const token = 'ghs_attestations_test_token_0123456789'
      const name = `app-${++counter}`
      await writeTree(workspace, { [`apps/${name}/deploy.yaml`]: `kind: Deployment # ${name}\n` })
      const run = await runActionInProcess(
        {
          paths: `apps/${name}`,
          repository: `${registry.host}/oracle/${name}`,
          sign: 'keyless',
          provenance: 'true',
          'github-attestations': 'true',
          'github-token': token,
          'fulcio-url': stack.url,
          'rekor-url': stack.url,
          'trusted-root': stack.trustedRoot
        },
        { workspace, env: { ...stack.runnerEnv(), GITHUB_API_URL: api.origin } }
      )
      expect(run.code).toBe(0)
      // Masked first (the runner's ::add-mask::), then nowhere in what a reader sees.
      expect(visibleLog(run)).not.toContain(token)
      expect(api.requests.map(r => `${r.method} ${r.url}`)).toEqual([
        'POST /repos/Org/Fleet/attestations'
      ])
      expect(api.requests[0]?.headers.authorization).toBe(`Bearer ${token}`)
      const { bundle } = JSON.parse(api.requests[0]?.body.toString() ?? '{}') as {
        bundle: { dsseEnvelope: { payload: string } }
      }
      const statement = JSON.parse(
        Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString()
      ) as { predicateType: string; subject: { digest: { sha256: string } }[] }
      expect(statement.predicateType).toBe('https://slsa.dev/provenance/v1')
      expect(`sha256:${statement.subject[0]?.digest.sha256}`).toBe(run.outputs.digest)
    } finally {
      await api.close()
    }
  })
})

describe('fleetpack verify reaches Flux’s verdict, per generation (differential matrix)', () => {
  it(`has at least 20 cases (${MATRIX.length})`, () => {
    expect(MATRIX.length).toBeGreaterThanOrEqual(20)
  })

  it.each(MATRIX.map(c => [c.name, c] as const))(
    '%s',
    async (_name, testCase) => {
      const ref = await testCase.artifact()
      const options = testCase.options()
      const flux = await fluxVerdicts(ref, options)
      expect(flux).toEqual(testCase.flux)
      const fleetpack = await fleetpackVerdicts(ref, options)
      // fleetpack's account of each generation is Flux's.
      expect(fleetpack.flux).toEqual(
        Object.fromEntries(
          FLUX_GENERATIONS.map(g => [
            g,
            testCase.fleetpackSays?.[g] ?? (flux[g] ? 'accepts' : 'rejects')
          ])
        )
      )
      // Its own verdict is Flux's, except where it is documented as stricter, and then it says so.
      expect(fleetpack.own).toEqual(testCase.stricter ? all(false) : flux)
      const explanation = testCase.stricter ? await explain(ref, options) : ''
      expect(explanation).toMatch(testCase.stricter ?? /^$/)
    },
    120_000
  )
})

describe('the artifact, extracted by Flux’s own untar', () => {
  /** Every regular file under `dir`, relative path → content and executable bit. */
  async function files(dir: string, prefix = ''): Promise<Record<string, string>> {
    const out: Record<string, string> = {}
    for (const entry of await readdir(join(dir, prefix), { withFileTypes: true })) {
      const path = prefix ? `${prefix}/${entry.name}` : entry.name
      if (entry.isDirectory()) Object.assign(out, await files(dir, path))
      else {
        const mode = (await stat(join(dir, path))).mode
        out[path] = `${await readFile(join(dir, path), 'utf8')}${mode & 0o100 ? ' (x)' : ''}`
      }
    }
    return out
  }

  it('holds exactly the files fleetpack archived: symlinks resolved, ignores applied, modes kept', async () => {
    const root = await tempDir('untar-')
    await writeTree(root, {
      'app/deploy.yaml': 'kind: Deployment\n',
      'app/nested/deep/config.yaml': 'kind: ConfigMap\n',
      'app/ünïcode.yaml': 'kind: Secret\n',
      'app/run.sh': { content: '#!/bin/sh\n', mode: 0o755 },
      'app/.sourceignore': 'ignored/\n',
      'app/ignored/secret.yaml': 'kind: Secret # not published\n',
      'shared/base.yaml': 'kind: Namespace\n'
    })
    await symlink('../shared/base.yaml', join(root, 'app/base.yaml'))
    const output = join(await tempDir('untar-layer-'), 'layer.tar.gz')
    await buildArtifact(join(root, 'app'), {
      repositoryRoot: root,
      outputPath: output,
      metadata: { created: '2026-01-01T00:00:00Z' }
    })
    const extracted = await tempDir('untar-out-')
    await fluxUntar(output, extracted)
    expect(await files(extracted)).toEqual({
      '.sourceignore': 'ignored/\n',
      'base.yaml': 'kind: Namespace\n',
      'deploy.yaml': 'kind: Deployment\n',
      'nested/deep/config.yaml': 'kind: ConfigMap\n',
      'run.sh': '#!/bin/sh\n (x)',
      'ünïcode.yaml': 'kind: Secret\n'
    })
  })
})
