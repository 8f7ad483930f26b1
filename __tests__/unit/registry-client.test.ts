import { afterEach, describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import { RepositoryClient } from '../../src/oci/registry.js'
import { Transport, parseRetryAfter } from '../../src/oci/transport.js'
import { RegistryAuthError, RegistryError } from '../../src/oci/errors.js'
import { startFakeServer, type FakeServer } from '../support/fake-server.js'

const servers: FakeServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map(server => server.close()))
})

async function fake(handler: Parameters<typeof startFakeServer>[0]): Promise<FakeServer> {
  const server = await startFakeServer(handler)
  servers.push(server)
  return server
}

function client(
  server: FakeServer,
  options: Partial<ConstructorParameters<typeof Transport>[0]> = {}
) {
  const transport = new Transport({
    registry: server.host,
    insecure: true,
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
    ...options
  })
  return new RepositoryClient(transport, 'org/app')
}

const blob = Buffer.from('layer bytes')
const descriptor = {
  mediaType: 'application/octet-stream',
  size: blob.length,
  digest: `sha256:${createHash('sha256').update(blob).digest('hex')}`
}
const basic = { kind: 'basic' as const, username: 'user', password: 'secret-password' }

describe('the referrers API probe', () => {
  it('trusts a 200 with an OCI image index', async () => {
    const server = await fake((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/vnd.oci.image.index.v1+json' })
      res.end(
        '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}'
      )
    })
    expect(await client(server).supportsReferrersApi()).toBe(true)
    expect(server.requests[0]?.url).toBe(`/v2/org/app/referrers/sha256:${'0'.repeat(64)}`)
  })

  it('reads a plain-text 404 (distribution 2.8) as no API', async () => {
    const server = await fake((_req, res) =>
      res.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found')
    )
    expect(await client(server).supportsReferrersApi()).toBe(false)
  })

  it('reads a 303 to another host (GHCR) as no API, without following it', async () => {
    const elsewhere = await fake((_req, res) =>
      res
        .writeHead(200, { 'content-type': 'application/vnd.oci.image.index.v1+json' })
        .end('{"manifests":[]}')
    )
    const server = await fake((_req, res) =>
      res.writeHead(303, { location: `${elsewhere.origin}/login` }).end()
    )
    expect(await client(server).supportsReferrersApi()).toBe(false)
    expect(elsewhere.requests).toHaveLength(0)
  })

  it('reads a 200 HTML page (a sign-in redirect target) as no API', async () => {
    const server = await fake((_req, res) =>
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html>sign in</html>')
    )
    expect(await client(server).supportsReferrersApi()).toBe(false)
  })
})

