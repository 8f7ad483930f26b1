import type { Descriptor } from '../oci/content.js'
import type { ContentReader, ReferrersLister } from '../oci/registry.js'

/**
 * cosign v3's signature format, as both the signer and the verifiers read
 * and write it: a Sigstore bundle v0.3 holding a DSSE-signed in-toto
 * statement about the manifest digest, stored as an OCI 1.1 referrer of the
 * artifact (found through the referrers API, or the referrers tag).
 */

export const BUNDLE_MEDIA_TYPE = 'application/vnd.dev.sigstore.bundle.v0.3+json'
export const COSIGN_SIGN_PREDICATE = 'https://sigstore.dev/cosign/sign/v1'
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json'

/** SLSA v1 build provenance, as actions/attest-build-provenance writes it. */
export const SLSA_PROVENANCE_PREDICATE = 'https://slsa.dev/provenance/v1'

/** The statement cosign 3 signs: this digest, its sign predicate, nothing else. */
export function signStatement(digest: string): Buffer {
  return Buffer.from(
    JSON.stringify({
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ digest: { sha256: digest.replace(/^sha256:/, '') }, annotations: {} }],
      predicateType: COSIGN_SIGN_PREDICATE,
      predicate: {}
    })
  )
}

/** An in-toto statement about one artifact: `name` (the repository) at `digest`. */
export function statement(
  name: string,
  digest: string,
  predicateType: string,
  predicate: object
): Buffer {
  return Buffer.from(
    JSON.stringify({
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name, digest: { sha256: digest.replace(/^sha256:/, '') } }],
      predicateType,
      predicate
    })
  )
}

export interface ReferrerDescriptor extends Descriptor {
  artifactType?: string
  annotations?: Record<string, string>
}

/** The referrers tag schema: sha256-<hex> holds an index of the subject's referrers. */
export function referrersTag(digest: string): string {
  return digest.replace(':', '-')
}

/** How many referrers of one digest are read at most (anyone who can push may add some). */
export const MAX_REFERRERS = 256

/**
 * The referrers of `digest` as a store lists them: its referrers API, or
 * the index at the referrers tag (then `index` is that index's digest).
 * Entries without a digest are dropped, and only so many are kept; what
 * each one is, the caller reads and checks on its own.
 */
export async function listReferrers(
  client: ContentReader & ReferrersLister,
  digest: string,
  referrersApi: boolean
): Promise<{ entries: ReferrerDescriptor[]; index?: string }> {
  let entries: unknown[] = []
  let index: string | undefined
  if (referrersApi) {
    entries = (await client.getReferrers(digest)).manifests ?? []
  } else {
    const tagged = await client.getManifest(referrersTag(digest))
    index = tagged?.digest
    try {
      const parsed = tagged && (JSON.parse(tagged.bytes.toString()) as { manifests?: unknown })
      entries = parsed && Array.isArray(parsed.manifests) ? parsed.manifests : []
    } catch {
      entries = [] // not an index: it lists nothing
    }
  }
  const valid = (entries as Partial<ReferrerDescriptor>[]).filter(
    (entry): entry is ReferrerDescriptor =>
      typeof entry === 'object' && entry !== null && typeof entry.digest === 'string'
  )
  return { entries: valid.slice(0, MAX_REFERRERS), ...(index ? { index } : {}) }
}
