import { messageOf } from '../errors.js'
import { escapeRegExp, quoteExternal } from '../text.js'
import { createHash, type KeyObject } from 'node:crypto'
import { verifyWithKey } from '../cosign/keys.js'
import { certificateDer, githubClaims, type GitHubClaims } from './certificate.js'
import { bundleFromJSON } from '@sigstore/bundle'
import { Verifier, toSignedEntity, type TrustMaterial } from '@sigstore/verify'
import type { ContentSource } from '../oci/registry.js'
import {
  ANNOTATION_BUNDLE,
  ANNOTATION_CERTIFICATE,
  ANNOTATION_SIGNATURE,
  SIMPLE_SIGNING_MEDIA_TYPE,
  readSignatureLayers,
  type SignatureLayerDescriptor
} from '../cosign/legacy.js'

/**
 * Verifies the legacy `.sig` signatures of a manifest the way Flux's
 * source-controller (cosign's legacy path) does: any layer may carry the
 * signature; it counts when its certificate chains to a trusted Fulcio root,
 * its Rekor signed entry timestamp verifies and falls inside the certificate's
 * validity, the payload names this digest, and the certificate's identity
 * matches one of the expected (issuer, subject) pairs.
 */

/** A compiled regular expression as identities use it: found anywhere in the value (Go's MatchString). */
export interface IdentityMatcher {
  test(value: string): boolean
  /** The pattern as written. */
  readonly source: string
}

export interface ExpectedIdentity {
  issuer: IdentityMatcher
  subject: IdentityMatcher
}

export interface FoundSignature {
  subject: string
  issuer: string
  rekorLogIndex: number
  /** The certificate's GitHub claims (keyless signatures). */
  github?: GitHubClaims
  /** Empty when valid for one of the expected identities: fleetpack's verdict on it. */
  problem: string | undefined
  /**
   * Flux's verdict on the same signature, where it differs: Flux does not
   * check a legacy payload's claims (a signature copied from another digest
   * is 'valid' to it), and looks a signature without a Rekor bundle up online.
   */
  flux: 'valid' | 'invalid' | 'online'
  /** Something true of a valid signature worth saying (an attestation counted as a signature). */
  note?: string
}

/** A signature not yet examined: no signer known, invalid to fleetpack and to Flux until proven. */
export function unexamined(subject = ''): FoundSignature {
  return { subject, issuer: '', rekorLogIndex: -1, problem: undefined, flux: 'invalid' }
}

/** Whether a signer matches one of the identities; no identities at all match anyone, as in cosign. */
export function matchesAny(
  identities: readonly ExpectedIdentity[],
  signer: { issuer: string; subject: string }
): boolean {
  return (
    identities.length === 0 ||
    identities.some(
      identity => identity.issuer.test(signer.issuer) && identity.subject.test(signer.subject)
    )
  )
}

export async function verifyLegacySignatures(
  client: ContentSource,
  digest: string,
  trust: TrustMaterial,
  identities: readonly ExpectedIdentity[]
): Promise<FoundSignature[]> {
  const layers = await readSignatureLayers(client, digest)
  if (layers.length === 0) return []
  const verifier = new Verifier(trust, {
    tlogThreshold: 1,
    ctlogThreshold: 1,
    timestampThreshold: 1
  })
  const found: FoundSignature[] = []
  for (const layer of layers) {
    found.push(await checkLayer(client, digest, layer, verifier, identities))
  }
  return found
}

