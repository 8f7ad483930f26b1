import { copyFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Content, Descriptor } from '../artifact/index.js'

/**
 * An OCI image layout on disk (image-spec layout.md), the registry-free
 * target of `fleetpack publish --oci-layout`: readable with
 * `skopeo copy oci:DIR:TAG` and `oras copy --from-oci-layout`.
 */

const REF_NAME = 'org.opencontainers.image.ref.name'

interface IndexJson {
  schemaVersion: 2
  mediaType?: string
  manifests: (Descriptor & { annotations?: Record<string, string> })[]
}

export async function writeToLayout(
  dir: string,
  blobs: { descriptor: Descriptor; source: { bytes: Buffer } | { file: string } }[],
  manifest: Content,
  tags: readonly string[]
): Promise<void> {
  const blobDir = join(dir, 'blobs', 'sha256')
  await mkdir(blobDir, { recursive: true })
  await writeFile(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}')
  for (const blob of blobs) {
    const target = join(blobDir, blob.descriptor.digest.slice('sha256:'.length))
    if ('bytes' in blob.source) await writeFile(target, blob.source.bytes)
    else await copyFile(blob.source.file, target)
  }
  await writeFile(join(blobDir, manifest.descriptor.digest.slice('sha256:'.length)), manifest.bytes)

  const indexPath = join(dir, 'index.json')
  let index: IndexJson = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: []
  }
  try {
    index = JSON.parse(await readFile(indexPath, 'utf8')) as IndexJson
  } catch {
    // a new layout
  }
  // A tag names one manifest: drop the entries these tags named before.
  index.manifests = index.manifests.filter(
    entry => !tags.includes(entry.annotations?.[REF_NAME] ?? '')
  )
  for (const tag of tags) {
    index.manifests.push({ ...manifest.descriptor, annotations: { [REF_NAME]: tag } })
  }
  await writeFile(`${indexPath}.tmp`, JSON.stringify(index))
  await rename(`${indexPath}.tmp`, indexPath)
}
