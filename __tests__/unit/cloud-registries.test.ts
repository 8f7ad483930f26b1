import { afterEach, describe, expect, it } from '@jest/globals'
import { RepositoryClient } from '../../src/oci/registry.js'
import { Transport, type Credentials } from '../../src/oci/transport.js'
import { startFakeServer, type FakeServer } from '../support/fake-server.js'

/**
 * The authentication each hosted registry asks for, as its challenge and
 * token endpoint look (realm path, service name, where the realm lives, the
 * token's field and the credentials its login action leaves in docker's
 * config). fleetpack speaks the distribution token protocol to all of them;
 * these cases pin what each expects, so a change that breaks one shows here.
 */

const servers: FakeServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map(server => server.close()))
})

interface Shape {
  registry: string
  /** The realm's path; on its own host (Docker Hub's auth.docker.io) when `separateRealm`. */
  realmPath: string
  separateRealm?: boolean
  service: string
  /** What the token endpoint answers with. */
  tokenField: 'token' | 'access_token'
  /** The credentials its documented login step leaves behind. */
  credentials: Credentials
  /** Basic instead of Bearer (ECR: docker login with AWS and a 12-hour token). */
  basicOnly?: boolean
}

const SHAPES: Shape[] = [
  {
    registry: 'Docker Hub',
    realmPath: '/token',
    separateRealm: true,
    service: 'registry.docker.io',
    tokenField: 'token',
    credentials: { kind: 'basic', username: 'dockerhub-user', password: 'dckr_pat_secret' }
  },
  {
    registry: 'GitHub Container Registry',
    realmPath: '/token',
    service: 'ghcr.io',
    tokenField: 'token',
    credentials: { kind: 'basic', username: 'github-actor', password: 'ghs_token' }
  },
  {
    registry: 'Google Artifact Registry',
    realmPath: '/v2/token',
    service: 'europe-docker.pkg.dev',
    tokenField: 'token',
    credentials: { kind: 'basic', username: 'oauth2accesstoken', password: 'ya29.access-token' }
  },
  {
    registry: 'Azure Container Registry',
    realmPath: '/oauth2/token',
    service: 'example.azurecr.io',
    tokenField: 'access_token',
    credentials: { kind: 'identity-token', token: 'acr-refresh-token' }
  },
  {
    registry: 'Quay',
    realmPath: '/v2/auth',
    service: 'quay.io',
    tokenField: 'token',
    credentials: { kind: 'basic', username: 'org+robot', password: 'robot-token' }
  },
  {
    registry: 'Harbor',
    realmPath: '/service/token',
    service: 'harbor-registry',
    tokenField: 'token',
    credentials: { kind: 'basic', username: 'robot$ci', password: 'harbor-secret' }
  },
  {
    registry: 'Amazon ECR',
    realmPath: '/',
    service: 'ecr.amazonaws.com',
    tokenField: 'token',
    credentials: { kind: 'basic', username: 'AWS', password: 'ecr-authorization-token' },
    basicOnly: true
  }
]

/** What each registry's token service should receive: nothing for ECR (Basic), else one request. */
function expectedTokenRequests(shape: Shape) {
  if (shape.basicOnly) return []
  const credentials = shape.credentials
  return [
    {
      method: credentials.kind === 'identity-token' ? 'POST' : 'GET',
      path: shape.realmPath,
      service: shape.service,
      scope: ['repository:org/app:push,pull'],
      credential:
        credentials.kind === 'identity-token'
          ? `refresh_token:${credentials.token}`
          : credentials.kind === 'basic'
            ? `${credentials.username}:${credentials.password}`
            : ''
    }
  ]
}

describe('hosted registries’ authentication', () => {
  it.each(SHAPES)(
    '$registry: answers its challenge and sends credentials only to its realm',
    async shape => {
      const issued = 'issued-registry-token'
      const tokenRequests: { url: string; method: string; body: string; authorization?: string }[] =
        []
      const tokenHandler: Parameters<typeof startFakeServer>[0] = (req, res) => {
        tokenRequests.push({
          url: req.url,
          method: req.method,
          body: req.body.toString(),
          authorization: req.headers.authorization
        })
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ [shape.tokenField]: issued, expires_in: 300 }))
      }
      const realmServer = shape.separateRealm ? await startFakeServer(tokenHandler) : undefined
      if (realmServer) servers.push(realmServer)
      const registry: FakeServer = await startFakeServer((req, res) => {
        if (!shape.separateRealm && !shape.basicOnly && req.url.startsWith(shape.realmPath))
          return tokenHandler(req, res)
        const expected = shape.basicOnly
          ? `Basic ${Buffer.from('AWS:ecr-authorization-token').toString('base64')}`
          : `Bearer ${issued}`
        if (req.headers.authorization !== expected) {
          const realm = `${(realmServer ?? registry).origin}${shape.realmPath}`
          return void res
            .writeHead(401, {
              'www-authenticate': shape.basicOnly
                ? `Basic realm="${realm}",service="${shape.service}"`
                : `Bearer realm="${realm}",service="${shape.service}"`
            })
            .end()
        }
        res.writeHead(404).end()
      })
      servers.push(registry)

      const client = new RepositoryClient(
        new Transport({ registry: registry.host, insecure: true, credentials: shape.credentials }),
        'org/app'
      )
      expect(await client.blobExists(`sha256:${'a'.repeat(64)}`)).toBe(false)

      // Each token request, as the registry's token service reads it.
      const observed = tokenRequests.map(request => {
        const url = new URL(request.url, 'http://realm')
        const form = new URLSearchParams(request.body)
        const params = request.method === 'POST' ? form : url.searchParams
        return {
          method: request.method,
          path: url.pathname,
          service: params.get('service'),
          scope: params.getAll('scope'),
          credential:
            request.method === 'POST'
              ? `${form.get('grant_type')}:${form.get('refresh_token')}`
              : Buffer.from(
                  request.authorization?.replace(/^Basic /, '') ?? '',
                  'base64'
                ).toString()
        }
      })
      expect(observed).toEqual(expectedTokenRequests(shape))
      // Past the realm, the registry sees only the token it issued, never the credentials
      // (ECR aside: its password is itself a 12-hour token, sent as Basic).
      const password =
        shape.credentials.kind === 'basic' ? shape.credentials.password : shape.credentials.token
      const registryRequests = shape.basicOnly
        ? []
        : registry.requests.filter(r => shape.separateRealm || !r.url.startsWith(shape.realmPath))
      expect(registryRequests).toHaveLength(shape.basicOnly ? 0 : 2)
      for (const request of registryRequests)
        expect(
          Buffer.from(request.headers.authorization?.split(' ')[1] ?? '', 'base64').toString()
        ).not.toContain(password)
    }
  )
})