async function checkLayer(
  client: ContentSource,
  digest: string,
  layer: SignatureLayerDescriptor,
  verifier: Verifier,
  identities: readonly ExpectedIdentity[]
): Promise<FoundSignature> {
  const result = unexamined()
  const annotations = layer.annotations ?? {}
  if (layer.mediaType !== SIMPLE_SIGNING_MEDIA_TYPE || !layer.digest)
    return { ...result, problem: `layer media type ${quoteExternal(String(layer.mediaType))}` }
  if (!annotations[ANNOTATION_SIGNATURE] || !annotations[ANNOTATION_CERTIFICATE]) {
    return { ...result, problem: 'layer lacks the signature or certificate annotation' }
  }
  if (!annotations[ANNOTATION_BUNDLE]) {
    // cosign (and so Flux) then searches Rekor online for the entry; fleetpack verifies offline.
    return {
      ...result,
      problem: 'layer has no Rekor bundle annotation: Flux would look the entry up in Rekor online',
      flux: 'online'
    }
  }
  // Decoded once, strictly: these bytes are verified and their claims read.
  const der = certificateDer(annotations[ANNOTATION_CERTIFICATE])
  if (!der)
    return {
      ...result,
      problem: 'the certificate annotation is not exactly one PEM certificate'
    }
  try {
    const payload = await client.getBlob(layer.digest, 64 * 1024)
    const rekor = JSON.parse(annotations[ANNOTATION_BUNDLE]) as {
      SignedEntryTimestamp: string
      Payload: { body: string; integratedTime: number; logIndex: number; logID: string }
    }
    result.rekorLogIndex = rekor.Payload.logIndex
    const body = JSON.parse(Buffer.from(rekor.Payload.body, 'base64').toString()) as {
      kind: string
      apiVersion: string
    }
    const bundle = bundleFromJSON({
      mediaType: 'application/vnd.dev.sigstore.bundle+json;version=0.1',
      verificationMaterial: {
        x509CertificateChain: { certificates: [{ rawBytes: der.toString('base64') }] },
        tlogEntries: [
          {
            logIndex: String(rekor.Payload.logIndex),
            logId: { keyId: Buffer.from(rekor.Payload.logID, 'hex').toString('base64') },
            kindVersion: { kind: body.kind, version: body.apiVersion },
            integratedTime: String(rekor.Payload.integratedTime),
            inclusionPromise: { signedEntryTimestamp: rekor.SignedEntryTimestamp },
            canonicalizedBody: rekor.Payload.body
          }
        ],
        timestampVerificationData: { rfc3161Timestamps: [] }
      },
      messageSignature: {
        messageDigest: {
          algorithm: 'SHA2_256',
          digest: createHash('sha256').update(payload).digest('base64')
        },
        signature: annotations[ANNOTATION_SIGNATURE]
      }
    })
    const signer = verifier.verify(toSignedEntity(bundle, payload))
    result.subject = signer.identity?.subjectAlternativeName ?? ''
    result.issuer = signer.identity?.extensions?.issuer ?? ''
    result.github = githubClaims(der)
    if (!matchesAny(identities, result)) return { ...result, problem: 'identity not expected' }
    // From here on the signature and its signer are valid: Flux accepts it.
    // fleetpack also checks what the payload claims, which Flux does not
    // (no ClaimVerifier): a signature layer copied from another digest.
    result.flux = 'valid'
    const claims = JSON.parse(payload.toString()) as {
      critical?: { type?: string; image?: { 'docker-manifest-digest'?: string } }
    }
    if (claims.critical?.type !== 'cosign container image signature')
      return { ...result, problem: 'payload is not a cosign container image signature' }
    if (claims.critical.image?.['docker-manifest-digest'] !== digest) {
      return {
        ...result,
        problem: `payload signs ${quoteExternal(String(claims.critical.image?.['docker-manifest-digest']))}, not ${digest} (a signature copied from another digest)`
      }
    }
    return result
  } catch (error) {
    return { ...result, problem: `invalid: ${messageOf(error)}`, flux: 'invalid' }
  }
}

/** `^<escaped>$`: what a matchOIDCIdentity entry must look like to mean exactly this value. */
export function exactRegExp(value: string): RegExp {
  return new RegExp(`^${escapeRegExp(value)}$`)
}

/**
 * Verifies key-based legacy signatures as `cosign verify --key` does: a layer
 * counts when its signature verifies with the public key over a payload that
 * names this digest. (The Rekor entry of a key-based signature, when there is
 * one, is not checked here.)
 */
export async function verifyKeySignatures(
  client: ContentSource,
  digest: string,
  publicKey: KeyObject
): Promise<FoundSignature[]> {
  const found: FoundSignature[] = []
  for (const layer of await readSignatureLayers(client, digest)) {
    // One junk layer (anyone who can push may add one) must not hide the others.
    found.push(await checkKeyLayer(client, digest, layer, publicKey))
  }
  return found
}

async function checkKeyLayer(
  client: ContentSource,
  digest: string,
  layer: SignatureLayerDescriptor,
  publicKey: KeyObject
): Promise<FoundSignature> {
  const result = unexamined('public key')
  const signature = layer.annotations?.[ANNOTATION_SIGNATURE]
  if (layer.mediaType !== SIMPLE_SIGNING_MEDIA_TYPE || !layer.digest || !signature)
    return { ...result, problem: 'not a simple-signing layer with a signature' }
  try {
    const bundle = layer.annotations?.[ANNOTATION_BUNDLE]
    if (bundle)
      result.rekorLogIndex = Number(
        (JSON.parse(bundle) as { Payload?: { logIndex?: unknown } }).Payload?.logIndex ?? -1
      )
    const payload = await client.getBlob(layer.digest, 64 * 1024)
    if (!verifyWithKey(publicKey, payload, Buffer.from(signature, 'base64')))
      return { ...result, problem: 'signature does not verify with the key' }
    result.flux = 'valid' // Flux checks no claims here either
    const claims = JSON.parse(payload.toString()) as {
      critical?: { image?: { 'docker-manifest-digest'?: string } }
    }
    const signed = claims.critical?.image?.['docker-manifest-digest']
    return signed === digest
      ? result
      : { ...result, problem: `payload signs ${signed}, not ${digest}` }
  } catch (error) {
    return { ...result, problem: `invalid: ${messageOf(error)}` }
  }
}
