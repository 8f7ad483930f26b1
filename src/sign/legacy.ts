import { messageOf } from '../errors.js'
import { bundleToJSON, type Bundle } from '@sigstore/bundle'
import { MessageSignatureBundleBuilder, RekorWitness, type Signer } from '@sigstore/sign'
import { content, OCI_MANIFEST_MEDIA_TYPE } from '../oci/content.js'
import type { ManifestStore } from '../oci/registry.js'
import { SigningError } from '../errors.js'
import {
  ANNOTATION_BUNDLE,
  ANNOTATION_CERTIFICATE,
  ANNOTATION_CHAIN,
  ANNOTATION_SIGNATURE,
  MAX_SIGNATURE_LAYERS,
  SIMPLE_SIGNING_MEDIA_TYPE,
  readSignatureLayers,
  signatureConfig,
  signatureTag,
  toPem,
  type SignatureManifest
} from '../cosign/legacy.js'

/**
 * cosign's legacy signature format, which every Flux version with
 * matchOIDCIdentity verifies: a simple-signing payload naming the manifest
 * digest, signed, logged in Rekor v1, and stored as one layer of the image
 * at tag sha256-<hex>.sig in the artifact's repository.
 */

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
