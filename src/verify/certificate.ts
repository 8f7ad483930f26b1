import { X509Certificate } from '@sigstore/core'

/**
 * What a Fulcio certificate says about the GitHub run that got it (Fulcio's
 * OID 1.3.6.1.4.1.57264.1.x extensions). Inside a reusable workflow the SAN
 * names the reusable workflow; these name the caller's repository, ref and
 * workflow, which is what --source-repository, --source-repository-id and
 * --source-ref check.
 */
export interface GitHubClaims {
  /** owner/repo of the run (the caller's, for a reusable workflow). */
  repository?: string
  /** The repository's numeric ID: unlike its name, never reused after a deletion. */
  repositoryId?: string
  /** The run's ref, e.g. refs/heads/main. */
  ref?: string
  /** https://github.com/<workflow_ref>: the top-level (caller) workflow. */
  buildConfig?: string
}

const OID = (n: number) => `1.3.6.1.4.1.57264.1.${n}`

/**
 * The claims of one certificate. Readers of signatures pass the DER bytes the
 * signature was verified with, never a second decoding of an annotation; the
 * signer passes the PEM Fulcio just issued to it.
 */
export function githubClaims(certificate: Buffer | string): GitHubClaims {
  const parsed = X509Certificate.parse(
    typeof certificate === 'string' ? certificate : Buffer.from(certificate)
  )
  const raw = (n: number) => parsed.extension(OID(n))?.value.toString('utf8')
  // The newer extensions (.8 on) hold a DER UTF8String: tag, length (short or long form), bytes.
  const utf8 = (n: number) => {
    const value = parsed.extension(OID(n))?.value
    if (!value || value[0] !== 0x0c) return undefined
    const first = value[1] ?? 0
    const offset = first < 0x80 ? 2 : 2 + (first & 0x7f)
    return value.subarray(offset).toString('utf8')
  }
  const sourceUri = utf8(12) // https://github.com/owner/repo
  return {
    repository: raw(5) ?? sourceUri?.replace(/^https:\/\/[^/]+\//, ''),
    repositoryId: utf8(15),
    ref: raw(6) ?? utf8(14),
    buildConfig: utf8(18)
  }
}

const PEM_CERTIFICATE =
  /^\s*-----BEGIN CERTIFICATE-----\r?\n((?:[A-Za-z0-9+/]+\r?\n)*[A-Za-z0-9+/]*={0,2}\r?\n?)-----END CERTIFICATE-----\s*$/

/**
 * The DER bytes of a PEM annotation holding exactly one CERTIFICATE block
 * and nothing else (white space around it aside), or undefined. Two readers
 * of one annotation that tolerate different junk can be made to read two
 * different certificates: one verified, another's claims believed. So the
 * annotation is decoded here, strictly, once.
 */
export function certificateDer(pem: string): Buffer | undefined {
  const match = PEM_CERTIFICATE.exec(pem)
  if (!match) return undefined
  const base64 = (match[1] ?? '').replace(/\s+/g, '')
  if (base64.length === 0 || base64.length % 4 !== 0) return undefined
  const der = Buffer.from(base64, 'base64')
  // Round trip: Node's decoder skips what it does not understand; this does not.
  return der.toString('base64') === base64 ? der : undefined
}
