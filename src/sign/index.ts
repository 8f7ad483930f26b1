import type { TrustMaterial } from '@sigstore/verify'
import type { RepositoryClient } from '../oci/registry.js'
import { DOCKER_HUB, type Repository } from '../oci/reference.js'
import { exactRegExp, verifyLegacySignatures, type FoundSignature } from '../verify/legacy.js'
import { loadTrustMaterial } from '../verify/trust.js'
import { VerificationError } from './errors.js'
import { assertKeylessPossible, fetchIdentityToken } from './identity.js'
import { KeylessSigner, type SignerIdentity } from './keyless.js'
import { signLegacy, signatureTag, simpleSigningPayload, writeLegacySignature } from './legacy.js'

export { SigningError, VerificationError } from './errors.js'
export type { SignerIdentity } from './keyless.js'

export interface SigningOptions {
  fulcioUrl: string
  rekorUrl: string
  trustedRoot: string | undefined
  env: Readonly<Record<string, string | undefined>>
  onSecret: (secret: string) => void
}

export interface SignatureResult {
  /** repository:sha256-<hex>.sig */
  signature: string
  rekorLogIndex: number
  /** false when a valid signature for this identity was already there. */
  created: boolean
}

/**
 * Signing for one run: one certificate for every component, and the rule
 * that a digest counts as signed only when a signature for this run's
 * identity reads back from the registry and verifies as Flux would verify it.
 */
export class SignaturePipeline {
  private readonly signer: KeylessSigner
  private trust: Promise<TrustMaterial> | undefined

  private constructor(private readonly options: SigningOptions) {
    this.signer = new KeylessSigner({
      fulcioUrl: options.fulcioUrl,
      getToken: () => fetchIdentityToken(options.env, options.onSecret)
    })
  }

  /** Fails before any upload when this run cannot sign. */
  static async create(options: SigningOptions): Promise<SignaturePipeline> {
    await assertKeylessPossible(options.env)
    return new SignaturePipeline(options)
  }

  identity(): Promise<SignerIdentity> {
    return this.signer.identity()
  }

  /** Makes sure `digest` carries a verified signature of this identity; signs it if not. */
  async ensureSigned(
    client: RepositoryClient,
    repository: Repository,
    digest: string,
    note: (line: string) => void
  ): Promise<SignatureResult> {
    const identity = await this.signer.identity()
    const expected = [
      { issuer: exactRegExp(identity.issuer), subject: exactRegExp(identity.subject) }
    ]
    const trust = await this.trustMaterial()
    const where = `${repository.registry}/${repository.path}:${signatureTag(digest)}`

    const before = await verifyLegacySignatures(client, digest, trust, expected)
    const existing = before.find(found => found.problem === undefined)
    if (existing) {
      note(`already signed by ${identity.subject} (Rekor log index ${existing.rekorLogIndex})`)
      return { signature: where, rekorLogIndex: existing.rekorLogIndex, created: false }
    }

    const layer = await signLegacy(
      this.signer,
      simpleSigningPayload(dockerReference(repository), digest),
      {
        rekorUrl: this.options.rekorUrl,
        chainPem: ''
      }
    )
    await writeLegacySignature(client, digest, layer)
    note(`signed: ${where} (Rekor log index ${layer.rekorLogIndex})`)

    // Read back from the registry and verified with Flux's rules before any tag moves.
    const after = await verifyLegacySignatures(client, digest, trust, expected)
    const ours = after.find(
      found => found.problem === undefined && found.rekorLogIndex === layer.rekorLogIndex
    )
    if (!ours) {
      throw new VerificationError(
        `the signature just written for ${digest} does not verify: ${describe(after)}`,
        {
          hint: 'no tag was moved; check that trusted-root matches fulcio-url and rekor-url, then run again'
        }
      )
    }
    note(`verified ${where} for ${identity.subject}`)
    return { signature: where, rekorLogIndex: ours.rekorLogIndex, created: true }
  }

  private trustMaterial(): Promise<TrustMaterial> {
    this.trust ??= loadTrustMaterial(this.options.trustedRoot)
    return this.trust
  }
}

/** What cosign writes as docker-reference: ggcr's Repository.Name(). */
function dockerReference(repository: Repository): string {
  return repository.registry === DOCKER_HUB
    ? `index.docker.io/${repository.path}`
    : `${repository.registry}/${repository.path}`
}

function describe(found: FoundSignature[]): string {
  if (found.length === 0) return 'no signature found'
  return found.map(f => `${f.subject || '(unknown signer)'}: ${f.problem ?? 'ok'}`).join('; ')
}