describe('retries', () => {
  it('wait as long as Retry-After asks on 429, then succeed', async () => {
    let calls = 0
    const server = await fake((_req, res) => {
      calls++
      if (calls === 1)
        res.writeHead(429, { 'retry-after': '1' }).end('{"errors":[{"code":"TOOMANYREQUESTS"}]}')
      else res.writeHead(200, { 'docker-content-digest': descriptor.digest }).end()
    })
    const started = Date.now()
    expect(await client(server).blobExists(descriptor.digest)).toBe(true)
    expect(Date.now() - started).toBeGreaterThanOrEqual(950)
    expect(calls).toBe(2)
  })

  it('give up with a clear message when Retry-After is longer than the cap', async () => {
    const server = await fake((_req, res) => res.writeHead(429, { 'retry-after': '3600' }).end())
    const error = await client(server)
      .blobExists(descriptor.digest)
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RegistryError)
    expect((error as RegistryError).code).toBe('registry-rate-limited')
    expect((error as RegistryError).message).toMatch(
      /asked to wait 3600 s before the check for blob/
    )
  })

  it('retry 5xx and network errors, then report the last failure', async () => {
    const server = await fake((_req, res) =>
      res.writeHead(503).end('{"errors":[{"code":"UNAVAILABLE","message":"maintenance"}]}')
    )
    const error = await client(server)
      .getManifest('latest')
      .catch((e: unknown) => e)
    expect(server.requests).toHaveLength(5)
    expect((error as RegistryError).registryCode).toBe('UNAVAILABLE')
    expect((error as RegistryError).message).toMatch(
      /refused the read of manifest latest: HTTP 503 UNAVAILABLE: maintenance/
    )
    expect((error as RegistryError).hint).toMatch(/internal error; run again later/)
  })

  it('do not retry other 4xx', async () => {
    const server = await fake((_req, res) =>
      res
        .writeHead(400, { 'content-type': 'application/json' })
        .end('{"errors":[{"code":"MANIFEST_INVALID","message":"bad"}]}')
    )
    await expect(
      client(server).putManifest('latest', { bytes: Buffer.from('{}'), descriptor })
    ).rejects.toThrow(/HTTP 400 MANIFEST_INVALID: bad/)
    expect(server.requests).toHaveLength(1)
  })

  it('restart a failed upload from POST, never re-PUT a stale session', async () => {
    let puts = 0
    const server = await fake((req, res) => {
      if (req.method === 'HEAD') return void res.writeHead(404).end()
      if (req.method === 'POST')
        return void res
          .writeHead(202, {
            location: `/v2/org/app/blobs/uploads/session-${server.requests.length}`
          })
          .end()
      puts++
      if (puts === 1) return void res.writeHead(500).end()
      res.writeHead(201, { 'docker-content-digest': descriptor.digest }).end()
    })
    expect(await client(server).pushBlob(descriptor, { bytes: blob })).toBe(true)
    expect(server.requests.map(r => `${r.method} ${r.url.split('?')[0]}`)).toEqual([
      'HEAD /v2/org/app/blobs/' + descriptor.digest,
      'POST /v2/org/app/blobs/uploads/',
      'PUT /v2/org/app/blobs/uploads/session-2',
      'POST /v2/org/app/blobs/uploads/',
      'PUT /v2/org/app/blobs/uploads/session-4'
    ])
  })

  it('parse Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('7')).toBe(7000)
    const inTenSeconds = new Date(Date.now() + 10_000).toUTCString()
    expect(parseRetryAfter(inTenSeconds)).toBeGreaterThan(8000)
    expect(parseRetryAfter('soon')).toBeUndefined()
  })

  it('time out a registry that never answers', async () => {
    const server = await fake(() => undefined) // never responds
    const transport = new Transport({
      registry: server.host,
      insecure: true,
      timeoutMs: 200,
      retry: { attempts: 2, baseDelayMs: 1 }
    })
    const error = await new RepositoryClient(transport, 'org/app')
      .blobExists(descriptor.digest)
      .catch((e: unknown) => e)
    expect((error as RegistryError).code).toBe('registry-timeout')
    expect((error as RegistryError).message).toMatch(/timed out during the check for blob/)
    expect(server.requests).toHaveLength(2)
  })
})

