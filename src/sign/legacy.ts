import { messageOf } from '../errors.js'
import { createHash } from 'node:crypto'
import { bundleToJSON, type Bundle } from '@sigstore/bundle'
import { MessageSignatureBundleBuilder, RekorWitness, type Signer } from '@sigstore/sign'
import { content, type Content, type Descriptor } from '../artifact/index.js'
import type { ManifestStore } from '../oci/registry.js'
import { SigningError } from './errors.js'

/**
 * cosign's legacy signature format, which every Flux version with
 * matchOIDCIdentity verifies: a simple-signing payload naming the manifest
 * digest, signed, logged in Rekor v1, and stored as one layer of the image
 * at tag sha256-<hex>.sig in the artifact's repository.
 */

export const SIMPLE_SIGNING_MEDIA_TYPE = 'application/vnd.dev.cosign.simplesigning.v1+json'
export const ANNOTATION_SIGNATURE = 'dev.cosignproject.cosign/signature'
export const ANNOTATION_CERTIFICATE = 'dev.sigstore.cosign/certificate'
export const ANNOTATION_CHAIN = 'dev.sigstore.cosign/chain'
export const ANNOTATION_BUNDLE = 'dev.sigstore.cosign/bundle'
const OCI_CONFIG_MEDIA_TYPE = 'application/vnd.oci.image.config.v1+json'
const OCI_MANIFEST_MEDIA_TYPE = 'application/vnd.oci.image.manifest.v1+json'
/** cosign's readers refuse more layers than this (pkg/oci/mutate maxLayers). */
const MAX_SIGNATURE_LAYERS = 1000

/** `sha256:<hex>` becomes the tag `sha256-<hex>.sig`. */
export function signatureTag(digest: string): string {
  return `${digest.replace(':', '-')}.sig`
}

/**
 * The payload exactly as cosign writes it (Go json.Marshal: compact, this
 * field order, `optional` null): strict verifiers such as containers/image
 * check its schema, not only the signature.
 */
export function simpleSigningPayload(dockerReference: string, digest: string): Buffer {
  return Buffer.from(
    JSON.stringify({
      critical: {
        identity: { 'docker-reference': dockerReference },
        image: { 'docker-manifest-digest': digest },
        type: 'cosign container image signature'
      },
      optional: null
    })
  )
}

export interface SignatureLayer {
  payload: Buffer
  annotations: Record<string, string>
  rekorLogIndex: number
}

/** Signs a payload (one Rekor v1 hashedrekord entry) and derives cosign's layer annotations. */
export async function signLegacy(
  signer: Signer,
  payload: Buffer,
  options: { rekorUrl: string | undefined; chainPem: string }
): Promise<SignatureLayer> {
  if (!options.rekorUrl) {
    // Key-based signing without a transparency log: the signature alone.
    const { signature } = await signer.sign(payload)
    return {
      payload,
      annotations: { [ANNOTATION_SIGNATURE]: signature.toString('base64') },
      rekorLogIndex: -1
    }
  }
  const builder = new MessageSignatureBundleBuilder({
    signer,
    // Rekor v1: only it returns the signed entry timestamp the legacy format carries.
    witnesses: [
      new RekorWitness({
        rekorBaseURL: options.rekorUrl,
        majorApiVersion: 1,
        retry: { retries: 3 },
        timeout: 30_000
      })
    ]
  })
  let bundle: Bundle
  try {
    bundle = await builder.create({ data: payload })
  } catch (cause) {
    throw new SigningError(`could not sign and log the signature: ${messageOf(cause)}`, {
      cause,
      hint: 'check rekor-url and fulcio-url; if Sigstore had an outage, rerun: tags only move after a verified signature'
    })
  }
  return {
    payload,
    annotations: legacyAnnotations(bundle, options.chainPem),
    rekorLogIndex: Number(bundle.verificationMaterial.tlogEntries[0]?.logIndex ?? -1)
  }
}

