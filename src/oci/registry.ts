import { createReadStream } from 'node:fs'
import { createHash } from 'node:crypto'
import type { Readable } from 'node:stream'
import { RegistryError } from './errors.js'
import { BodyTooLargeError, READ_LIMITS, type HttpResponse } from './http.js'
import { isTransient } from './retry.js'
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

/**
 * The roles a repository plays, so each caller asks only for what it uses
 * and both stores (a registry's repository, an OCI layout) implement each
 * role they claim for real: reading (verify, proofs), writing (publish,
 * sign), and listing referrers through the OCI 1.1 API.
 */
export interface ContentReader {
  /** The manifest at a tag or digest, or undefined when there is none. */
  getManifest(reference: string): Promise<RemoteManifest | undefined>
  getBlob(digest: string, maxBytes?: number): Promise<Buffer>
  /** A blob as a stream; the caller checks its digest and bounds it by the descriptor's size. */
  openBlob(digest: string): Promise<Readable>
}

export interface ContentWriter {
  blobExists(digest: string): Promise<boolean>
  pushBlob(descriptor: Descriptor, source: BlobSource, options?: PushBlobOptions): Promise<boolean>
  /** Stores a manifest by digest or tag; returns the registry's OCI-Subject header, if any. */
  putManifest(
    reference: string,
    manifest: { bytes: Buffer; descriptor: Descriptor }
  ): Promise<string | undefined>
}

export interface ReferrersLister {
  /** Whether the store serves the referrers API; without it, referrers are found by the fallback tag. */
  supportsReferrersApi(): Promise<boolean>
  /** Only where supportsReferrersApi() said yes. */
  getReferrers(digest: string): Promise<{ manifests?: unknown[] }>
}

/** Everything publishing and signing do with a repository. */
export type ManifestStore = ContentReader & ContentWriter & ReferrersLister

/** What verifying reads: content and referrers, never a write. */
export type ContentSource = ContentReader & ReferrersLister

export interface PushBlobOptions {
  /** Another repository of the same registry that holds the blob: mount it from there. */
  mountFrom?: string | undefined
  /**
   * The caller knows the repository cannot hold the blob yet (its diff-tag
   * is absent, so the repository is new to this component): no HEAD first.
   * Sending an existing blob again is harmless, only slower.
   */
  knownAbsent?: boolean
}

/** Blobs up to this size may probe a registry for single-request uploads (they are sent twice if it has none). */
const SINGLE_POST_PROBE_LIMIT = 256 * 1024

/**
 * Whether a registry stores a blob sent in one POST (`?digest=`, the
 * distribution spec's "single POST"): GHCR-like and ggcr-based registries
 * do, CNCF distribution (Docker Hub, Harbor, GitLab) ignores the body and
 * opens a session (distribution/distribution#1170). A registry shows which
 * the first time a small blob is sent that way; larger blobs wait for that
 * answer and then take one request instead of two where it is yes. One
 * answer per registry (per transport), shared by every repository client.
 */
class SinglePostSupport {
  private answer: Promise<boolean> | undefined

  /** The answer if a probe ran or is running; undefined before any. */
  known(): Promise<boolean> | undefined {
    return this.answer
  }

  /** Starts the probe when none ran yet: returns how to report its outcome, or undefined. */
  probe(): ((supported: boolean) => void) | undefined {
    if (this.answer) return undefined
    let report!: (supported: boolean) => void
    this.answer = new Promise(resolve => (report = resolve))
    return report
  }
}

const singlePostSupport = new WeakMap<Transport, SinglePostSupport>()

