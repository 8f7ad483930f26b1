import { httpRequest, type HttpResponse } from './http.js'
import type { Readable } from 'node:stream'

/**
 * The redirect layer of the transport: one loop, one origin rule. Redirects
 * are followed by hand (never by the HTTP client) so that credentials are
 * only ever sent to `credentialOrigin`: a registry's blob storage (S3, a
 * CDN) or a token server's redirect target never sees them.
 */

const REDIRECTS = new Set([301, 302, 303, 307, 308])
const MAX_REDIRECTS = 5

export interface Exchange {
  method: string
  url: URL
  headers: Record<string, string>
  /** Called per hop that sends a body; bodies must be replayable. */
  body?: (() => Buffer | Readable | string | undefined) | undefined
  timeoutMs: number
  /** Sent only while the URL's origin is `credentialOrigin`. */
  authorization?: string | undefined
  credentialOrigin: string
  /**
   * Whether to follow redirects. Only reads (GET, HEAD) ever do: a write's
   * redirect is reported to the caller, who decides.
   */
  follow: boolean
  onRequest?: ((method: string, url: URL, status: number | 'error') => void) | undefined
}

/** One HTTP exchange, following read redirects while keeping credentials on their origin. */
export async function exchange(request: Exchange): Promise<HttpResponse> {
  let url = request.url
  let method = request.method
  for (let hop = 0; ; hop++) {
    const headers = { ...request.headers }
    if (request.authorization && url.origin === request.credentialOrigin)
      headers.authorization = request.authorization
    const body = method === 'GET' || method === 'HEAD' ? undefined : request.body?.()
    let response: HttpResponse
    try {
      response = await httpRequest(url, { method, headers, body, timeoutMs: request.timeoutMs })
    } catch (error) {
      request.onRequest?.(method, url, 'error')
      throw error
    }
    request.onRequest?.(method, url, response.status)
    const location = response.headers.get('location')
    const reading = method === 'GET' || method === 'HEAD'
    if (!REDIRECTS.has(response.status) || !location || hop >= MAX_REDIRECTS) return response
    if (!reading || !request.follow) return response
    await response.discard()
    url = new URL(location, url)
    if (response.status === 303) method = 'GET'
  }
}
