import type { TrustMaterial } from '@sigstore/verify'
import type { RepositoryClient } from '../oci/registry.js'
import { DOCKER_HUB, type Repository } from '../oci/reference.js'
import { InputError } from '../errors.js'
import {
  exactRegExp,
  verifyKeySignatures,
  verifyLegacySignatures,
  type FoundSignature
} from '../verify/legacy.js'
import { KeySigner, loadCosignKey } from './key.js'
import { loadTrustMaterial } from '../verify/trust.js'
import { VerificationError } from './errors.js'
import { assertKeylessPossible, fetchIdentityToken } from './identity.js'
import { KeylessSigner, type SignerIdentity } from './keyless.js'
import { signLegacy, signatureTag, simpleSigningPayload, writeLegacySignature } from './legacy.js'

export { SigningError, VerificationError } from './errors.js'
export type { SignerIdentity } from './keyless.js'

export interface SigningOptions {
  /** keyless: Fulcio certificate from the OIDC token; key: a cosign key pair. */
  mode: 'keyless' | 'key'
  /** For key mode: the private key's PEM text and its password. */
  key?: { text: string; password: string } | undefined
  /** Key mode only: whether signatures are also logged in Rekor (keyless always is). */
  tlogUpload?: boolean
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
  private readonly signer: KeylessSigner | KeySigner
  private trust: Promise<TrustMaterial> | undefined

  private constructor(private readonly options: SigningOptions) {
    if (options.mode === 'key') {
      if (!options.key?.text) {
        throw new InputError('sign: key needs cosign-key', {
          hint: 'pass the content of cosign.key, e.g. cosign-key: ${{ secrets.COSIGN_KEY }}, and cosign-password'
        })
      }
      this.signer = new KeySigner(loadCosignKey(options.key.text, options.key.password))
    } else {
      this.signer = new KeylessSigner({
        fulcioUrl: options.fulcioUrl,
        getToken: () => fetchIdentityToken(options.env, options.onSecret)
      })
    }
  }

  /** Fails before any upload when this run cannot sign (no OIDC token, a key that does not open). */
  static async create(options: SigningOptions): Promise<SignaturePipeline> {
    if (options.mode === 'keyless') await assertKeylessPossible(options.env)
    return new SignaturePipeline(options)
  }

  /** The certificate identity of keyless signatures; undefined for key-based ones. */
  async identity(): Promise<SignerIdentity | undefined> {
    return this.signer instanceof KeylessSigner ? this.signer.identity() : undefined
  }

  private async verify(client: RepositoryClient, digest: string): Promise<FoundSignature[]> {
    if (this.signer instanceof KeySigner)
      return verifyKeySignatures(client, digest, this.signer.publicKey)
    const identity = await this.signer.identity()
    const expected = [
      { issuer: exactRegExp(identity.issuer), subject: exactRegExp(identity.subject) }
    ]
    return verifyLegacySignatures(client, digest, await this.trustMaterial(), expected)
  }

  /** Makes sure `digest` carries a verified signature of this signer; signs it if not. */
  async ensureSigned(
    client: RepositoryClient,
    repository: Repository,
    digest: string,
    note: (line: string) => void
  ): Promise<SignatureResult> {
    const signedBy = (await this.identity())?.subject ?? 'the cosign key'
    const where = `${repository.registry}/${repository.path}:${signatureTag(digest)}`

    const before = await this.verify(client, digest)
    const existing = before.find(found => found.problem === undefined)
    if (existing) {
      note(`already signed by ${signedBy} (Rekor log index ${existing.rekorLogIndex})`)
      return { signature: where, rekorLogIndex: existing.rekorLogIndex, created: false }
    }

    const logged = this.options.mode === 'keyless' || this.options.tlogUpload !== false
    const payload = simpleSigningPayload(dockerReference(repository), digest)
    const layer = await signLegacy(this.signer, payload, {
      rekorUrl: logged ? this.options.rekorUrl : undefined,
      chainPem: ''
    })
    await writeLegacySignature(client, digest, layer)
    note(
      `signed: ${where}${layer.rekorLogIndex >= 0 ? ` (Rekor log index ${layer.rekorLogIndex})` : ''}`
    )

    // Read back from the registry and verified with Flux's rules before any tag moves.
    const after = await this.verify(client, digest)
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
    note(`verified ${where} for ${signedBy}`)
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
