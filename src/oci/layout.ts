import { createHash, randomUUID } from 'node:crypto'
import { copyFile, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises'
import { createReadStream } from 'node:fs'
import { join } from 'node:path'
import type { Readable } from 'node:stream'
import type { Descriptor } from './content.js'
import { RegistryError } from './errors.js'
import type {
  BlobSource,
  ContentReader,
  ContentWriter,
  ReferrersLister,
  RemoteManifest
} from './registry.js'

/**
 * An OCI image layout on disk (image-spec layout.md) with the operations of a
 * registry repository, so publishing and signing work the same without a
 * registry: `fleetpack publish --oci-layout` and `npm run demo` use it. Tags
 * are index.json entries named by org.opencontainers.image.ref.name, which
 * `skopeo copy oci:DIR:TAG` and `oras copy --from-oci-layout` read.
 */

const REF_NAME = 'org.opencontainers.image.ref.name'

interface IndexJson {
  schemaVersion: 2
  mediaType?: string
  manifests: (Descriptor & { annotations?: Record<string, string> })[]
}

export class LayoutStore implements ContentReader, ContentWriter, ReferrersLister {
  /** index.json is read-modify-written: one update at a time. */
  private indexUpdates: Promise<unknown> = Promise.resolve()

  constructor(readonly dir: string) {}

  private blobPath(digest: string): string {
    return join(this.dir, 'blobs', 'sha256', digest.replace(/^sha256:/, ''))
  }

  async blobExists(digest: string): Promise<boolean> {
    return stat(this.blobPath(digest)).then(
      () => true,
      () => false
    )
  }

  async pushBlob(descriptor: Descriptor, source: BlobSource): Promise<boolean> {
    if (await this.blobExists(descriptor.digest)) return false
    await this.init()
    const target = this.blobPath(descriptor.digest)
    // A private temporary name: two writers of one blob must not share a half-written file.
    const partial = `${target}.${process.pid}.${randomUUID()}.tmp`
    if ('bytes' in source) await writeFile(partial, source.bytes)
    else await copyFile(source.file, partial)
    await rename(partial, target)
    return true
  }

  async putManifest(
    reference: string,
    manifest: { bytes: Buffer; descriptor: Descriptor }
  ): Promise<undefined> {
    await this.pushBlob(manifest.descriptor, { bytes: manifest.bytes })
    const update = this.indexUpdates.then(() => this.updateIndex(reference, manifest.descriptor))
    this.indexUpdates = update.catch(() => undefined)
    await update
    return undefined
  }

  private async updateIndex(reference: string, descriptor: Descriptor): Promise<void> {
    const index = await this.readIndex()
    if (reference.startsWith('sha256:')) {
      if (!index.manifests.some(m => m.digest === reference && !m.annotations?.[REF_NAME])) {
        index.manifests.push({ ...descriptor })
      }
    } else {
      // A tag names one manifest: the entry it named before goes.
      index.manifests = index.manifests.filter(m => m.annotations?.[REF_NAME] !== reference)
      index.manifests.push({ ...descriptor, annotations: { [REF_NAME]: reference } })
    }
    await writeFile(join(this.dir, 'index.json.tmp'), JSON.stringify(index))
    await rename(join(this.dir, 'index.json.tmp'), join(this.dir, 'index.json'))
  }

  async getManifest(reference: string): Promise<RemoteManifest | undefined> {
    const index = await this.readIndex()
    const digest = reference.startsWith('sha256:')
      ? reference
      : index.manifests.find(m => m.annotations?.[REF_NAME] === reference)?.digest
    if (!digest || !(await this.blobExists(digest))) return undefined
    const bytes = await this.getBlob(digest)
    const mediaType = (JSON.parse(bytes.toString()) as { mediaType?: string }).mediaType ?? ''
    return { digest, mediaType, bytes }
  }

  async getBlob(digest: string): Promise<Buffer> {
    const bytes = await readFile(this.blobPath(digest))
    const actual = `sha256:${createHash('sha256').update(bytes).digest('hex')}`
    if (actual !== digest)
      throw new RegistryError(`layout blob ${digest} holds ${actual}: the layout is corrupt`)
    return bytes
  }

  openBlob(digest: string): Promise<Readable> {
    return Promise.resolve(createReadStream(this.blobPath(digest)))
  }

  /** A layout has no referrers API: signatures in it are found by their tags. */
  supportsReferrersApi(): Promise<boolean> {
    return Promise.resolve(false)
  }

  getReferrers(): Promise<{ manifests?: unknown[] }> {
    return Promise.reject(
      new RegistryError('an OCI layout has no referrers API: read the referrers tag instead')
    )
  }

  private async init(): Promise<void> {
    await mkdir(join(this.dir, 'blobs', 'sha256'), { recursive: true })
    await writeFile(join(this.dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}')
  }

  private async readIndex(): Promise<IndexJson> {
    try {
      return JSON.parse(await readFile(join(this.dir, 'index.json'), 'utf8')) as IndexJson
    } catch {
      return {
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.index.v1+json',
        manifests: []
      }
    }
  }
}
