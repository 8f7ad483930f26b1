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

export class HttpResponse {
  constructor(
    readonly status: number,
    private readonly rawHeaders: IncomingMessage['headers'],
    private readonly stream: IncomingMessage
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

  async bytes(): Promise<Buffer> {
    const chunks: Buffer[] = []
    for await (const chunk of this.stream) chunks.push(chunk as Buffer)
    return Buffer.concat(chunks)
  }

  async text(): Promise<string> {
    return (await this.bytes()).toString('utf8')
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text())
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
      response => resolve(new HttpResponse(response.statusCode ?? 0, response.headers, response))
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
