import { messageOf } from '../errors.js'
import { createHash, type KeyObject } from 'node:crypto'
import { verifyWithKey } from '../sign/key.js'
import { certificateDer, githubClaims, type GitHubClaims } from './certificate.js'
import { bundleFromJSON } from '@sigstore/bundle'
import { Verifier, toSignedEntity, type TrustMaterial } from '@sigstore/verify'
import type { ManifestStore } from '../oci/registry.js'
import {
  ANNOTATION_BUNDLE,
  ANNOTATION_CERTIFICATE,
  ANNOTATION_SIGNATURE,
  SIMPLE_SIGNING_MEDIA_TYPE,
  readSignatureLayers,
  type SignatureLayerDescriptor
} from '../sign/legacy.js'

/**
 * Verifies the legacy `.sig` signatures of a manifest the way Flux's
 * source-controller (cosign's legacy path) does: any layer may carry the
 * signature; it counts when its certificate chains to a trusted Fulcio root,
 * its Rekor signed entry timestamp verifies and falls inside the certificate's
 * validity, the payload names this digest, and the certificate's identity
 * matches one of the expected (issuer, subject) pairs.
 */

export interface ExpectedIdentity {
  issuer: RegExp
  subject: RegExp
}

export interface FoundSignature {
  subject: string
  issuer: string
  rekorLogIndex: number
  /** The certificate's GitHub claims (keyless signatures). */
  github?: GitHubClaims
  /** Empty when valid for one of the expected identities. */
  problem: string | undefined
}

export async function verifyLegacySignatures(
  client: ManifestStore,
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
  client: ManifestStore,
  digest: string,
  layer: SignatureLayerDescriptor,
  verifier: Verifier,
  identities: readonly ExpectedIdentity[]
): Promise<FoundSignature> {
  const result: FoundSignature = { subject: '', issuer: '', rekorLogIndex: -1, problem: undefined }
  const annotations = layer.annotations ?? {}
  if (layer.mediaType !== SIMPLE_SIGNING_MEDIA_TYPE || !layer.digest)
    return { ...result, problem: `layer media type ${layer.mediaType}` }
  if (
    !annotations[ANNOTATION_SIGNATURE] ||
    !annotations[ANNOTATION_CERTIFICATE] ||
    !annotations[ANNOTATION_BUNDLE]
  ) {
    return {
      ...result,
      problem: 'layer lacks the signature, certificate or Rekor bundle annotation'
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
    const claims = JSON.parse(payload.toString()) as {
      critical?: { type?: string; image?: { 'docker-manifest-digest'?: string } }
    }
    if (claims.critical?.type !== 'cosign container image signature')
      return { ...result, problem: 'payload is not a cosign container image signature' }
    if (claims.critical.image?.['docker-manifest-digest'] !== digest) {
      return {
        ...result,
        problem: `payload signs ${claims.critical.image?.['docker-manifest-digest']}, not ${digest}`
      }
    }
  } catch (error) {
    return { ...result, problem: `invalid: ${messageOf(error)}` }
  }
  const matches = identities.some(
    identity => identity.issuer.test(result.issuer) && identity.subject.test(result.subject)
  )
  return matches ? result : { ...result, problem: 'identity not expected' }
}

/** `^<escaped>$`: what a matchOIDCIdentity entry must look like to mean exactly this value. */
export function exactRegExp(value: string): RegExp {
  return new RegExp(`^${escapeRegExp(value)}$`)
}

export function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
}

/**
 * Verifies key-based legacy signatures as `cosign verify --key` does: a layer
 * counts when its signature verifies with the public key over a payload that
 * names this digest. (The Rekor entry of a key-based signature, when there is
 * one, is not checked here.)
 */
export async function verifyKeySignatures(
  client: ManifestStore,
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
  client: ManifestStore,
  digest: string,
  layer: SignatureLayerDescriptor,
  publicKey: KeyObject
): Promise<FoundSignature> {
  const result: FoundSignature = {
    subject: 'public key',
    issuer: '',
    rekorLogIndex: -1,
    problem: undefined
  }
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
