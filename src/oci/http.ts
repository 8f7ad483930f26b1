import http, { type IncomingMessage } from 'node:http'
import https from 'node:https'
import type { Readable } from 'node:stream'

/**
 * One HTTP exchange on node:http with keep-alive agents. Used instead of
 * fetch: a fleet publish makes hundreds of small requests, and fetch's
 * WHATWG streams cost several times more CPU per request, which on a 2-core
 * runner is time taken from compression.
 */

const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 64 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 64 })
}

export interface HttpRequestInit {
  method: string
  headers: Record<string, string>
  body?: Buffer | Readable | string | undefined
  timeoutMs: number
}

/**
 * Upper bounds for what is read into memory from a registry, a token server
 * or a Sigstore service: everything that comes over the network is read with
 * one of these, enforced while streaming (a chunked body has no
 * Content-Length to check up front).
 */
export const READ_LIMITS = {
  /** The distribution spec's manifest size limit. */
  manifest: 4 * 1024 * 1024,
  /** Token answers: a JWT and a few fields. */
  token: 1024 * 1024,
  /** Error bodies: only their first part is ever shown. */
  error: 8 * 1024,
  /** A referrers index (an image index of signatures and attestations). */
  referrers: 4 * 1024 * 1024
} as const

/** A body longer than its read limit. */
export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`the answer is longer than ${limit} bytes`)
    this.name = 'BodyTooLargeError'
  }
}

export class HttpResponse {
  constructor(
    readonly status: number,
    private readonly rawHeaders: IncomingMessage['headers'],
    private readonly stream: IncomingMessage,
    /** Where the answer came from (after redirects, the last hop): whose answer it is. */
    readonly url: URL
  ) {}

  get ok(): boolean {
    return this.status >= 200 && this.status < 300
  }

  readonly headers = {
    get: (name: string): string | null => {
      const value = this.rawHeaders[name.toLowerCase()]
      if (value === undefined) return null
      return Array.isArray(value) ? value.join(', ') : value
    }
  }

  /**
   * The body, at most `limit` bytes: a longer one (announced or streamed) is
   * refused with BodyTooLargeError and the connection dropped, so a hostile
   * server cannot fill the runner's memory.
   */
  async bytes(limit: number): Promise<Buffer> {
    const announced = Number(this.rawHeaders['content-length'] ?? 0)
    if (announced > limit) {
      this.stream.destroy()
      throw new BodyTooLargeError(limit)
    }
    const chunks: Buffer[] = []
    let size = 0
    for await (const chunk of this.stream) {
      size += (chunk as Buffer).length
      if (size > limit) {
        this.stream.destroy()
        throw new BodyTooLargeError(limit)
      }
      chunks.push(chunk as Buffer)
    }
    return Buffer.concat(chunks)
  }

  async text(limit: number): Promise<string> {
    return (await this.bytes(limit)).toString('utf8')
  }

  async json(limit: number): Promise<unknown> {
    return JSON.parse(await this.text(limit))
  }

  /** The body as a stream, for blobs that are hashed while they arrive (the caller bounds it). */
  get body(): IncomingMessage {
    return this.stream
  }

  /** Drops the body so the connection can be reused. */
  async discard(): Promise<void> {
    if (this.stream.readableEnded) return
    this.stream.resume()
    await new Promise<void>(resolve => {
      this.stream.once('end', resolve)
      this.stream.once('close', resolve)
      this.stream.once('error', () => resolve())
    })
  }
}

export function httpRequest(url: URL, init: HttpRequestInit): Promise<HttpResponse> {
  const transport = url.protocol === 'https:' ? https : http
  const agent = agents[url.protocol as 'http:' | 'https:']
  if (!agent) return Promise.reject(new TypeError(`unsupported protocol ${url.protocol}`))
  return new Promise((resolve, reject) => {
    const request = transport.request(
      url,
      {
        method: init.method,
        headers: init.headers,
        agent,
        signal: AbortSignal.timeout(init.timeoutMs)
      },
      response =>
        resolve(new HttpResponse(response.statusCode ?? 0, response.headers, response, url))
    )
    request.on('error', reject)
    const body = init.body
    if (body === undefined || typeof body === 'string' || Buffer.isBuffer(body)) {
      request.end(body)
    } else {
      body.on('error', error => request.destroy(error))
      body.pipe(request)
    }
  })
}
