import { afterEach, describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import { RepositoryClient } from '../../src/oci/registry.js'
import { Transport } from '../../src/oci/transport.js'
import { writeBundleReferrer } from '../../src/sign/bundle.js'
import { findBundleReferrers } from '../../src/verify/bundle.js'
import { startFakeServer, type FakeServer } from '../support/fake-server.js'

/**
 * What distribution 2.8 cannot show: a registry with a real referrers API,
 * and one that echoes OCI-Subject without having one (as ECR and Docker Hub
 * once did).
 */

const servers: FakeServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map(server => server.close()))
})

/** An in-memory registry that stores manifests and blobs and may index referrers. */
async function memoryRegistry(options: { referrersApi: boolean; echoSubject: boolean }) {
  const manifests = new Map<string, { type: string; body: Buffer }>()
  const blobs = new Map<string, Buffer>()
  const digestOf = (body: Buffer) => `sha256:${createHash('sha256').update(body).digest('hex')}`
  const server = await startFakeServer((req, res) => {
    const url = new URL(req.url, 'http://x')
    const path = url.pathname
    const manifest = /^\/v2\/org\/app\/manifests\/(.+)$/.exec(path)
    if (req.method === 'HEAD' && path.includes('/blobs/'))
      return res.writeHead(blobs.has(path.split('/').pop() ?? '') ? 200 : 404).end()
    if (req.method === 'GET' && path.includes('/blobs/sha256:')) {
      const body = blobs.get(path.split('/').pop() ?? '')
      return body ? res.writeHead(200).end(body) : res.writeHead(404).end()
    }
    if (req.method === 'POST')
      return res.writeHead(202, { location: '/v2/org/app/blobs/uploads/1' }).end()
    if (req.method === 'PUT' && path.includes('/blobs/uploads/')) {
      blobs.set(url.searchParams.get('digest') ?? '', req.body)
      return res.writeHead(201).end()
    }
    if (req.method === 'PUT' && manifest) {
      const digest = digestOf(req.body)
      manifests.set(manifest[1] as string, {
        type: String(req.headers['content-type']),
        body: req.body
      })
      manifests.set(digest, { type: String(req.headers['content-type']), body: req.body })
      const subject = (JSON.parse(req.body.toString()) as { subject?: { digest: string } }).subject
        ?.digest
      return res
        .writeHead(201, {
          'docker-content-digest': digest,
          ...(subject && options.echoSubject ? { 'oci-subject': subject } : {})
        })
        .end()
    }
    if (req.method === 'GET' && manifest) {
      const found = manifests.get(manifest[1] as string)
      return found
        ? res.writeHead(200, { 'content-type': found.type }).end(found.body)
        : res.writeHead(404).end()
    }
    const referrers = /^\/v2\/org\/app\/referrers\/(.+)$/.exec(path)
    if (req.method === 'GET' && referrers && options.referrersApi) {
      const list = [...manifests.entries()]
        .filter(([key]) => key.startsWith('sha256:'))
        .map(([digest, m]) => ({
          digest,
          m: JSON.parse(m.body.toString()) as {
            subject?: { digest: string }
            artifactType?: string
            mediaType: string
          }
        }))
        .filter(({ m }) => m.subject?.digest === referrers[1])
        .map(({ digest, m }) => ({
          mediaType: m.mediaType,
          digest,
          size: 0,
          artifactType: m.artifactType
        }))
      return res
        .writeHead(200, { 'content-type': 'application/vnd.oci.image.index.v1+json' })
        .end(JSON.stringify({ schemaVersion: 2, manifests: list }))
    }
    return res.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found')
  })
  servers.push(server)
  const client = new RepositoryClient(
    new Transport({ registry: server.host, insecure: true, retry: { attempts: 1 } }),
    'org/app'
  )
  return { server, client, manifests }
}

const subject = {
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  digest: `sha256:${'a'.repeat(64)}`,
  size: 100
}
const bundle = Buffer.from('{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json"}')

describe('bundle referrers', () => {
  it('rely on the referrers API when the registry has one and echoes OCI-Subject', async () => {
    const { client, manifests } = await memoryRegistry({ referrersApi: true, echoSubject: true })
    const api = await client.supportsReferrersApi()
    expect(api).toBe(true)
    const referrer = await writeBundleReferrer(client, subject, bundle, api)
    expect(manifests.has(`sha256-${'a'.repeat(64)}`)).toBe(false) // no fallback tag
    expect(await findBundleReferrers(client, subject.digest, api)).toHaveLength(1)
    expect(manifests.has(referrer)).toBe(true)
  })

  it('maintain the sha256-<hex> tag when the registry echoes OCI-Subject without an API', async () => {
    const { client, manifests } = await memoryRegistry({ referrersApi: false, echoSubject: true })
    const api = await client.supportsReferrersApi()
    expect(api).toBe(false)
    const referrer = await writeBundleReferrer(client, subject, bundle, api)
    const index = JSON.parse(
      manifests.get(`sha256-${'a'.repeat(64)}`)?.body.toString() ?? '{}'
    ) as { manifests: { digest: string; artifactType: string }[] }
    expect(index.manifests).toEqual([
      expect.objectContaining({
        digest: referrer,
        artifactType: 'application/vnd.dev.sigstore.bundle.v0.3+json'
      })
    ])
    // A second referrer is appended, the first kept.
    await writeBundleReferrer(client, subject, Buffer.concat([bundle, Buffer.from(' ')]), api)
    const again = JSON.parse(
      manifests.get(`sha256-${'a'.repeat(64)}`)?.body.toString() ?? '{}'
    ) as { manifests: unknown[] }
    expect(again.manifests).toHaveLength(2)
    expect(await findBundleReferrers(client, subject.digest, api)).toHaveLength(2)
  })
})