describe('uploads', () => {
  it('resolve a relative Location and keep its query intact', async () => {
    const server = await fake((req, res) => {
      if (req.method === 'HEAD') return void res.writeHead(404).end()
      if (req.method === 'POST')
        return void res
          .writeHead(202, { location: '/v2/org/app/blobs/uploads/abc?_state=a%20b~c' })
          .end()
      res.writeHead(201).end()
    })
    await client(server).pushBlob(descriptor, { bytes: blob })
    const put = server.requests.find(r => r.method === 'PUT')
    expect(put?.url).toBe(
      `/v2/org/app/blobs/uploads/abc?_state=a%20b~c&digest=${encodeURIComponent(descriptor.digest)}`
    )
    expect(put?.body.equals(blob)).toBe(true)
    expect(put?.headers['content-type']).toBe('application/octet-stream')
  })

  it('send no credentials to an upload Location on another host', async () => {
    const storage = await fake((_req, res) => res.writeHead(201).end())
    const server = await fake((req, res) => {
      if (!req.headers.authorization)
        return void res.writeHead(401, { 'www-authenticate': 'Basic realm="test"' }).end()
      if (req.method === 'HEAD') return void res.writeHead(404).end()
      res.writeHead(202, { location: `${storage.origin}/upload/xyz?sig=1` }).end()
    })
    await client(server, { credentials: basic }).pushBlob(descriptor, { bytes: blob })
    expect(storage.requests).toHaveLength(1)
    expect(storage.requests[0]?.headers.authorization).toBeUndefined()
    expect(storage.requests[0]?.url).toBe(
      `/upload/xyz?sig=1&digest=${encodeURIComponent(descriptor.digest)}`
    )
    expect(server.requests.filter(r => r.headers.authorization).length).toBeGreaterThan(0)
  })

  it('mount from another repository of the same registry in one request, instead of uploading', async () => {
    const server = await fake((req, res) => {
      if (req.method === 'HEAD') return void res.writeHead(404).end()
      res.writeHead(201, { location: `/v2/org/app/blobs/${descriptor.digest}` }).end()
    })
    expect(
      await client(server).pushBlob(descriptor, { bytes: blob }, { mountFrom: 'org/other' })
    ).toBe(false)
    expect(server.requests.map(r => `${r.method} ${r.url}`)).toEqual([
      `POST /v2/org/app/blobs/uploads/?mount=${encodeURIComponent(descriptor.digest)}&from=org%2Fother`
    ])
  })

  it('send a small blob in one POST, and large ones too once the registry stored it that way', async () => {
    const large = Buffer.alloc(1024 * 1024, 7)
    const largeDescriptor = {
      mediaType: 'application/octet-stream',
      size: large.length,
      digest: `sha256:${createHash('sha256').update(large).digest('hex')}`
    }
    const server = await fake((req, res) => {
      const digest = new URL(req.url ?? '', 'http://x').searchParams.get('digest')
      res.writeHead(201, { 'docker-content-digest': digest ?? '' }).end()
    })
    const registry = client(server)
    // Side by side, as a component's config and layer go: the layer waits for the config's answer.
    await Promise.all([
      registry.pushBlob(descriptor, { bytes: blob }, { knownAbsent: true }),
      registry.pushBlob(largeDescriptor, { bytes: large }, { knownAbsent: true })
    ])
    expect(server.requests.map(r => `${r.method} ${r.url}`)).toEqual([
      `POST /v2/org/app/blobs/uploads/?digest=${encodeURIComponent(descriptor.digest)}`,
      `POST /v2/org/app/blobs/uploads/?digest=${encodeURIComponent(largeDescriptor.digest)}`
    ])
    expect(server.requests[1]?.body.equals(large)).toBe(true)
  })

  it('fall back to POST + PUT for good when a registry refuses a POST with a body', async () => {
    const server = await fake((req, res) => {
      if (req.method === 'POST' && req.url?.includes('digest='))
        return void res
          .writeHead(400, { 'content-type': 'application/json' })
          .end('{"errors":[{"code":"BLOB_UPLOAD_INVALID","message":"no monolithic uploads"}]}')
      if (req.method === 'POST')
        return void res.writeHead(202, { location: '/v2/org/app/blobs/uploads/s' }).end()
      res.writeHead(201, { 'docker-content-digest': descriptor.digest }).end()
    })
    const registry = client(server)
    await registry.pushBlob(descriptor, { bytes: blob }, { knownAbsent: true })
    await registry.pushBlob(descriptor, { bytes: blob }, { knownAbsent: true })
    expect(server.requests.map(r => `${r.method} ${r.url.split('?')[0]}`)).toEqual([
      'POST /v2/org/app/blobs/uploads/', // ?digest=: refused
      'POST /v2/org/app/blobs/uploads/',
      'PUT /v2/org/app/blobs/uploads/s',
      'POST /v2/org/app/blobs/uploads/', // learned: no second probe
      'PUT /v2/org/app/blobs/uploads/s'
    ])
    expect(server.requests[3]?.body.length).toBe(0)
  })
})

describe('redirects', () => {
  it('follow a 303 for a blob read, without credentials on the other host', async () => {
    const storage = await fake((_req, res) => res.writeHead(200).end(blob))
    const server = await fake((req, res) => {
      if (!req.headers.authorization)
        return void res.writeHead(401, { 'www-authenticate': 'Basic realm="test"' }).end()
      res.writeHead(303, { location: `${storage.origin}/blob?signed=1` }).end()
    })
    expect(
      (await client(server, { credentials: basic }).getBlob(descriptor.digest)).equals(blob)
    ).toBe(true)
    expect(storage.requests[0]?.headers.authorization).toBeUndefined()
  })
})

