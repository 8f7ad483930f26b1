import type { Descriptor } from '../oci/content.js'

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
