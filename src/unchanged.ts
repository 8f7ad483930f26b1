import { createHash } from 'node:crypto'
import { Transform, Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { createGunzip } from 'node:zlib'
import { FLUX_CONFIG_MEDIA_TYPE, FLUX_CONTENT_MEDIA_TYPE } from './artifact/index.js'
import { OCI_MANIFEST_MEDIA_TYPE, type Content } from './oci/content.js'
import type { Component } from './components.js'
import { describeError } from './errors.js'
import type { ContentReader, ManifestStore, RemoteManifest } from './oci/registry.js'
import type { SignaturePipeline } from './sign/index.js'

/**
 * Whether the registry already holds this tree: the diff-tag shortcut of the
 * publish pipeline. A remote config's diffID is only a claim (anyone with push
 * access can pair a tree's predictable diffID with another layer), so a
 * candidate is reused only once proven to hold the tree.
 */

/** A remote manifest in the shape fleetpack and Flux write: a Flux config and exactly one Flux layer. */
export function fluxArtifact(
  remote: RemoteManifest
): { config: string; layer: { digest: string; size: number } } | undefined {
  let parsed: {
    config?: { mediaType?: unknown; digest?: unknown }
    layers?: { mediaType?: unknown; digest?: unknown; size?: unknown }[]
    subject?: unknown
  }
  try {
    parsed = JSON.parse(remote.bytes.toString()) as typeof parsed
  } catch {
    return undefined
  }
  const layer =
    Array.isArray(parsed.layers) && parsed.layers.length === 1 ? parsed.layers[0] : undefined
  if (
    remote.mediaType !== OCI_MANIFEST_MEDIA_TYPE ||
    parsed.config?.mediaType !== FLUX_CONFIG_MEDIA_TYPE ||
    typeof parsed.config.digest !== 'string' ||
    parsed.subject !== undefined ||
    layer?.mediaType !== FLUX_CONTENT_MEDIA_TYPE ||
    typeof layer.digest !== 'string' ||
    typeof layer.size !== 'number'
  )
    return undefined
  return { config: parsed.config.digest, layer: { digest: layer.digest, size: layer.size } }
}

/**
 * The diffID a remote Flux config claims, or undefined for anything else
 * (compressed digests differ between compressors; diffIDs do not).
 */
export async function configDiffId(
  client: ContentReader,
  digest: string
): Promise<string | undefined> {
  try {
    const config = JSON.parse((await client.getBlob(digest, 64 * 1024)).toString()) as {
      rootfs?: { diff_ids?: unknown[] }
    }
    const diffId = config.rootfs?.diff_ids?.[0]
    return typeof diffId === 'string' ? diffId : undefined
  } catch {
    return undefined // a config we cannot read means "changed": publishing again is safe
  }
}

/**
 * Proves that a remote artifact whose config claims this tree's diffID really
 * holds this tree; returns why not, or undefined when proven. Cheapest
 * first: a valid signature of this run's signer (identity and repository),
 * which this workflow gives only to what it built or proved. Otherwise its
 * layer is downloaded (bounded by its descriptor's size), checked against its
 * digest, decompressed (bounded by the local tar's size) and hashed to the
 * local diffID.
 */
export async function proveUnchanged(
  remote: {
    client: ManifestStore
    component: Component
    manifest: Content
    layer: { digest: string; size: number }
  },
  local: { diffId: string; size: number },
  signing: SignaturePipeline | undefined
): Promise<string | undefined> {
  if (
    signing &&
    (await signing.signedByThisRun(
      remote.client,
      remote.component.repository,
      remote.manifest.descriptor
    ))
  )
    return undefined
  return contentProof(remote.client, remote.layer, local)
}

/**
 * The content half of the proof, for any reader: the layer downloaded
 * within its bounds and hashed to the local diffID. Why not, or undefined.
 */
export async function contentProof(
  client: ContentReader,
  layer: { digest: string; size: number },
  local: { diffId: string; size: number }
): Promise<string | undefined> {
  try {
    const diffId = await layerDiffId(client, layer, local.size)
    return diffId === local.diffId ? undefined : `its layer holds other content (${diffId})`
  } catch (error) {
    return `its layer could not be proven (${describeError(error)})`
  }
}

/** The sha256 of a remote gzip layer's content, read as a stream within the given bounds. */
async function layerDiffId(
  client: ContentReader,
  layer: { digest: string; size: number },
  maxUncompressed: number
): Promise<string> {
  const compressed = createHash('sha256')
  const uncompressed = createHash('sha256')
  let read = 0
  let inflated = 0
  const gunzip = createGunzip()
  const source = await client.openBlob(layer.digest)
  await pipeline(
    source,
    new Transform({
      transform(chunk: Buffer, _encoding, done) {
        read += chunk.length
        if (read > layer.size)
          return done(new Error(`more than the ${layer.size} bytes its descriptor gives`))
        compressed.update(chunk)
        done(null, chunk)
      }
    }),
    gunzip,
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        inflated += chunk.length
        if (inflated > maxUncompressed) return done(new Error('more content than this tree'))
        uncompressed.update(chunk)
        done()
      }
    })
  )
  if (read !== layer.size || `sha256:${compressed.digest('hex')}` !== layer.digest)
    throw new Error(`the registry's blob is not ${layer.digest}`)
  return `sha256:${uncompressed.digest('hex')}`
}
