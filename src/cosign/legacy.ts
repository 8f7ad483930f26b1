import { content, OCI_CONFIG_MEDIA_TYPE, type Content, type Descriptor } from '../oci/content.js'
import type { ContentSource } from '../oci/registry.js'

/**
 * cosign's legacy signature format, as both the signer and the verifiers
 * read and write it: a simple-signing payload naming the manifest digest,
 * stored as one layer of the image at tag sha256-<hex>.sig in the artifact's
 * repository, with the signature, certificate, chain and Rekor bundle as
 * layer annotations.
 */

export const SIMPLE_SIGNING_MEDIA_TYPE = 'application/vnd.dev.cosign.simplesigning.v1+json'
export const ANNOTATION_SIGNATURE = 'dev.cosignproject.cosign/signature'
export const ANNOTATION_CERTIFICATE = 'dev.sigstore.cosign/certificate'
export const ANNOTATION_CHAIN = 'dev.sigstore.cosign/chain'
export const ANNOTATION_BUNDLE = 'dev.sigstore.cosign/bundle'
/** cosign's readers refuse more layers than this (pkg/oci/mutate maxLayers). */
export const MAX_SIGNATURE_LAYERS = 1000

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

export interface SignatureManifest {
  schemaVersion: 2
  mediaType: string
  config: Descriptor
  layers: (Descriptor & { annotations?: Record<string, string> })[]
  annotations?: Record<string, string>
}

export type SignatureLayerDescriptor = SignatureManifest['layers'][number]

/** The layers of the `.sig` image of `digest`; none when there is no such image. */
export async function readSignatureLayers(
  client: ContentSource,
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
export function signatureConfig(diffIds: string[]): Content {
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

/** PEM of a DER certificate given in base64, 64 columns as cosign writes it. */
export function toPem(base64Der: string): string {
  return `-----BEGIN CERTIFICATE-----\n${base64Der.match(/.{1,64}/g)?.join('\n') ?? ''}\n-----END CERTIFICATE-----\n`
}
