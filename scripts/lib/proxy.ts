import { createServer, request as httpRequest, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * A forwarding HTTP proxy in front of the test registry that counts requests
 * and can add latency (a registry across the internet), rewriting Location
 * headers so clients keep talking through it.
 */
export interface CountingProxy {
  host: string
  requests: { method: string; path: string; status: number }[]
  reset(): void
  stop(): Promise<void>
}

export async function startProxy(target: string, { latencyMs = 0 } = {}): Promise<CountingProxy> {
  const requests: CountingProxy['requests'] = []
  let self = ''
  const server: Server = createServer((req, res) => {
    const forward = () => {
      const upstream = httpRequest(
        {
          host: target.split(':')[0],
          port: Number(target.split(':')[1]),
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: target }
        },
        response => {
          const headers = { ...response.headers }
          if (typeof headers.location === 'string')
            headers.location = headers.location.replace(`//${target}/`, `//${self}/`)
          requests.push({
            method: req.method ?? '',
            path: (req.url ?? '').split('?')[0] ?? '',
            status: response.statusCode ?? 0
          })
          res.writeHead(response.statusCode ?? 502, headers)
          response.pipe(res)
        }
      )
      upstream.on('error', () => res.destroy())
      req.pipe(upstream)
    }
    if (latencyMs > 0) setTimeout(forward, latencyMs)
    else forward()
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  self = `127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    host: self,
    requests,
    reset: () => void requests.splice(0),
    stop: () =>
      new Promise(resolve => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}
