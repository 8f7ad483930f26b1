import { InputError } from '../errors.js'
import type { Layer } from './layer.js'
import { OCI_MANIFEST_MEDIA_TYPE, content, type Content, type Descriptor } from '../oci/content.js'

export const FLUX_CONFIG_MEDIA_TYPE = 'application/vnd.cncf.flux.config.v1+json'
export const FLUX_CONTENT_MEDIA_TYPE = 'application/vnd.cncf.flux.content.v1.tar+gzip'

export const ANNOTATION_CREATED = 'org.opencontainers.image.created'
export const ANNOTATION_SOURCE = 'org.opencontainers.image.source'
export const ANNOTATION_REVISION = 'org.opencontainers.image.revision'

export interface ArtifactMetadata {
  /** RFC 3339 UTC, second precision. */
  created: string
  /** e.g. https://github.com/org/repo */
  source?: string | undefined
  /** `<ref-name>@sha1:<40 hex>` */
  revision?: string | undefined
  /** User annotations; they override created/source/revision, as with `flux push artifact`. */
  annotations?: Readonly<Record<string, string>> | undefined
}

/**
 * The config blob. source-controller never reads it; it carries the diffID so
 * a later run can tell unchanged content without depending on the compressor,
 * in the shape Flux <= 2.8 uploads, with fields in Go's order.
 */
export function fluxConfig(layer: Pick<Layer, 'diffId'>, created: string): Content {
  const json = {
    architecture: '',
    created,
    history: [{ created }],
    os: '',
    rootfs: { type: 'layers', diff_ids: [layer.diffId] },
    config: {}
  }
  return content(FLUX_CONFIG_MEDIA_TYPE, Buffer.from(JSON.stringify(json)))
}

/**
 * The OCI image manifest `flux push artifact` writes: one tar+gzip layer, no
 * artifactType, fields in ggcr's order and annotation keys sorted, so the same
 * inputs always give the same manifest digest.
 */
export function fluxManifest(
  config: Descriptor,
  layer: Pick<Layer, 'digest' | 'size'>,
  annotations: Readonly<Record<string, string>>
): Content {
  const json = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST_MEDIA_TYPE,
    config: { mediaType: config.mediaType, size: config.size, digest: config.digest },
    layers: [{ mediaType: FLUX_CONTENT_MEDIA_TYPE, size: layer.size, digest: layer.digest }],
    annotations
  }
  return content(OCI_MANIFEST_MEDIA_TYPE, Buffer.from(JSON.stringify(json)))
}

/** The manifest annotations: Flux's three, then the user's over them, keys sorted. */
export function artifactAnnotations(metadata: ArtifactMetadata): Record<string, string> {
  const merged: Record<string, string> = { [ANNOTATION_CREATED]: metadata.created }
  if (metadata.source) merged[ANNOTATION_SOURCE] = metadata.source
  if (metadata.revision) merged[ANNOTATION_REVISION] = metadata.revision
  Object.assign(merged, metadata.annotations ?? {})
  const created = merged[ANNOTATION_CREATED]
  if (created !== undefined && !RFC3339.test(created)) {
    throw new InputError(`annotation ${ANNOTATION_CREATED}=${created} is not an RFC 3339 time`, {
      hint: 'write it like 2026-01-31T12:00:00Z (Flux rejects other formats)'
    })
  }
  return Object.fromEntries(
    Object.keys(merged)
      .sort()
      .map(key => [key, merged[key] ?? ''])
  )
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/

/** RFC 3339 in UTC with second precision, the format of Flux's created annotation. */
export function formatCreated(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z')
}
