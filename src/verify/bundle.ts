import { messageOf } from '../errors.js'
import { bundleFromJSON } from '@sigstore/bundle'
import { Verifier, toSignedEntity, type TrustMaterial } from '@sigstore/verify'
import type { ManifestStore } from '../oci/registry.js'
import {
  BUNDLE_MEDIA_TYPE,
  COSIGN_SIGN_PREDICATE,
  referrersTag,
  type ReferrerDescriptor
} from '../sign/bundle.js'
import type { ExpectedIdentity, FoundSignature } from './legacy.js'
import { githubClaims } from './certificate.js'

/**
 * The Sigstore bundles that refer to `digest`: from the referrers API when
 * the registry really serves one, else from the referrers tag. Index entries
 * written by cosign (ggcr) may carry the empty media type as artifactType, so
 * every entry's manifest is read to learn what it is.
 */
/** How many referrers of one digest are read at most. */
const MAX_REFERRERS = 256

export async function findBundleReferrers(
  client: ManifestStore,
  digest: string,
  referrersApi: boolean
): Promise<string[]> {
  let entries: unknown[] = []
  if (referrersApi) {
    entries = (await client.getReferrers(digest)).manifests ?? []
  } else {
    const index = await client.getManifest(referrersTag(digest))
    try {
      const parsed = index && (JSON.parse(index.bytes.toString()) as { manifests?: unknown })
      entries = parsed && Array.isArray(parsed.manifests) ? parsed.manifests : []
    } catch {
      entries = [] // not an index: nothing in it can be a bundle
    }
  }
  const bundles: string[] = []
  // Anyone who can push may add referrers: each is read on its own, a junk
  // one is passed over (as cosign does), and only so many are read at all.
  for (const entry of entries.slice(0, MAX_REFERRERS) as Partial<ReferrerDescriptor>[]) {
    if (typeof entry !== 'object' || entry === null || typeof entry.digest !== 'string') continue
    if (
      entry.artifactType &&
      entry.artifactType !== BUNDLE_MEDIA_TYPE &&
      entry.artifactType !== 'application/vnd.oci.empty.v1+json'
    )
      continue
    try {
      const manifest = await client.getManifest(entry.digest)
      if (!manifest) continue
      const parsed = JSON.parse(manifest.bytes.toString()) as {
        artifactType?: string
        config?: { mediaType?: string }
        layers?: { mediaType?: string; digest?: string }[]
        subject?: { digest?: string }
      }
      const type = parsed.artifactType ?? parsed.config?.mediaType
      const layer = Array.isArray(parsed.layers)
        ? parsed.layers.find(l => l?.mediaType === BUNDLE_MEDIA_TYPE)
        : undefined
      if (
        type === BUNDLE_MEDIA_TYPE &&
        typeof layer?.digest === 'string' &&
        parsed.subject?.digest === digest
      )
        bundles.push(layer.digest)
    } catch {
      continue
    }
  }
  return bundles
}

/**
 * Verifies every bundle referrer of `digest` as cosign 3 (and Flux >= 2.8)
 * does: the bundle verifies against the trust root, its statement's subject
 * is this digest, and the signer is one of the expected identities.
 */
export async function verifyBundleSignatures(
  client: ManifestStore,
  digest: string,
  trust: TrustMaterial,
  identities: readonly ExpectedIdentity[],
  referrersApi: boolean
): Promise<FoundSignature[]> {
  const verifier = new Verifier(trust, {
    tlogThreshold: 1,
    ctlogThreshold: 1,
    timestampThreshold: 1
  })
  const found: FoundSignature[] = []
  for (const blob of await findBundleReferrers(client, digest, referrersApi)) {
    const result: FoundSignature = {
      subject: '',
      issuer: '',
      rekorLogIndex: -1,
      problem: undefined
    }
    try {
      const json = JSON.parse((await client.getBlob(blob, 1024 * 1024)).toString()) as Parameters<
        typeof bundleFromJSON
      >[0]
      const bundle = bundleFromJSON(json)
      result.rekorLogIndex = Number(bundle.verificationMaterial.tlogEntries[0]?.logIndex ?? -1)
      const signer = verifier.verify(toSignedEntity(bundle))
      result.subject = signer.identity?.subjectAlternativeName ?? ''
      result.issuer = signer.identity?.extensions?.issuer ?? ''
      const material = bundle.verificationMaterial.content
      const der =
        material.$case === 'certificate'
          ? material.certificate.rawBytes
          : material.$case === 'x509CertificateChain'
            ? material.x509CertificateChain.certificates[0]?.rawBytes
            : undefined
      if (der) result.github = githubClaims(Buffer.from(der))
      if (bundle.content.$case !== 'dsseEnvelope') {
        found.push({ ...result, problem: 'bundle holds no DSSE envelope' })
        continue
      }
      const statement = JSON.parse(Buffer.from(bundle.content.dsseEnvelope.payload).toString()) as {
        subject?: { digest?: { sha256?: string } }[]
        predicateType?: string
      }
      const hex = digest.replace(/^sha256:/, '')
      if (!statement.subject?.some(s => s.digest?.sha256 === hex)) {
        found.push({ ...result, problem: `statement is not about ${digest}` })
        continue
      }
      if (statement.predicateType !== COSIGN_SIGN_PREDICATE) {
        // cosign 3 counts any attestation; fleetpack only its own sign predicate.
        found.push({
          ...result,
          problem: `predicate ${statement.predicateType} is not a signature`
        })
        continue
      }
    } catch (error) {
      found.push({ ...result, problem: `invalid: ${messageOf(error)}` })
      continue
    }
    const matches = identities.some(
      identity => identity.issuer.test(result.issuer) && identity.subject.test(result.subject)
    )
    found.push(matches ? result : { ...result, problem: 'identity not expected' })
  }
  return found
}
