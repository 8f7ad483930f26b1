import { X509Certificate } from '@sigstore/core'

/**
 * What a Fulcio certificate says about the GitHub run that got it (Fulcio's
 * OID 1.3.6.1.4.1.57264.1.x extensions). Inside a reusable workflow the SAN
 * names the reusable workflow; these name the caller's repository, ref and
 * workflow, which is what --source-repository and --source-ref check.
 */
export interface GitHubClaims {
  /** owner/repo of the run (the caller's, for a reusable workflow). */
  repository?: string
  /** The run's ref, e.g. refs/heads/main. */
  ref?: string
  /** https://github.com/<workflow_ref>: the top-level (caller) workflow. */
  buildConfig?: string
}

const OID = (n: number) => `1.3.6.1.4.1.57264.1.${n}`

export function githubClaims(certificate: string | Buffer): GitHubClaims {
  const parsed = X509Certificate.parse(
    typeof certificate === 'string' ? certificate : Buffer.from(certificate)
  )
  const raw = (n: number) => parsed.extension(OID(n))?.value.toString('utf8')
  const utf8 = (n: number) => {
    const value = parsed.extension(OID(n))?.value
    if (!value || value[0] !== 0x0c) return undefined
    // DER UTF8String: tag, length (short or long form), bytes.
    const first = value[1] ?? 0
    const offset = first < 0x80 ? 2 : 2 + (first & 0x7f)
    return value.subarray(offset).toString('utf8')
  }
  return { repository: raw(5), ref: raw(6), buildConfig: utf8(18) }
}
