import { messageOf } from '../errors.js'
import { bundleFromJSON } from '@sigstore/bundle'
import { Verifier, toSignedEntity, type TrustMaterial } from '@sigstore/verify'
import type { ContentSource } from '../oci/registry.js'
import { COSIGN_SIGN_PREDICATE, listReferrers } from '../cosign/bundle.js'
import { matchesAny, unexamined, type ExpectedIdentity, type FoundSignature } from './legacy.js'
import type { KeyObject } from 'node:crypto'
import { verifyWithKey } from '../cosign/keys.js'
import { quoteExternal } from '../text.js'
import { githubClaims } from './certificate.js'

/**
 * The Sigstore bundles that refer to `digest`, chosen as cosign's GetBundles
 * (and so Flux >= 2.8) chooses them: every referrer, whatever its
 * artifactType, whose manifest has exactly one layer with a media type
 * starting with application/vnd.dev.sigstore.bundle and holding a bundle of
 * version 0.3 or later. From the referrers API when the registry really
 * serves one, else from the referrers tag. Whether any exist decides Flux's
 * path, so this choice must be cosign's, not a stricter one.
 */
export interface BundleReferrer {
  /** The bundle layer's digest. */
  blob: string
  json: unknown
}

export async function findBundleReferrers(
  client: ContentSource,
  digest: string,
  referrersApi: boolean
): Promise<BundleReferrer[]> {
  const { entries } = await listReferrers(client, digest, referrersApi)
  const bundles: BundleReferrer[] = []
  // Anyone who can push may add referrers: each is read on its own, a junk
  // one is passed over (as cosign does), and only so many are read at all.
  for (const entry of entries) {
    try {
      const manifest = await client.getManifest(entry.digest)
      if (!manifest) continue
      const parsed = JSON.parse(manifest.bytes.toString()) as {
        layers?: { mediaType?: unknown; digest?: unknown }[]
      }
      const layer =
        Array.isArray(parsed.layers) && parsed.layers.length === 1 ? parsed.layers[0] : undefined
      if (
        typeof layer?.mediaType !== 'string' ||
        !layer.mediaType.startsWith(BUNDLE_MEDIA_TYPE_PREFIX) ||
        typeof layer.digest !== 'string'
      )
        continue
      const json = JSON.parse((await client.getBlob(layer.digest, 1024 * 1024)).toString()) as {
        mediaType?: unknown
      }
      if (!bundleVersionAtLeast03(json.mediaType)) continue
      bundles.push({ blob: layer.digest, json })
    } catch {
      continue
    }
  }
  return bundles
}

const BUNDLE_MEDIA_TYPE_PREFIX = 'application/vnd.dev.sigstore.bundle'

/** sigstore-go's MinVersion("v0.3"), from either spelling of a bundle's media type. */
function bundleVersionAtLeast03(mediaType: unknown): boolean {
  if (typeof mediaType !== 'string') return false
  const version =
    /^application\/vnd\.dev\.sigstore\.bundle\.v(\d+)\.(\d+)\+json$/.exec(mediaType) ??
    /^application\/vnd\.dev\.sigstore\.bundle\+json;version=(\d+)\.(\d+)$/.exec(mediaType)
  if (!version) return false
  const [major, minor] = [Number(version[1]), Number(version[2])]
  return major > 0 || minor >= 3
}

/**
 * Verifies every bundle referrer of `digest` as cosign 3 (and Flux >= 2.8)
 * does: the bundle verifies against the trust root, its statement's subject
 * is this digest, and the signer is one of the expected identities.
 */
export async function verifyBundleSignatures(
  client: ContentSource,
  digest: string,
  trust: TrustMaterial,
  identities: readonly ExpectedIdentity[],
  referrers: BundleReferrer[] | boolean
): Promise<FoundSignature[]> {
  const found: FoundSignature[] = []
  const bundles =
    typeof referrers === 'boolean'
      ? await findBundleReferrers(client, digest, referrers)
      : referrers
  const verifier = new Verifier(trust, {
    tlogThreshold: 1,
    ctlogThreshold: 1,
    timestampThreshold: 1
  })
  for (const referrer of bundles) {
    const result = unexamined()
    try {
      const bundle = bundleFromJSON(referrer.json)
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
        // cosign 3 (and so Flux) counts any attestation on this digest as a signature.
        result.note = `an attestation (predicate ${quoteExternal(String(statement.predicateType))}), not a cosign signature; Flux counts it as one`
      }
    } catch (error) {
      found.push({ ...result, problem: `invalid: ${messageOf(error)}` })
      continue
    }
    const matches = matchesAny(identities, result)
    found.push(
      matches
        ? { ...result, flux: 'valid' }
        : { ...result, problem: 'identity not expected', flux: 'invalid' }
    )
  }
  return found
}

/**
 * Bundles verified against a cosign public key, as Flux >= 2.8 does when a
 * verify.secretRef is set and bundles exist: the DSSE signature over the
 * statement, the statement's subject (no transparency log: Flux sets
 * IgnoreTlog with a key).
 */
export function verifyBundlesWithKey(
  digest: string,
  bundles: BundleReferrer[],
  publicKey: KeyObject
): FoundSignature[] {
  return bundles.map(referrer => {
    const result = unexamined('public key')
    try {
      const bundle = bundleFromJSON(referrer.json)
      result.rekorLogIndex = Number(bundle.verificationMaterial.tlogEntries[0]?.logIndex ?? -1)
      if (bundle.content.$case !== 'dsseEnvelope')
        return { ...result, problem: 'bundle holds no DSSE envelope' }
      const envelope = bundle.content.dsseEnvelope
      const pae = preAuthEncoding(envelope.payloadType, Buffer.from(envelope.payload))
      const verified = envelope.signatures.some(signature =>
        verifyWithKey(publicKey, pae, Buffer.from(signature.sig))
      )
      if (!verified) return { ...result, problem: 'bundle signature does not verify with the key' }
      const statement = JSON.parse(Buffer.from(envelope.payload).toString()) as {
        subject?: { digest?: { sha256?: string } }[]
      }
      const hex = digest.replace(/^sha256:/, '')
      if (!statement.subject?.some(s => s.digest?.sha256 === hex))
        return { ...result, problem: `statement is not about ${digest}` }
      return { ...result, flux: 'valid' as const }
    } catch (error) {
      return { ...result, problem: `invalid: ${messageOf(error)}` }
    }
  })
}

/** DSSE's PAE: what the envelope's signatures sign. */
function preAuthEncoding(type: string, body: Buffer): Buffer {
  return Buffer.concat([
    Buffer.from(`DSSEv1 ${Buffer.byteLength(type)} ${type} ${body.length} `),
    body
  ])
}
