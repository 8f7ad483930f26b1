import { createHash } from 'node:crypto'

/**
 * What the OCI image and distribution specs call content: descriptors, and
 * the exact bytes behind them. Everything above the OCI client (the Flux
 * artifact, cosign's signature formats) builds on these.
 */

export const OCI_MANIFEST_MEDIA_TYPE = 'application/vnd.oci.image.manifest.v1+json'
export const OCI_INDEX_MEDIA_TYPE = 'application/vnd.oci.image.index.v1+json'
export const OCI_CONFIG_MEDIA_TYPE = 'application/vnd.oci.image.config.v1+json'
export const OCI_EMPTY_MEDIA_TYPE = 'application/vnd.oci.empty.v1+json'

export interface Descriptor {
  mediaType: string
  size: number
  digest: string
}

/** A blob or manifest as the exact bytes that are pushed and hashed. */
export interface Content {
  bytes: Buffer
  descriptor: Descriptor
}

/** `bytes` with the descriptor that addresses them. */
export function content(mediaType: string, bytes: Buffer): Content {
  return {
    bytes,
    descriptor: {
      mediaType,
      size: bytes.length,
      digest: `sha256:${createHash('sha256').update(bytes).digest('hex')}`
    }
  }
}
