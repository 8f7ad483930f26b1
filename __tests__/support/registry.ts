import { execFileSync } from 'node:child_process'
import { startRegistryProcess } from '../../scripts/lib/registry.js'
import { createSign, randomUUID, X509Certificate } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { tool } from './tools.js'
import { tempDir } from './tree.js'

/**
 * The real registry for end-to-end tests: Debian's docker-registry (CNCF
 * distribution 2.8.2) on a random 127.0.0.1 port, with no auth, htpasswd
 * (Basic), or token auth through a token server the tests run.
 */

export type AuthMode = 'none' | 'htpasswd' | 'token'

export const TEST_USER = 'testuser'
export const TEST_PASSWORD = 'testpass'
// htpasswd -Bbc: testuser / testpass (distribution accepts bcrypt entries only)
const HTPASSWD = 'testuser:$2y$05$nAyZ0JuWqKL9C1sdhC10Mubbw4aq/eplpYL/2UADbtiwchV6RMQKG\n'

export interface TestRegistry {
  /** 127.0.0.1:PORT */
  host: string
  auth: AuthMode
  /** Tokens the token server issued (token mode), to check none leaks into logs. */
  issuedTokens: string[]
  /** Requests the token server answered. */
  tokenRequests: { method: string; scopes: string[]; user: string | undefined }[]
  /** The token server's endpoint (token mode). */
  tokenRealm: string | undefined
  stop(): Promise<void>
}

export async function startRegistry(auth: AuthMode = 'none'): Promise<TestRegistry> {
  const dir = await tempDir('registry-')
  const issuedTokens: string[] = []
  const tokenRequests: TestRegistry['tokenRequests'] = []
  let tokenServer: Server | undefined
  let tokenRealm: string | undefined
  let authConfig = ''
  if (auth === 'htpasswd') {
    await writeFile(join(dir, 'htpasswd'), HTPASSWD)
    authConfig = `auth:\n  htpasswd:\n    realm: fleetpack-test\n    path: ${join(dir, 'htpasswd')}\n`
  } else if (auth === 'token') {
    const issuer = await startTokenServer(dir, issuedTokens, tokenRequests)
    tokenServer = issuer.server
    tokenRealm = issuer.realm
    authConfig =
      `auth:\n  token:\n    realm: ${issuer.realm}\n    service: fleetpack-test-registry\n` +
      `    issuer: fleetpack-test-issuer\n    rootcertbundle: ${issuer.certPath}\n`
  }
  const registry = await startRegistryProcess(tool('docker-registry'), authConfig, dir)
  return {
    host: registry.host,
    auth,
    issuedTokens,
    tokenRequests,
    tokenRealm,
    stop: async () => {
      await registry.stop()
      await new Promise(resolve => (tokenServer ? tokenServer.close(resolve) : resolve(undefined)))
    }
  }
}

/**
 * A distribution token server: RS256 JWTs with the signing certificate in
 * x5c. Anonymous callers get pull; testuser/testpass gets pull and push.
 * A refresh-token POST (OAuth2, docker's identitytoken) is supported too.
 */
async function startTokenServer(
  dir: string,
  issued: string[],
  requests: TestRegistry['tokenRequests']
): Promise<{ server: Server; realm: string; certPath: string }> {
  const keyPath = join(dir, 'token-key.pem')
  const certPath = join(dir, 'token-cert.pem')
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      keyPath,
      '-out',
      certPath,
      '-days',
      '2',
      '-subj',
      '/CN=fleetpack-test-issuer'
    ],
    { stdio: 'ignore' }
  )
  const key = readFileSync(keyPath)
  const certDer = new X509Certificate(readFileSync(certPath)).raw.toString('base64')
  const refreshTokens = new Set<string>()

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    let body = ''
    req.on('data', (chunk: Buffer) => (body += chunk.toString()))
    req.on('end', () => {
      let user: string | undefined
      let scopes = url.searchParams.getAll('scope')
      const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')
      if (req.method === 'POST') {
        const form = new URLSearchParams(body)
        scopes = (form.get('scope') ?? '').split(' ').filter(Boolean)
        if (
          form.get('grant_type') === 'refresh_token' &&
          refreshTokens.has(form.get('refresh_token') ?? '')
        )
          user = TEST_USER
        else if (
          form.get('grant_type') === 'password' &&
          form.get('username') === TEST_USER &&
          form.get('password') === TEST_PASSWORD
        )
          user = TEST_USER
        else {
          res.writeHead(401).end('{"errors":[{"code":"UNAUTHORIZED"}]}')
          return
        }
      } else if (basic) {
        const [name, ...rest] = Buffer.from(basic[1] ?? '', 'base64')
          .toString()
          .split(':')
        if (name !== TEST_USER || rest.join(':') !== TEST_PASSWORD) {
          requests.push({ method: req.method ?? '', scopes, user: name })
          res
            .writeHead(401, { 'content-type': 'application/json' })
            .end('{"errors":[{"code":"UNAUTHORIZED","message":"bad credentials"}]}')
          return
        }
        user = TEST_USER
      }
      requests.push({ method: req.method ?? '', scopes, user })
      const access = scopes.map(scope => {
        const [type, ...middle] = scope.split(':')
        const actions = (middle.pop() ?? '').split(',')
        const granted = user
          ? actions.filter(a => ['pull', 'push'].includes(a))
          : actions.filter(a => a === 'pull')
        return { type, name: middle.join(':'), actions: granted }
      })
      const now = Math.floor(Date.now() / 1000)
      const token = jwt(key, certDer, {
        iss: 'fleetpack-test-issuer',
        sub: user ?? '',
        aud: 'fleetpack-test-registry',
        exp: now + 300,
        nbf: now - 10,
        iat: now,
        jti: randomUUID(),
        access
      })
      issued.push(token)
      const reply: Record<string, unknown> = {
        token,
        access_token: token,
        expires_in: 300,
        issued_at: new Date().toISOString()
      }
      if (req.method === 'POST' && user) {
        const refresh = `refresh-${randomUUID()}`
        refreshTokens.add(refresh)
        issued.push(refresh)
        reply.refresh_token = refresh
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(reply))
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return { server, realm: `http://127.0.0.1:${port}/token`, certPath }
}

function jwt(key: Buffer, certDer: string, claims: Record<string, unknown>): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
  const unsigned = `${encode({ typ: 'JWT', alg: 'RS256', x5c: [certDer] })}.${encode(claims)}`
  const signature = createSign('RSA-SHA256').update(unsigned).sign(key).toString('base64url')
  return `${unsigned}.${signature}`
}
