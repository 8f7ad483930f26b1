import { createServer, request as httpRequest, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * A forwarding HTTP proxy in front of a test server (the registry, the
 * Sigstore stack) that counts requests, can add latency (a registry across
 * the internet) and can inject faults, rewriting Location headers so clients
 * keep talking through it.
 */
export interface CountingProxy {
  host: string
  /** Every forwarded request: its method, path, query (with its `?`, or empty) and status. */
  requests: { method: string; path: string; query: string; status: number }[]
  /** Faults injected so far, by kind. */
  faults: Record<string, number>
  reset(): void
  stop(): Promise<void>
}

/**
 * Called for every forwarded request twice: when it arrives (before anything
 * reaches the target) and when the target's answer comes back (before the
 * client sees it). Answering 'drop' cuts the client's connection there, as a
 * process that died at that moment would experience it. A test uses it to act
 * on an observed event (kill the client when its Nth upload arrives) instead
 * of on a wall-clock guess.
 */
export type ProxyTap = (event: {
  phase: 'request' | 'response'
  method: string
  path: string
  status?: number
  /** The request's Authorization header (request phase), to act as a registry with other rules. */
  authorization?: string | undefined
}) => ProxyDecision | Promise<ProxyDecision>

/**
 * What a tap decides: forward, cut the connection, or (on a request) answer
 * in the target's place, as a registry with other rules would (ECR's
 * immutable tags, say): an edge case the real target cannot produce.
 */
export type ProxyDecision =
  'continue' | 'drop' | { status: number; headers?: Record<string, string>; body?: string }

export interface FaultOptions {
  /** Share of requests answered with a fault, 0..1. */
  rate: number
  seed?: number
  /**
   * Most faults in a row for one kind of request (method and path, upload
   * session ids folded): a bound, so a test at a high rate stays a test of
   * retries rather than of luck.
   */
  maxConsecutive?: number
}

const FAULT_KINDS = ['500', '502', '503', '429', 'reset', 'slow'] as const

export async function startProxy(
  target: string,
  { latencyMs = 0, faults, tap }: { latencyMs?: number; faults?: FaultOptions; tap?: ProxyTap } = {}
): Promise<CountingProxy> {
  const requests: CountingProxy['requests'] = []
  const injected: Record<string, number> = {}
  const consecutive = new Map<string, number>()
  let state = (faults?.seed ?? 42) >>> 0 || 1
  const random = () => {
    state ^= state << 13
    state ^= state >>> 17
    state ^= state << 5
    return (state >>> 0) / 4294967296
  }
  let self = ''
  const server: Server = createServer((req, res) => {
    // One kind of request: method and path, with upload sessions folded but the blob kept.
    const url = new URL(req.url ?? '/', 'http://proxy')
    const key = `${req.method} ${url.pathname.replace(/\/uploads\/[^/]+$/, '/uploads/*')} ${url.searchParams.get('digest') ?? ''}`
    if (
      faults &&
      (consecutive.get(key) ?? 0) < (faults.maxConsecutive ?? 2) &&
      random() < faults.rate
    ) {
      const kind = FAULT_KINDS[
        Math.floor(random() * FAULT_KINDS.length)
      ] as (typeof FAULT_KINDS)[number]
      injected[kind] = (injected[kind] ?? 0) + 1
      if (kind !== 'slow') {
        consecutive.set(key, (consecutive.get(key) ?? 0) + 1)
        req.resume()
        if (kind === 'reset') return void req.socket.destroy()
        const headers: Record<string, string> = kind === '429' ? { 'retry-after': '1' } : {}
        return void res
          .writeHead(Number(kind), { 'content-type': 'text/plain', ...headers })
          .end(`injected ${kind}`)
      }
      // A slow answer: forwarded after a pause, as an overloaded server gives it.
      setTimeout(() => void forward(), 1500)
      return
    }
    consecutive.set(key, 0)
    void forward()

    async function forward() {
      const path = url.pathname
      const decision = tap
        ? await tap({
            phase: 'request',
            method: req.method ?? '',
            path,
            authorization: req.headers.authorization
          })
        : 'continue'
      if (decision === 'drop') return void req.socket.destroy()
      if (typeof decision === 'object') {
        req.resume()
        requests.push({
          method: req.method ?? '',
          path,
          query: url.search,
          status: decision.status
        })
        return void res.writeHead(decision.status, decision.headers ?? {}).end(decision.body ?? '')
      }
      const upstream = httpRequest(
        {
          host: target.split(':')[0],
          port: Number(target.split(':')[1]),
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: target }
        },
        async response => {
          if (
            tap &&
            (await tap({
              phase: 'response',
              method: req.method ?? '',
              path,
              status: response.statusCode
            })) === 'drop'
          ) {
            response.resume()
            return void req.socket.destroy()
          }
          const headers = { ...response.headers }
          if (typeof headers.location === 'string')
            headers.location = headers.location.replace(`//${target}/`, `//${self}/`)
          requests.push({
            method: req.method ?? '',
            path: (req.url ?? '').split('?')[0] ?? '',
            query: (req.url ?? '').includes('?')
              ? (req.url ?? '').slice((req.url ?? '').indexOf('?'))
              : '',
            status: response.statusCode ?? 0
          })
          res.writeHead(response.statusCode ?? 502, headers)
          response.pipe(res)
        }
      )
      upstream.on('error', () => res.destroy())
      if (latencyMs > 0) setTimeout(() => req.pipe(upstream), latencyMs)
      else req.pipe(upstream)
    }
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  self = `127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    host: self,
    requests,
    faults: injected,
    reset: () => void requests.splice(0),
    stop: () =>
      new Promise(resolve => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}