function singlePostOf(transport: Transport): SinglePostSupport {
  let support = singlePostSupport.get(transport)
  if (!support) {
    support = new SinglePostSupport()
    singlePostSupport.set(transport, support)
  }
  return support
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
   * Uploads a blob unless the repository has it. The fewest requests the
   * registry allows: a cross-repository mount when `mountFrom` holds it
   * (one POST), a single POST where the registry stores blobs that way,
   * otherwise POST + PUT (the upload every registry supports); a HEAD first
   * only when the blob may already be there. Returns true when bytes were
   * sent. A failed upload restarts from its POST.
   */
  async pushBlob(
    descriptor: Descriptor,
    source: BlobSource,
    { mountFrom, knownAbsent = false }: PushBlobOptions = {}
  ): Promise<boolean> {
    if (!knownAbsent && !mountFrom && (await this.blobExists(descriptor.digest))) return false
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.uploadOnce(descriptor, source, mountFrom)
      } catch (error) {
        if (!isTransient(error) || attempt >= this.uploadAttempts) throw error
      }
    }
  }

  private async uploadOnce(
    descriptor: Descriptor,
    source: BlobSource,
    mountFrom?: string
  ): Promise<boolean> {
    if (mountFrom) {
      const started = await this.startUpload(
        descriptor,
        `?mount=${encodeURIComponent(descriptor.digest)}&from=${encodeURIComponent(mountFrom)}`,
        [...this.pullPush, `repository:${mountFrom}:pull`]
      )
      if (started.status === 201) return false // mounted
      return this.finishUpload(descriptor, source, started)
    }
    const support = singlePostOf(this.transport)
    const report = descriptor.size <= SINGLE_POST_PROBE_LIMIT ? support.probe() : undefined
    const singlePost = report !== undefined || (await (support.known() ?? false))
    if (!singlePost) {
      return this.finishUpload(descriptor, source, await this.startUpload(descriptor, ''))
    }
    let started: HttpResponse
    try {
      started = await this.startUpload(
        descriptor,
        `?digest=${encodeURIComponent(descriptor.digest)}`,
        this.pullPush,
        source
      )
    } catch (error) {
      // A registry that refuses a POST with a body (rather than ignoring it)
      // has no single POST either: learn that, and upload the usual way.
      report?.(false)
      if (!report || isTransient(error) || !(error instanceof RegistryError)) throw error
      if (error.status === undefined || error.status === 401 || error.status === 403) throw error
      return this.finishUpload(descriptor, source, await this.startUpload(descriptor, ''))
    }
    report?.(started.status === 201)
    if (started.status !== 201) return this.finishUpload(descriptor, source, started)
    this.checkStored(descriptor, started.headers.get('docker-content-digest'))
    return true
  }

  /** POST to the uploads endpoint: a session (202 + Location), or a stored or mounted blob (201). */
  private async startUpload(
    descriptor: Descriptor,
    query: string,
    scopes = this.pullPush,
    content?: BlobSource
  ): Promise<HttpResponse> {
    const started = await this.transport.request({
      method: 'POST',
      url: `/v2/${this.path}/blobs/uploads/${query}`,
      headers: content
        ? { 'content-type': 'application/octet-stream', 'content-length': String(descriptor.size) }
        : { 'content-length': '0' },
      body: content ? () => bodyOf(content) : () => Buffer.alloc(0),
      scopes,
      retry: content ? false : undefined,
      timeoutMs: content ? uploadTimeoutMs(descriptor) : undefined,
      what: `upload of ${descriptor.digest}`
    })
    await discard(started)
    return started
  }

  /** PUTs the blob into the session a POST opened. */
  private async finishUpload(
    descriptor: Descriptor,
    source: BlobSource,
    started: HttpResponse
  ): Promise<boolean> {
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
      body: () => bodyOf(source),
      scopes: this.pullPush,
      retry: false,
      timeoutMs: uploadTimeoutMs(descriptor),
      what: `upload of ${descriptor.digest}`
    })
    await discard(finished)
    this.checkStored(descriptor, finished.headers.get('docker-content-digest'))
    return true
  }

  private checkStored(descriptor: Descriptor, stored: string | null): void {
    if (stored && stored !== descriptor.digest) {
      throw new RegistryError(
        `${this.transport.registry} stored blob ${descriptor.digest} as ${stored}`,
        { code: 'registry-mismatch' }
      )
    }
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
        {
          code: 'registry-mismatch',
          hint: 'the registry rewrote the manifest; Flux verification would fail on it'
        }
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

  /**
   * Every tag of the repository, following the registry's pagination (the
   * Link header), bounded: a repository with more tags than that is refused
   * rather than half-listed.
   */
  async listTags(limit = 100_000): Promise<string[]> {
    const tags: string[] = []
    let url = `/v2/${this.path}/tags/list?n=1000`
    for (;;) {
      const response = await this.transport.request({
        method: 'GET',
        url,
        scopes: this.pullPush,
        accept: [404],
        what: `list of tags of ${this.path}`
      })
      if (response.status === 404) {
        await discard(response)
        return tags
      }
      const link = response.headers.get('link')
      const body = await readBounded(
        response,
        READ_LIMITS.manifest,
        `tag list of ${this.path}`,
        this.transport.registry
      ).then(bytes => JSON.parse(bytes.toString()) as { tags?: unknown })
      for (const tag of Array.isArray(body.tags) ? body.tags : [])
        if (typeof tag === 'string') tags.push(tag)
      if (tags.length > limit)
        throw new RegistryError(`${this.path} has more than ${limit} tags`, {
          hint: 'prune with a narrower --match, or in several runs'
        })
      const next = link ? /<([^>]+)>;\s*rel="?next"?/.exec(link)?.[1] : undefined
      // Only a next page on the registry itself: a Link elsewhere is not followed.
      if (!next) return tags
      const nextUrl = new URL(next, this.transport.origin)
      if (nextUrl.origin !== this.transport.origin) return tags
      url = `${nextUrl.pathname}${nextUrl.search}`
    }
  }

  /**
   * Deletes a manifest by digest (with the tags that point at it, on
   * distribution). Returns false when it was already gone.
   */
  async deleteManifest(digest: string): Promise<boolean> {
    const response = await this.transport.request({
      method: 'DELETE',
      url: `/v2/${this.path}/manifests/${digest}`,
      scopes: this.pullPush,
      accept: [404],
      what: `deletion of ${digest}`
    })
    await discard(response)
    return response.status !== 404
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

function bodyOf(source: BlobSource): Buffer | Readable {
  return 'bytes' in source ? source.bytes : createReadStream(source.file)
}

/** At least 1 MB/s on top of a minute: a large blob on a slow link is not a hung registry. */
function uploadTimeoutMs(descriptor: Descriptor): number {
  return 60_000 + Math.ceil(descriptor.size / 1024)
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
        code: 'registry-answer-too-large',
        hint: 'the registry answered with more than such an object can hold; it may be misbehaving or hostile'
      })
    throw error
  }
}
