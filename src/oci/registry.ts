import { createReadStream } from 'node:fs'
import { createHash } from 'node:crypto'
import type { Readable } from 'node:stream'
import { RegistryError } from './errors.js'
import { BodyTooLargeError, READ_LIMITS, type HttpResponse } from './http.js'
import { discard, type Transport } from './transport.js'
import type { Descriptor } from './content.js'

/**
 * Registry operations on one repository, in terms of blobs, manifests and
 * tags (the layer above the transport, as in go-containerregistry's remote).
 */

export const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json'
].join(', ')

/** Blob content: bytes in memory or a file to stream (re-opened on every attempt). */
export type BlobSource = { bytes: Buffer } | { file: string }

export interface RemoteManifest {
  digest: string
  mediaType: string
  bytes: Buffer
}

/** What publishing and signing need of a repository: a registry's, or an OCI layout's. */
export interface ManifestStore {
  blobExists(digest: string): Promise<boolean>
  pushBlob(
    descriptor: Descriptor,
    source: BlobSource,
    options?: { mountFrom?: string | undefined; checkExisting?: boolean }
  ): Promise<boolean>
  putManifest(
    reference: string,
    manifest: { bytes: Buffer; descriptor: Descriptor }
  ): Promise<string | undefined>
  getManifest(reference: string): Promise<RemoteManifest | undefined>
  getBlob(digest: string, maxBytes?: number): Promise<Buffer>
  /** A blob as a stream; the caller checks its digest and bounds it by the descriptor's size. */
  openBlob(digest: string): Promise<Readable>
  supportsReferrersApi(): Promise<boolean>
  getReferrers(digest: string): Promise<{ manifests?: unknown[] }>
}

/**
 * What a client of a repository may do: `push` (publishing, which reads
 * too) or `pull` (verifying). Tokens are asked for that scope only, so a
 * read-only credential verifies, and a verification never holds push rights.
 */
export type RepositoryAccess = 'push' | 'pull'

export class RepositoryClient implements ManifestStore {
  /** The scope of every request but the referrers reads, which need pull only. */
  private readonly pullPush: string[]
  private readonly pull: string[]

  constructor(
    private readonly transport: Transport,
    /** Path inside the registry, e.g. org/apps/podinfo. */
    readonly path: string,
    access: RepositoryAccess = 'push',
    private readonly uploadAttempts = 4
  ) {
    // Push scope first: a few registries only read the first one.
    this.pull = [`repository:${path}:pull`]
    this.pullPush = access === 'push' ? [`repository:${path}:push,pull`] : this.pull
  }

  async blobExists(digest: string): Promise<boolean> {
    const response = await this.transport.request({
      method: 'HEAD',
      url: `/v2/${this.path}/blobs/${digest}`,
      scopes: this.pullPush,
      accept: [404],
      what: `check for blob ${digest}`
    })
    await discard(response)
    return response.status !== 404
  }