describe('authentication', () => {
  it('exchange credentials for a bearer token with the push scope first, and cache it', async () => {
    const tokenServer = await fake((req, res) =>
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ token: `t-${req.url.length}` }))
    )
    const server = await fake((req, res) => {
      if (!req.headers.authorization?.startsWith('Bearer ')) {
        return void res
          .writeHead(401, {
            'www-authenticate': `Bearer realm="${tokenServer.origin}/token",service="reg",scope="repository:org/app:pull"`
          })
          .end()
      }
      res.writeHead(404).end()
    })
    const secrets: string[] = []
    const c = client(server, { credentials: basic, onSecret: s => secrets.push(s) })
    await c.blobExists(descriptor.digest)
    await c.blobExists(descriptor.digest)
    expect(tokenServer.requests).toHaveLength(1)
    const url = new URL(tokenServer.requests[0]?.url ?? '', tokenServer.origin)
    expect(url.searchParams.getAll('scope')[0]).toBe('repository:org/app:push,pull')
    expect(url.searchParams.get('service')).toBe('reg')
    expect(tokenServer.requests[0]?.headers.authorization).toBe(
      `Basic ${Buffer.from('user:secret-password').toString('base64')}`
    )
    expect(secrets).toHaveLength(1)
  })

  it('ask only for pull scope when the client only reads (verify), so a read-only credential works', async () => {
    const tokenServer = await fake((_req, res) => res.writeHead(200).end('{"token":"read-only"}'))
    const server = await fake((req, res) => {
      if (req.headers.authorization !== 'Bearer read-only')
        return void res
          .writeHead(401, {
            'www-authenticate': `Bearer realm="${tokenServer.origin}/token",service="reg"`
          })
          .end()
      res.writeHead(404).end()
    })
    const transport = new Transport({
      registry: server.host,
      insecure: true,
      credentials: basic,
      retry: { attempts: 1 }
    })
    const reader = new RepositoryClient(transport, 'org/app', 'pull')
    expect(await reader.getManifest('latest')).toBeUndefined()
    expect(await reader.blobExists(descriptor.digest)).toBe(false)
    const scopes = tokenServer.requests.map(r =>
      new URL(r.url, tokenServer.origin).searchParams.getAll('scope').join(' ')
    )
    expect(scopes).toEqual(['repository:org/app:pull'])
  })

  it('use the OAuth2 refresh flow for identity tokens, falling back to GET when POST is not implemented', async () => {
    const tokenServer = await fake((req, res) => {
      if (req.method === 'POST') return void res.writeHead(405).end()
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"access_token":"from-get"}')
    })
    const server = await fake((req, res) => {
      if (req.headers.authorization !== 'Bearer from-get') {
        return void res
          .writeHead(401, {
            'www-authenticate': `Bearer realm="${tokenServer.origin}/token",service="reg"`
          })
          .end()
      }
      res.writeHead(404).end()
    })
    await client(server, {
      credentials: { kind: 'identity-token', token: 'refresh-123' }
    }).blobExists(descriptor.digest)
    expect(tokenServer.requests.map(r => r.method)).toEqual(['POST', 'GET'])
    expect(tokenServer.requests[0]?.body.toString()).toContain(
      'grant_type=refresh_token&refresh_token=refresh-123'
    )
  })

  it('report insufficient scope as a permission problem, without looping', async () => {
    const tokenServer = await fake((_req, res) => res.writeHead(200).end('{"token":"weak"}'))
    const server = await fake((_req, res) =>
      res
        .writeHead(401, {
          'www-authenticate': `Bearer realm="${tokenServer.origin}/token",service="reg",scope="repository:org/app:push,pull",error="insufficient_scope"`
        })
        .end()
    )
    const error = await client(server, { credentials: basic })
      .blobExists(descriptor.digest)
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RegistryAuthError)
    expect((error as RegistryAuthError).code).toBe('registry-denied')
    expect(server.requests.length).toBeLessThanOrEqual(3)
  })

  it('refuse to send credentials to a plain-HTTP token realm of a TLS registry', async () => {
    // An https registry is simulated by a transport that is not insecure but talks to our fake over a mapped URL.
    const server = await fake((_req, res) =>
      res.writeHead(401, { 'www-authenticate': 'Bearer realm="http://evil.example/token"' }).end()
    )
    const transport = new Transport({
      registry: server.host,
      insecure: false,
      credentials: basic,
      retry: { attempts: 1 }
    })
    // Route the https origin to the fake: the check happens before any token request.
    ;(transport as unknown as { origin: string }).origin = server.origin
    const error = await new RepositoryClient(transport, 'org/app')
      .blobExists(descriptor.digest)
      .catch((e: unknown) => e)
    expect((error as Error).message).toMatch(/sent its token realm over plain HTTP/)
  })

  it('answer a challenge whose realm is on another host, as Docker Hub’s (auth.docker.io) is', async () => {
    // The registry's own origin sends the challenge; the realm it names may be anywhere.
    const tokenServer = await fake((_req, res) => res.writeHead(200).end('{"token":"hub"}'))
    const realm = `${tokenServer.origin.replace('127.0.0.1', 'localhost')}/token`
    const server = await fake((req, res) =>
      req.headers.authorization === 'Bearer hub'
        ? res.writeHead(404).end()
        : res
            .writeHead(401, {
              'www-authenticate': `Bearer realm="${realm}",service="registry.docker.io",scope="repository:org/app:pull"`
            })
            .end()
    )
    expect(await client(server, { credentials: basic }).blobExists(descriptor.digest)).toBe(false)
    expect(tokenServer.requests[0]?.headers.authorization).toMatch(/^Basic /)
  })

  it('refuse a challenge from another origin reached through a redirect, sending it nothing', async () => {
    const collector = await fake((_req, res) => res.writeHead(200).end('{"token":"stolen"}'))
    const storage = await fake((_req, res) =>
      res.writeHead(401, { 'www-authenticate': `Bearer realm="${collector.origin}/token"` }).end()
    )
    const server = await fake((req, res) =>
      res.writeHead(307, { location: `${storage.origin}${req.url}` }).end()
    )
    const error = await client(server, { credentials: basic })
      .getBlob(descriptor.digest)
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RegistryAuthError)
    expect((error as Error).message).toContain(
      `${storage.origin} asked for credentials during the read of blob ${descriptor.digest}, after ${server.origin} redirected there`
    )
    expect(collector.requests).toEqual([])
    expect(storage.requests.every(r => r.headers.authorization === undefined)).toBe(true)
  })

  it('refuse a plain-HTTP realm on another host even for a plain-HTTP registry', async () => {
    const server = await fake((_req, res) =>
      res.writeHead(401, { 'www-authenticate': 'Bearer realm="http://realm.example/token"' }).end()
    )
    const error = await client(server, { credentials: basic })
      .blobExists(descriptor.digest)
      .catch((e: unknown) => e)
    expect((error as Error).message).toMatch(/sent its token realm over plain HTTP/)
  })
})

describe('reads from a registry', () => {
  it('stop at the manifest limit while streaming, whatever Content-Length says', async () => {
    const server = await fake((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json' })
      res.on('error', () => undefined)
      res.end(Buffer.alloc(5 * 1024 * 1024, 0x20)) // chunked: no Content-Length
    })
    const error = await client(server)
      .getManifest('latest')
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RegistryError)
    expect((error as Error).message).toMatch(/sent a manifest latest larger than 4194304 bytes/)
  })

  it('stop a blob at the size its reader expects', async () => {
    const server = await fake((_req, res) => res.writeHead(200).end(Buffer.alloc(2048)))
    const error = await client(server)
      .getBlob(descriptor.digest, 1024)
      .catch((e: unknown) => e)
    expect((error as Error).message).toMatch(/larger than 1024 bytes/)
  })

  it('quote a registry’s error text on one line', async () => {
    const server = await fake((_req, res) =>
      res.writeHead(400).end('{"errors":[{"code":"BAD","message":"no\\n::warning::x"}]}')
    )
    const error = await client(server)
      .getManifest('latest')
      .catch((e: unknown) => e)
    expect((error as Error).message).toContain('no\\x0a::warning::x')
    expect((error as Error).message).not.toContain('\n')
  })
})
