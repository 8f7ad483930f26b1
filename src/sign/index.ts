import type { TrustMaterial } from '@sigstore/verify'
import type { ManifestStore } from '../oci/registry.js'
import { DOCKER_HUB, type Repository } from '../oci/reference.js'
import { InputError } from '../errors.js'
import {
  exactRegExp,
  verifyKeySignatures,
  verifyLegacySignatures,
  type ExpectedIdentity,
  type FoundSignature
} from '../verify/legacy.js'
import { KeySigner, loadCosignKey } from './key.js'
import { signBundle, writeBundleReferrer } from './bundle.js'
import { findBundleReferrers, verifyBundleSignatures } from '../verify/bundle.js'
import { SLSA_PROVENANCE_PREDICATE, statement } from '../cosign/bundle.js'
import { provenancePredicate } from './provenance.js'
import { recordAttestation, type AttestationsTarget } from './attestations.js'
import type { Descriptor } from '../oci/content.js'
import { loadTrustMaterial } from '../verify/trust.js'
import type { GitHubClaims } from '../verify/certificate.js'
import { quoteExternal } from '../text.js'
import { VerificationError } from '../errors.js'
import { assertKeylessPossible, fetchIdentityToken } from './identity.js'
import { KeylessSigner, type SignerIdentity } from './keyless.js'
import { signLegacy, writeLegacySignature } from './legacy.js'
import { signatureTag, simpleSigningPayload, toPem } from '../cosign/legacy.js'
import { X509Certificate } from '@sigstore/core'

export { SigningError, VerificationError } from '../errors.js'
export type { SignerIdentity } from './keyless.js'

export interface SigningOptions {
  /** keyless: Fulcio certificate from the OIDC token; key: a cosign key pair. */
  mode: 'keyless' | 'key'
  /** For key mode: the private key's PEM text and its password. */
  key?: { text: string; password: string } | undefined
  /** Key mode only: whether signatures are also logged in Rekor (keyless always is). */
  tlogUpload?: boolean
  /** legacy: cosign's .sig tag (every Flux); bundle: a Sigstore bundle referrer (Flux >= 2.8); both. */
  format: 'legacy' | 'bundle' | 'both'
  /** An RFC 3161 timestamp authority, added to bundles when set. */
  tsaUrl?: string | undefined
  fulcioUrl: string
  rekorUrl: string
  trustedRoot: string | undefined
  env: Readonly<Record<string, string | undefined>>
  onSecret: (secret: string) => void
  /**
   * Also attach SLSA build provenance, signed with the run's certificate, as
   * a Sigstore bundle referrer (keyless only).
   */
  provenance?: boolean
  /** Also record the provenance with GitHub's artifact attestations API. */
  githubAttestations?: AttestationsTarget | undefined
}

export interface SignatureResult {
  /** repository:sha256-<hex>.sig */
  signature: string
  rekorLogIndex: number
}

/**
 * Signing for one run: one certificate for every component, and the rule
 * that a digest counts as signed only when a signature for this run's
 * identity reads back from the registry and verifies as Flux would verify it.
 */
export class SignaturePipeline {
  private readonly signer: KeylessSigner | KeySigner
  private trust: Promise<TrustMaterial> | undefined
  private readonly referrersProbes = new Map<string, Promise<boolean>>()
  /** What signedByThisRun just found for a format and digest, taken once by ensureSigned. */
  private readonly justVerified = new Map<string, FoundSignature[]>()

