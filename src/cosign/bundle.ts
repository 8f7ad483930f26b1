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

export interface ReferrerDescriptor extends Descriptor {
  artifactType?: string
  annotations?: Record<string, string>
}

/** The referrers tag schema: sha256-<hex> holds an index of the subject's referrers. */
export function referrersTag(digest: string): string {
  return digest.replace(':', '-')
}