function legacyAnnotations(bundle: Bundle, chainPem: string): Record<string, string> {
  const json = bundleToJSON(bundle) as {
    messageSignature?: { signature: string }
    verificationMaterial: {
      x509CertificateChain?: { certificates: { rawBytes: string }[] }
      certificate?: { rawBytes: string }
      tlogEntries: {
        logIndex: string
        logId: { keyId: string }
        integratedTime: string
        inclusionPromise?: { signedEntryTimestamp: string }
        canonicalizedBody: string
      }[]
    }
  }
  const entry = json.verificationMaterial.tlogEntries[0]
  const certificate =
    json.verificationMaterial.x509CertificateChain?.certificates[0]?.rawBytes ??
    json.verificationMaterial.certificate?.rawBytes
  if (!json.messageSignature || !entry?.inclusionPromise) {
    throw new SigningError(
      'the signature bundle lacks a signature or a Rekor v1 entry with a signed timestamp'
    )
  }
  const rekorBundle = {
    SignedEntryTimestamp: entry.inclusionPromise.signedEntryTimestamp,
    Payload: {
      body: entry.canonicalizedBody,
      integratedTime: Number(entry.integratedTime),
      logIndex: Number(entry.logIndex),
      logID: Buffer.from(entry.logId.keyId, 'base64').toString('hex')
    }
  }
  // Key-based signatures name no certificate: verifiers are given the public key.
  return {
    [ANNOTATION_SIGNATURE]: json.messageSignature.signature,
    ...(certificate
      ? { [ANNOTATION_CERTIFICATE]: toPem(certificate), [ANNOTATION_CHAIN]: chainPem }
      : {}),
    [ANNOTATION_BUNDLE]: JSON.stringify(rekorBundle)
  }
}

interface SignatureManifest {
  schemaVersion: 2
  mediaType: string
  config: Descriptor
  layers: (Descriptor & { annotations?: Record<string, string> })[]
  annotations?: Record<string, string>
}

/**
 * Adds a signature layer to the `.sig` image of `digest`, keeping the layers
 * already there (other identities, earlier runs) and never adding the same
 * signature twice. Returns the tag written.
 */
export async function writeLegacySignature(
  client: ManifestStore,
  digest: string,
  layer: SignatureLayer
): Promise<string> {
  const tag = signatureTag(digest)
  // Read again right before writing, not reused from the check before signing:
  // the Rekor call lies between, and another signer may have added a layer.
  let layers = await readSignatureLayers(client, digest)
  const payloadBlob = content(SIMPLE_SIGNING_MEDIA_TYPE, layer.payload)
  const duplicate = layers.some(
    l =>
      l.digest === payloadBlob.descriptor.digest &&
      l.annotations?.[ANNOTATION_SIGNATURE] === layer.annotations[ANNOTATION_SIGNATURE]
  )
  if (duplicate) return tag
  if (layers.length >= MAX_SIGNATURE_LAYERS) {
    throw new SigningError(
      `${tag} already holds ${layers.length} signatures, the most cosign reads`,
      {
        hint: 'delete the .sig tag (its old signatures are in Rekor) and run again'
      }
    )
  }
  layers = [...layers, { ...payloadBlob.descriptor, annotations: layer.annotations }]

  const config = signatureConfig(layers.map(l => l.digest))
  await client.pushBlob(payloadBlob.descriptor, { bytes: payloadBlob.bytes })
  await client.pushBlob(config.descriptor, { bytes: config.bytes })
  const manifest: SignatureManifest = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST_MEDIA_TYPE,
    config: config.descriptor,
    layers
  }
  await client.putManifest(
    tag,
    content(OCI_MANIFEST_MEDIA_TYPE, Buffer.from(JSON.stringify(manifest)))
  )
  return tag
}

export type SignatureLayerDescriptor = SignatureManifest['layers'][number]

/** The layers of the `.sig` image of `digest`; none when there is no such image. */
export async function readSignatureLayers(
  client: ManifestStore,
  digest: string
): Promise<SignatureLayerDescriptor[]> {
  const manifest = await client.getManifest(signatureTag(digest))
  if (!manifest) return []
  let parsed: Partial<SignatureManifest>
  try {
    parsed = JSON.parse(manifest.bytes.toString()) as Partial<SignatureManifest>
  } catch {
    return [] // not a signature image: nothing in it can verify, and a writer replaces it
  }
  // Layers that are not objects are skipped, and at most as many are read as a writer would add.
  return Array.isArray(parsed.layers)
    ? parsed.layers
        .filter((l): l is SignatureLayerDescriptor => typeof l === 'object' && l !== null)
        .slice(0, MAX_SIGNATURE_LAYERS)
    : []
}

/** The config cosign (ggcr) writes for a signature image; nobody reads it, but it is valid. */
function signatureConfig(diffIds: string[]): Content {
  const zero = '0001-01-01T00:00:00Z'
  const json = {
    architecture: '',
    created: zero,
    history: diffIds.map(() => ({ created: zero })),
    os: '',
    rootfs: { type: 'layers', diff_ids: diffIds },
    config: {}
  }
  return content(OCI_CONFIG_MEDIA_TYPE, Buffer.from(JSON.stringify(json)))
}

export function payloadDigest(payload: Buffer): string {
  return `sha256:${createHash('sha256').update(payload).digest('hex')}`
}

/** PEM of a DER certificate given in base64, 64 columns as cosign writes it. */
export function toPem(base64Der: string): string {
  return `-----BEGIN CERTIFICATE-----\n${base64Der.match(/.{1,64}/g)?.join('\n') ?? ''}\n-----END CERTIFICATE-----\n`
}
