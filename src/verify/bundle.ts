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
export async function findBundleReferrers(
  client: ManifestStore,
  digest: string,
  referrersApi: boolean
): Promise<string[]> {
  let entries: ReferrerDescriptor[] = []
  if (referrersApi) {
    entries = ((await client.getReferrers(digest)).manifests ?? []) as ReferrerDescriptor[]
  } else {
    const index = await client.getManifest(referrersTag(digest))
    if (index) {
      const parsed = JSON.parse(index.bytes.toString()) as { manifests?: ReferrerDescriptor[] }
      entries = parsed.manifests ?? []
    }
  }
  const bundles: string[] = []
  for (const entry of entries) {
    if (
      entry.artifactType &&
      entry.artifactType !== BUNDLE_MEDIA_TYPE &&
      entry.artifactType !== 'application/vnd.oci.empty.v1+json'
    )
      continue
    const manifest = await client.getManifest(entry.digest)
    if (!manifest) continue
    const parsed = JSON.parse(manifest.bytes.toString()) as {
      artifactType?: string
      config?: { mediaType?: string }
      layers?: { mediaType?: string; digest?: string }[]
      subject?: { digest?: string }
    }
    const type = parsed.artifactType ?? parsed.config?.mediaType
    const layer = parsed.layers?.find(l => l.mediaType === BUNDLE_MEDIA_TYPE)
    if (type === BUNDLE_MEDIA_TYPE && layer?.digest && parsed.subject?.digest === digest)
      bundles.push(layer.digest)
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