  /**
   * Uploads a blob unless the repository has it: HEAD, then POST + PUT (the
   * monolithic upload every registry supports), or a cross-repository mount
   * when `mountFrom` is a repository of the same registry that holds it.
   * Returns true when bytes were sent. A failed upload restarts from POST.
   * `checkExisting: false` skips the HEAD when the caller knows the
   * repository is new (re-sending an existing blob is harmless).
   */
  async pushBlob(
    descriptor: Descriptor,
    source: BlobSource,
    {
      mountFrom,
      checkExisting = true
    }: { mountFrom?: string | undefined; checkExisting?: boolean } = {}
  ): Promise<boolean> {
    if (checkExisting && (await this.blobExists(descriptor.digest))) return false
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.uploadOnce(descriptor, source, mountFrom)
      } catch (error) {
        const retryable =
          !(error instanceof RegistryError) ||
          error.status === undefined ||
          error.status >= 500 ||
          error.status === 408 ||
          error.status === 429
        if (!retryable || attempt >= this.uploadAttempts) throw error
      }
    }
  }

  private async uploadOnce(
    descriptor: Descriptor,
    source: BlobSource,
    mountFrom?: string
  ): Promise<boolean> {
    const query = mountFrom
      ? `?mount=${encodeURIComponent(descriptor.digest)}&from=${encodeURIComponent(mountFrom)}`
      : ''
    const started = await this.transport.request({
      method: 'POST',
      url: `/v2/${this.path}/blobs/uploads/${query}`,
      headers: { 'content-length': '0' },
      body: () => Buffer.alloc(0),
      scopes: mountFrom ? [...this.pullPush, `repository:${mountFrom}:pull`] : this.pullPush,
      what: `upload of ${descriptor.digest}`
    })
    await discard(started)
    if (started.status === 201) return false // mounted
    const location = started.headers.get('location')
    if (started.status !== 202 || !location) {
      throw new RegistryError(
        `${this.transport.registry} answered the upload start with HTTP ${started.status} and no Location`
      )
    }
    // Resolve relative Locations, and append the digest to the raw string:
    // re-encoding the query (URLSearchParams) breaks signed upload URLs.
    const base = new URL(`/v2/${this.path}/blobs/uploads/`, this.transport.origin)
    const uploadUrl = new URL(location, base).toString()
    const target = `${uploadUrl}${uploadUrl.includes('?') ? '&' : '?'}digest=${encodeURIComponent(descriptor.digest)}`
    const finished = await this.transport.request({
      method: 'PUT',
      url: target,
      headers: {
        'content-type': 'application/octet-stream',
        'content-length': String(descriptor.size)
      },
      body: () => ('bytes' in source ? source.bytes : createReadStream(source.file)),
      scopes: this.pullPush,
      retry: false,
      timeoutMs: 60_000 + Math.ceil(descriptor.size / 1024), // at least 1 MB/s
      what: `upload of ${descriptor.digest}`
    })
    await discard(finished)
    const stored = finished.headers.get('docker-content-digest')
    if (stored && stored !== descriptor.digest) {
      throw new RegistryError(
        `${this.transport.registry} stored blob ${descriptor.digest} as ${stored}`
      )
    }
    return true
  }

  /**
   * PUTs a manifest by digest or tag; checks the digest the registry
   * computed. Returns the OCI-Subject header (set by registries that index
   * referrers).
   */
  async putManifest(
    reference: string,
    manifest: { bytes: Buffer; descriptor: Descriptor }
  ): Promise<string | undefined> {
    const response = await this.transport.request({
      method: 'PUT',
      url: `/v2/${this.path}/manifests/${reference}`,
      headers: { 'content-type': manifest.descriptor.mediaType },
      body: () => manifest.bytes,
      scopes: this.pullPush,
      what: reference.startsWith('sha256:') ? `manifest upload ${reference}` : `tag ${reference}`
    })
    await discard(response)
    const stored = response.headers.get('docker-content-digest')
    if (stored && stored !== manifest.descriptor.digest) {
      throw new RegistryError(
        `${this.transport.registry} stored the manifest as ${stored}, not ${manifest.descriptor.digest}`,
        { hint: 'the registry rewrote the manifest; Flux verification would fail on it' }
      )
    }
    return response.headers.get('oci-subject') ?? undefined
  }

  /** The manifest at a tag or digest, or undefined when there is none. */
  async getManifest(reference: string): Promise<RemoteManifest | undefined> {
    const response = await this.transport.request({
      method: 'GET',
      url: `/v2/${this.path}/manifests/${reference}`,
      headers: { accept: MANIFEST_ACCEPT },
      scopes: this.pullPush,
      accept: [404],
      what: `read of manifest ${reference}`
    })
    if (response.status === 404) {
      await discard(response)
      return undefined
    }
    const bytes = await readBounded(
      response,
      READ_LIMITS.manifest,
      `manifest ${reference}`,
      this.transport.registry
    )
    const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`
    if (reference.startsWith('sha256:') && digest !== reference) {
      throw new RegistryError(
        `${this.transport.registry} returned a manifest whose digest is ${digest}, not ${reference}`
      )
    }
    const mediaType =
      response.headers.get('content-type')?.split(';')[0]?.trim() ||
      ((JSON.parse(bytes.toString()) as { mediaType?: string }).mediaType ?? '')
    return { digest, mediaType, bytes }
  }

  /** The digest a tag points at, or undefined. */
  async headManifest(reference: string): Promise<string | undefined> {
    const response = await this.transport.request({
      method: 'HEAD',
      url: `/v2/${this.path}/manifests/${reference}`,
      headers: { accept: MANIFEST_ACCEPT },
      scopes: this.pullPush,
      accept: [404],
      what: `check of manifest ${reference}`
    })
    await discard(response)
    if (response.status === 404) return undefined
    return (
      response.headers.get('docker-content-digest') ?? (await this.getManifest(reference))?.digest
    )
  }

  async getBlob(digest: string, maxBytes = 4 * 1024 * 1024): Promise<Buffer> {
    const response = await this.transport.request({
      method: 'GET',
      url: `/v2/${this.path}/blobs/${digest}`,
      scopes: this.pullPush,
      what: `read of blob ${digest}`
    })
    const bytes = await readBounded(response, maxBytes, `blob ${digest}`, this.transport.registry)
    const actual = `sha256:${createHash('sha256').update(bytes).digest('hex')}`
    if (actual !== digest)
      throw new RegistryError(
        `${this.transport.registry} returned blob ${digest} with content ${actual}`
      )
    return bytes
  }

  /**
   * Whether the registry really serves the OCI 1.1 referrers API: a 200 with
   * an image index for a digest nobody refers to. GHCR answers 303 to
   * github.com, distribution 2.8 a plain-text 404, and some registries echo
   * OCI-Subject without the API, so only this probe is trusted.
   */
  async supportsReferrersApi(): Promise<boolean> {
    const response = await this.transport.request({
      method: 'GET',
      url: `/v2/${this.path}/referrers/sha256:${'0'.repeat(64)}`,
      headers: { accept: 'application/vnd.oci.image.index.v1+json' },
      scopes: this.pull,
      accept: [301, 302, 303, 307, 308, 400, 404, 405],
      followRedirects: false,
      what: 'referrers API probe'
    })
    const type = response.headers.get('content-type')?.split(';')[0]?.trim()
    if (response.status !== 200 || type !== 'application/vnd.oci.image.index.v1+json') {
      await discard(response)
      return false
    }
    const body = (await response.json(READ_LIMITS.referrers).catch(() => ({}))) as {
      manifests?: unknown
    }
    return Array.isArray(body.manifests)
  }

  /** The referrers index of `digest` from the referrers API (callers probe for it first). */
  async getReferrers(digest: string): Promise<{ manifests?: unknown[] }> {
    const response = await this.transport.request({
      method: 'GET',
      url: `/v2/${this.path}/referrers/${digest}`,
      headers: { accept: 'application/vnd.oci.image.index.v1+json' },
      scopes: this.pull,
      what: `referrers of ${digest}`
    })
    const bytes = await readBounded(
      response,
      READ_LIMITS.referrers,
      `referrers of ${digest}`,
      this.transport.registry
    )
    return JSON.parse(bytes.toString()) as { manifests?: unknown[] }
  }

  /**
   * A blob as a stream, for content too large to hold in memory; the caller
   * hashes it and must check both its digest and its size (the descriptor's),
   * stopping at the size: the registry's Content-Length is not trusted.
   */
  async openBlob(digest: string): Promise<Readable> {
    const response = await this.transport.request({
      method: 'GET',
      url: `/v2/${this.path}/blobs/${digest}`,
      scopes: this.pullPush,
      what: `read of blob ${digest}`
    })
    return response.body
  }
}

/** Reads a body up to `limit` bytes, turning an over-long one into a RegistryError that names it. */
async function readBounded(
  response: HttpResponse,
  limit: number,
  what: string,
  registry: string
): Promise<Buffer> {
  try {
    return await response.bytes(limit)
  } catch (error) {
    if (error instanceof BodyTooLargeError)
      throw new RegistryError(`${registry} sent a ${what} larger than ${limit} bytes`, {
        hint: 'the registry answered with more than such an object can hold; it may be misbehaving or hostile'
      })
    throw error
  }
}