  private constructor(private readonly options: SigningOptions) {
    if (options.mode === 'key' && options.format !== 'legacy') {
      throw new InputError(`signature-format: ${options.format} needs keyless signing`, {
        hint: 'key-based signatures use the legacy format: set signature-format: legacy, or sign: keyless'
      })
    }
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

  /**
   * The identity this run signed with, for the report: undefined when no
   * certificate was needed (nothing reached signing), without asking Fulcio.
   */
  async signedIdentity(): Promise<SignerIdentity | undefined> {
    return this.signer instanceof KeylessSigner ? this.signer.knownIdentity() : undefined
  }

  private async expected(): Promise<ExpectedIdentity[]> {
    const identity = await this.identity()
    return identity
      ? [{ issuer: exactRegExp(identity.issuer), subject: exactRegExp(identity.subject) }]
      : []
  }

  /**
   * The signatures of `digest` in `format`, each valid only when it is of this
   * run's identity *and* this run's repository: a reusable workflow gives
   * every caller repository the same identity, so the identity alone would let
   * another caller's signature pass for this repository's.
   */
  private async verify(
    client: ManifestStore,
    digest: string,
    format: 'legacy' | 'bundle',
    referrersApi: boolean
  ): Promise<FoundSignature[]> {
    if (this.signer instanceof KeySigner)
      return verifyKeySignatures(client, digest, this.signer.publicKey)
    const found =
      format === 'bundle'
        ? await verifyBundleSignatures(
            client,
            digest,
            await this.trustMaterial(),
            await this.expected(),
            referrersApi
          )
        : await verifyLegacySignatures(
            client,
            digest,
            await this.trustMaterial(),
            await this.expected()
          )
    const own = await this.signer.claims()
    return found.map(f =>
      f.problem === undefined && !sameSource(f.github, own)
        ? {
            ...f,
            problem: `signed by this identity for another repository (${quoteExternal(f.github?.repository ?? 'unknown')}), not ${own.repository ?? 'this one'}`
          }
        : f
    )
  }

  /**
   * Whether `manifest` already carries a valid signature of this run's
   * signer (identity and repository) in the first configured format: proof
   * that this workflow built or proved it before.
   */
  async signedByThisRun(
    client: ManifestStore,
    repository: Repository,
    manifest: Descriptor
  ): Promise<boolean> {
    const format = this.options.format === 'bundle' ? 'bundle' : 'legacy'
    const referrersApi = format === 'bundle' ? await this.referrersApi(client, repository) : false
    const found = await this.verify(client, manifest.digest, format, referrersApi)
    // ensureSigned comes next for this digest: it reads this answer instead of asking again.
    this.justVerified.set(`${format}|${manifest.digest}`, found)
    return found.some(f => f.problem === undefined)
  }

  /**
   * Makes sure the manifest carries a verified signature of this signer in
   * each configured format; signs where it does not.
   */
  async ensureSigned(
    client: ManifestStore,
    repository: Repository,
    manifest: Descriptor,
    note: (line: string) => void
  ): Promise<SignatureResult> {
    const formats: ('legacy' | 'bundle')[] =
      this.options.format === 'both' ? ['legacy', 'bundle'] : [this.options.format]
    const referrersApi = formats.includes('bundle')
      ? await this.referrersApi(client, repository)
      : false
    if (formats.includes('bundle')) {
      note(
        `referrers: ${referrersApi ? 'the registry API' : 'the sha256-<hex> tag (no referrers API)'}`
      )
    }
    const results: SignatureResult[] = []
    for (const format of formats) {
      results.push(
        await this.ensureFormat(client, repository, manifest, format, referrersApi, note)
      )
    }
    return results[0] as SignatureResult
  }

  private async ensureFormat(
    client: ManifestStore,
    repository: Repository,
    manifest: Descriptor,
    format: 'legacy' | 'bundle',
    referrersApi: boolean,
    note: (line: string) => void
  ): Promise<SignatureResult> {
    const digest = manifest.digest
    const signedBy = (await this.identity())?.subject ?? 'the cosign key'
    const name = `${repository.registry}/${repository.path}`
    const key = `${format}|${digest}`
    const before =
      this.justVerified.get(key) ?? (await this.verify(client, digest, format, referrersApi))
    this.justVerified.delete(key)
    const existing = before.find(found => found.problem === undefined)
    if (existing) {
      note(`${format}: already signed by ${signedBy} (Rekor log index ${existing.rekorLogIndex})`)
      const signature =
        format === 'legacy'
          ? `${name}:${signatureTag(digest)}`
          : `${name} (bundle referrer of ${digest})`
      return { signature, rekorLogIndex: existing.rekorLogIndex }
    }

    let where: string
    let rekorLogIndex: number
    if (format === 'legacy') {
      const logged = this.options.mode === 'keyless' || this.options.tlogUpload !== false
      const layer = await signLegacy(
        this.signer,
        simpleSigningPayload(dockerReference(repository), digest),
        {
          rekorUrl: logged ? this.options.rekorUrl : undefined,
          chainPem: await this.chainPem()
        }
      )
      await writeLegacySignature(client, digest, layer)
      where = `${name}:${signatureTag(digest)}`
      rekorLogIndex = layer.rekorLogIndex
    } else {
      const bundle = await signBundle(this.signer, digest, {
        rekorUrl: this.options.rekorUrl,
        tsaUrl: this.options.tsaUrl
      })
      const referrer = await writeBundleReferrer(client, manifest, bundle.json, referrersApi)
      where = `${name}@${referrer}`
      rekorLogIndex = bundle.rekorLogIndex
    }
    note(
      `${format}: signed ${where}${rekorLogIndex >= 0 ? ` (Rekor log index ${rekorLogIndex})` : ''}`
    )

    // Read back from the registry and verified with Flux's rules before any tag moves.
    const after = await this.verify(client, digest, format, referrersApi)
    const ours = after.find(
      found => found.problem === undefined && found.rekorLogIndex === rekorLogIndex
    )
    if (!ours) {
      throw new VerificationError(
        `the ${format} signature just written for ${digest} does not verify: ${describe(after)}`,
        {
          hint: 'no tag was moved; check that trusted-root matches fulcio-url and rekor-url, then run again'
        }
      )
    }
    note(`${format}: verified ${where} for ${signedBy}`)
    return { signature: where, rekorLogIndex }
  }

  /**
   * Attaches SLSA build provenance (this workflow, ref, repository, commit
   * and run built this digest), signed with the run's certificate, as a
   * bundle referrer, unless one of this signer's is there already; then
   * reads the referrers back and verifies it. A bundle referrer puts
   * Flux >= 2.8 on its bundle path (one identity only), where this bundle,
   * of the same identity, is what it verifies.
   */
  async attachProvenance(
    client: ManifestStore,
    repository: Repository,
    manifest: Descriptor,
    note: (line: string) => void
  ): Promise<string | undefined> {
    if (!this.options.provenance) return undefined
    const predicate = provenancePredicate(this.options.env)
    if (!predicate || !(this.signer instanceof KeylessSigner)) {
      throw new InputError('provenance needs keyless signing in a GitHub Actions workflow', {
        hint: 'set sign: keyless, or provenance: false'
      })
    }
    const digest = manifest.digest
    const referrersApi = await this.referrersApi(client, repository)
    const ours = await this.verifiedProvenance(client, digest, referrersApi)
    if (ours) {
      note('provenance: already attached by this workflow')
      return ours
    }
    const name = `${repository.registry}/${repository.path}`
    const bundle = await signBundle(
      this.signer,
      digest,
      { rekorUrl: this.options.rekorUrl, tsaUrl: this.options.tsaUrl },
      statement(name, digest, SLSA_PROVENANCE_PREDICATE, predicate)
    )
    const referrer = await writeBundleReferrer(
      client,
      manifest,
      bundle.json,
      referrersApi,
      SLSA_PROVENANCE_PREDICATE
    )
    if (!(await this.verifiedProvenance(client, digest, referrersApi)))
      throw new VerificationError(`the provenance just attached to ${digest} does not verify`, {
        hint: 'no tag was moved; check trusted-root against fulcio-url and rekor-url, then run again'
      })
    note(`provenance: SLSA v1 attached as ${name}@${referrer}, verified`)
    if (this.options.githubAttestations) {
      const id = await recordAttestation(this.options.githubAttestations, bundle.json)
      note(`provenance: recorded with GitHub's attestations API (${id})`)
    }
    return `${name}@${referrer}`
  }

  /** The blob digest of a provenance bundle of this signer that verifies, if any. */
  private async verifiedProvenance(
    client: ManifestStore,
    digest: string,
    referrersApi: boolean
  ): Promise<string | undefined> {
    const provenance = (await findBundleReferrers(client, digest, referrersApi)).filter(
      referrer => predicateTypeOf(referrer.json) === SLSA_PROVENANCE_PREDICATE
    )
    if (provenance.length === 0) return undefined
    const found = await verifyBundleSignatures(
      client,
      digest,
      await this.trustMaterial(),
      await this.expected(),
      provenance
    )
    return found.some(f => f.problem === undefined) ? provenance[0]?.blob : undefined
  }

  /**
   * The certificate chain above this run's certificate, for the legacy chain
   * annotation, as cosign writes it (Fulcio's intermediates and root, PEM):
   * the certificate authority of the trusted root that issued it. Verifiers
   * use their own roots; the annotation lets a reader see the issuer.
   */
  private async chainPem(): Promise<string> {
    if (!(this.signer instanceof KeylessSigner)) return ''
    const leaf = X509Certificate.parse(await this.signer.certificatePem())
    const authority = (await this.trustMaterial()).certificateAuthorities.find(
      ca =>
        ca.certChain[0]?.subject.equals(leaf.issuer) &&
        ca.validFor.start <= leaf.notBefore &&
        leaf.notBefore <= ca.validFor.end
    )
    return (authority?.certChain ?? [])
      .map(certificate => toPem(certificate.root.toDER().toString('base64')))
      .join('')
  }

  /** Whether the registry serves the referrers API: probed once per registry, not per artifact. */
  private referrersApi(client: ManifestStore, repository: Repository): Promise<boolean> {
    let probe = this.referrersProbes.get(repository.registry)
    if (!probe) {
      probe = client.supportsReferrersApi()
      probe.catch(() => this.referrersProbes.delete(repository.registry))
      this.referrersProbes.set(repository.registry, probe)
    }
    return probe
  }

  private trustMaterial(): Promise<TrustMaterial> {
    this.trust ??= loadTrustMaterial(this.options.trustedRoot)
    return this.trust
  }
}

/** The same repository: by ID where both certificates carry one, and by name. */
function sameSource(found: GitHubClaims | undefined, own: GitHubClaims): boolean {
  if (own.repositoryId && found?.repositoryId && own.repositoryId !== found.repositoryId)
    return false
  return own.repository === undefined || found?.repository === own.repository
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

/** The predicate type inside a bundle's DSSE envelope (undefined for anything else). */
function predicateTypeOf(bundle: unknown): string | undefined {
  try {
    const payload = (bundle as { dsseEnvelope?: { payload?: unknown } }).dsseEnvelope?.payload
    if (typeof payload !== 'string') return undefined
    const parsed = JSON.parse(Buffer.from(payload, 'base64').toString('utf8')) as {
      predicateType?: unknown
    }
    return typeof parsed.predicateType === 'string' ? parsed.predicateType : undefined
  } catch {
    return undefined
  }
}
