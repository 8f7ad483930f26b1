// A local Sigstore stack for tests and the benchmark, in its own process
// (@sigstore/mock patches node's http when imported, so it must not share a
// process with the code under test). Run: node scripts/lib/sigstore-stack.ts DIR
//
// It serves, on one 127.0.0.1 port:
//   POST /api/v2/signingCert   Fulcio v2 (sigstore-js, cosign 3), verifying the OIDC token the way
//                              Fulcio does and putting GitHub's SAN and extensions in the certificate
//   POST /api/v1/signingCert   Fulcio v1 (cosign 2.5)
//   POST /api/v1/log/entries   Rekor v1 (hashedrekord), with the ETag/Location headers cosign 3 reads
//   GET  /actions/idtoken      the GitHub Actions ID-token endpoint (ACTIONS_ID_TOKEN_REQUEST_URL)
//   GET  /_test/token          a token for cosign's --identity-token
//   GET  /_test/counters, POST /_test/reset, POST /_test/fail?service=rekor&count=N
// and writes DIR/{trusted_root.json, fulcio-root.pem, ctlog-pub.pem, rekor-pub.pem, stack.json}.
import {
  createHash,
  createPublicKey,
  createVerify,
  generateKeyPairSync,
  randomUUID
} from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { SignJWT, jwtVerify, exportJWK, type JWTPayload } from 'jose'
import {
  fulcioHandler,
  initializeCA,
  initializeCTLog,
  initializeTLog,
  initializeTSA,
  rekorHandler,
  tsaHandler
} from '@sigstore/mock'
import { RFC3161Timestamp } from '@sigstore/core'

const dir = process.argv[2]
if (!dir) {
  console.error('usage: node scripts/lib/sigstore-stack.ts DIR')
  process.exit(2)
}
mkdirSync(dir, { recursive: true })

const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com'
const ec = () => generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
const oidcKeys = generateKeyPairSync('rsa', { modulusLength: 2048 })
const idTokenBearer = `stack-${randomUUID()}`

const counters: Record<string, number> = { fulcio: 0, rekor: 0, tsa: 0, idtoken: 0, token: 0 }
const failures: Record<string, number> = {}
let lastIntegratedTime = 0

const server = createServer((req, res) => {
  const chunks: Buffer[] = []
  req.on('data', (chunk: Buffer) => chunks.push(chunk))
  req.on('end', () => {
    route(req, Buffer.concat(chunks), res).catch((error: unknown) => {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error))
    })
  })
})
await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

const ctKeys = ec()
const caKeys = ec()
const rekorKeys = ec()
const ctlog = await initializeCTLog(ctKeys)
const ca = await initializeCA(caKeys, ctlog)
// The checkpoint origin is the Rekor URL's host: it must be known before the log starts.
const tlog = await initializeTLog(url, rekorKeys)
const tsaKeys = ec()
const tsa = await initializeTSA(tsaKeys)
const timestamps = tsaHandler(tsa)
const fulcio = fulcioHandler(ca, { subjectClaim: 'x_fulcio_san' })
const rekor = rekorHandler(tlog)

const spki = (key: { publicKey: import('node:crypto').KeyObject }) =>
  key.publicKey.export({ format: 'der', type: 'spki' }) as Buffer
const pem = (der: Buffer | Uint8Array, label: string) =>
  `-----BEGIN ${label}-----\n${Buffer.from(der)
    .toString('base64')
    .match(/.{1,64}/g)
    ?.join('\n')}\n-----END ${label}-----\n`
const der = (view: ArrayBufferView) => Buffer.from(view.buffer, view.byteOffset, view.byteLength)
const rootDer = der(ca.rootCertificate)
// Back-dated: Rekor's integratedTime has 1 s resolution (see sigstore-test-stack.md §8.4).
const validFor = { start: '2020-01-01T00:00:00Z' }
const trustedRoot = {
  mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
  tlogs: [
    {
      baseUrl: url,
      hashAlgorithm: 'SHA2_256',
      publicKey: {
        rawBytes: spki(rekorKeys).toString('base64'),
        keyDetails: 'PKIX_ECDSA_P256_SHA_256',
        validFor
      },
      logId: { keyId: createHash('sha256').update(spki(rekorKeys)).digest('base64') }
    }
  ],
  certificateAuthorities: [
    {
      subject: { organization: 'sigstore.mock', commonName: 'sigstore' },
      uri: url,
      certChain: { certificates: [{ rawBytes: rootDer.toString('base64') }] },
      validFor
    }
  ],
  ctlogs: [
    {
      baseUrl: url,
      hashAlgorithm: 'SHA2_256',
      publicKey: {
        rawBytes: spki(ctKeys).toString('base64'),
        keyDetails: 'PKIX_ECDSA_P256_SHA_256',
        validFor
      },
      logId: {
        keyId: Buffer.from(
          ctlog.logID.buffer,
          ctlog.logID.byteOffset,
          ctlog.logID.byteLength
        ).toString('base64')
      }
    }
  ],
  timestampAuthorities: [
    {
      subject: { organization: 'sigstore.mock', commonName: 'sigstore-tsa' },
      uri: url,
      certChain: {
        certificates: [
          { rawBytes: der(tsa.intCertificate).toString('base64') },
          { rawBytes: der(tsa.rootCertificate).toString('base64') }
        ]
      },
      validFor
    }
  ]
}
writeFileSync(join(dir, 'trusted_root.json'), JSON.stringify(trustedRoot, null, 2))
writeFileSync(join(dir, 'fulcio-root.pem'), pem(rootDer, 'CERTIFICATE'))
writeFileSync(join(dir, 'ctlog-pub.pem'), pem(spki(ctKeys), 'PUBLIC KEY'))
writeFileSync(join(dir, 'rekor-pub.pem'), pem(spki(rekorKeys), 'PUBLIC KEY'))
writeFileSync(
  join(dir, 'tsa-chain.pem'),
  pem(der(tsa.intCertificate), 'CERTIFICATE') + pem(der(tsa.rootCertificate), 'CERTIFICATE')
)
const jwk = { ...(await exportJWK(oidcKeys.publicKey)), kid: 'stack', alg: 'RS256' }
writeFileSync(
  join(dir, 'stack.json'),
  JSON.stringify(
    { url, idTokenUrl: `${url}/actions/idtoken?api-version=2.0`, idTokenBearer, jwk },
    null,
    2
  )
)

/** The claims GitHub puts in a workflow's token, for Org/Fleet's publish.yml on main. */
function githubClaims(audience: string, overrides: Record<string, unknown>): JWTPayload {
  const sha = '0123456789abcdef0123456789abcdef01234567'
  const base: JWTPayload = {
    iss: GITHUB_ISSUER,
    aud: audience,
    sub: 'repo:Org/Fleet:ref:refs/heads/main',
    ref: 'refs/heads/main',
    sha,
    repository: 'Org/Fleet',
    repository_owner: 'Org',
    repository_id: '123456',
    repository_owner_id: '654321',
    repository_visibility: 'private',
    run_id: '4242424242',
    run_attempt: '1',
    actor: 'octocat',
    workflow: 'publish',
    event_name: 'push',
    runner_environment: 'github-hosted',
    workflow_ref: 'Org/Fleet/.github/workflows/publish.yml@refs/heads/main',
    workflow_sha: sha,
    job_workflow_ref: 'Org/Fleet/.github/workflows/publish.yml@refs/heads/main',
    job_workflow_sha: sha
  }
  return { ...base, ...overrides }
}

async function mintToken(
  audience: string,
  overrides: Record<string, unknown>,
  ttlSeconds: number
): Promise<string> {
  const now = Math.floor(Date.now() / 1000)
  return new SignJWT(githubClaims(audience, overrides))
    .setProtectedHeader({ alg: 'RS256', kid: 'stack' })
    .setIssuedAt(now)
    .setNotBefore(now - 5)
    .setExpirationTime(now + ttlSeconds)
    .sign(oidcKeys.privateKey)
}

/**
 * What Fulcio checks before issuing: a token we signed, for audience
 * "sigstore", from GitHub's issuer, not expired, and proof that the caller
 * holds the key (a signature over the token's subject).
 */
async function verifiedClaims(
  token: string,
  publicKeyPem: string,
  proof: Buffer | undefined
): Promise<JWTPayload> {
  const { payload } = await jwtVerify(token, oidcKeys.publicKey, {
    issuer: GITHUB_ISSUER,
    audience: 'sigstore'
  })
  if (proof) {
    const verifier = createVerify('sha256').update(String(payload.sub))
    if (!verifier.verify(createPublicKey(publicKeyPem), proof))
      throw new Error('proof of possession failed')
  }
  return payload
}

/** Runs the mock Fulcio with Fulcio's GitHub SAN rule applied to verified claims. */
async function issue(token: string, publicKeyPem: string, proof: Buffer | undefined) {
  const claims = await verifiedClaims(token, publicKeyPem, proof)
  const san = `https://github.com/${String(claims.job_workflow_ref)}`
  const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ ...claims, x_fulcio_san: san })).toString('base64url')}.`
  return fulcio.fn(
    JSON.stringify({
      credentials: { oidcIdentityToken: unsigned },
      publicKeyRequest: { publicKey: { content: publicKeyPem } }
    })
  )
}

/**
 * Real Rekor stores a dsse entry in canonical form (hashes and signatures,
 * not the proposed envelope); verifiers recompute and compare it. The mock
 * logs proposals verbatim, so rewrite them first.
 */
function canonicalEntry(request: string): string {
  const entry = JSON.parse(request) as {
    kind?: string
    spec?: { proposedContent?: { envelope: string; verifiers: string[] } }
  }
  const proposed = entry.spec?.proposedContent
  if (entry.kind !== 'dsse' || !proposed) return request
  const envelope = JSON.parse(proposed.envelope) as {
    payload: string
    signatures: { sig: string }[]
  }
  const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex')
  return JSON.stringify({
    apiVersion: '0.0.1',
    kind: 'dsse',
    spec: {
      envelopeHash: { algorithm: 'sha256', value: sha256(proposed.envelope) },
      payloadHash: { algorithm: 'sha256', value: sha256(Buffer.from(envelope.payload, 'base64')) },
      signatures: envelope.signatures.map((signature, i) => ({
        signature: signature.sig,
        verifier: proposed.verifiers[i] ?? proposed.verifiers[0]
      }))
    }
  })
}

function failing(service: string): boolean {
  if ((failures[service] ?? 0) <= 0) return false
  failures[service] = (failures[service] ?? 0) - 1
  return true
}

const bearer = (req: IncomingMessage) =>
  /^bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1]
function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {}
): void {
  res
    .writeHead(status, { 'content-type': 'application/json', ...headers })
    .end(JSON.stringify(body))
}

async function route(req: IncomingMessage, body: Buffer, res: ServerResponse): Promise<void> {
  const requestUrl = new URL(req.url ?? '/', url)
  const path = requestUrl.pathname
  if (req.method === 'POST' && path === '/api/v2/signingCert') {
    counters.fulcio = (counters.fulcio ?? 0) + 1
    if (failing('fulcio')) return json(res, 503, { message: 'injected failure' })
    const request = JSON.parse(body.toString()) as {
      credentials?: { oidcIdentityToken?: string }
      publicKeyRequest: { publicKey: { content: string }; proofOfPossession?: string }
    }
    const token = request.credentials?.oidcIdentityToken ?? bearer(req)
    if (!token) return json(res, 401, { message: 'no identity token' })
    let answer
    try {
      const proof = request.publicKeyRequest.proofOfPossession
      answer = await issue(
        token,
        request.publicKeyRequest.publicKey.content,
        proof ? Buffer.from(proof, 'base64') : undefined
      )
    } catch (error) {
      return json(res, 401, { message: String(error) })
    }
    // Real Fulcio answers 200 (sigstore-go insists); the mock says 201.
    res.writeHead(answer.statusCode === 201 ? 200 : answer.statusCode, {
      'content-type': 'application/json'
    })
    return void res.end(answer.response)
  }
  if (req.method === 'POST' && path === '/api/v1/signingCert') {
    counters.fulcio = (counters.fulcio ?? 0) + 1
    const request = JSON.parse(body.toString()) as {
      publicKey: { content: string }
      signedEmailAddress?: string
    }
    const token = bearer(req)
    if (!token) return json(res, 401, { message: 'no identity token' })
    const publicKeyPem = Buffer.from(request.publicKey.content, 'base64').toString()
    let answer
    try {
      answer = await issue(
        token,
        publicKeyPem,
        request.signedEmailAddress ? Buffer.from(request.signedEmailAddress, 'base64') : undefined
      )
    } catch (error) {
      return json(res, 401, { message: String(error) })
    }
    const chain = (
      JSON.parse(String(answer.response)) as {
        signedCertificateEmbeddedSct: { chain: { certificates: string[] } }
      }
    ).signedCertificateEmbeddedSct.chain.certificates
    res.writeHead(201, { 'content-type': 'application/pem-certificate-chain' })
    return void res.end(chain.join(''))
  }
  if (req.method === 'POST' && path === '/api/v1/log/entries') {
    counters.rekor = (counters.rekor ?? 0) + 1
    if (failing('rekor')) return json(res, 503, { code: 503, message: 'injected failure' })
    const answer = await rekor.fn(canonicalEntry(body.toString()))
    const entries = JSON.parse(String(answer.response)) as Record<
      string,
      { integratedTime?: number }
    >
    const uuid = Object.keys(entries)[0] ?? ''
    lastIntegratedTime = entries[uuid]?.integratedTime ?? lastIntegratedTime
    return void res
      .writeHead(answer.statusCode, {
        'content-type': 'application/json',
        etag: uuid,
        location: `/api/v1/log/entries/${uuid}`
      })
      .end(answer.response)
  }
  if (req.method === 'POST' && path === '/api/v1/timestamp') {
    counters.tsa = (counters.tsa ?? 0) + 1
    // The mock encodes genTime with trailing zeros trimmed (".5Z"), which
    // @sigstore/core refuses about 8% of the time: issue again until it parses.
    for (let attempt = 0; ; attempt++) {
      const answer = await timestamps.fn(body.toString())
      if (answer.statusCode !== 200 && answer.statusCode !== 201) {
        return void res
          .writeHead(answer.statusCode, { 'content-type': 'text/plain' })
          .end(answer.response)
      }
      try {
        void RFC3161Timestamp.parse(Buffer.from(answer.response as Uint8Array)).signingTime
      } catch (error) {
        if (attempt < 50) continue
        throw error
      }
      return void res
        .writeHead(200, { 'content-type': 'application/timestamp-reply' })
        .end(answer.response)
    }
  }
  if (req.method === 'GET' && path === '/api/v1/log/publicKey') {
    return void res
      .writeHead(200, { 'content-type': 'application/x-pem-file' })
      .end(pem(spki(rekorKeys), 'PUBLIC KEY'))
  }
  if (req.method === 'GET' && path === '/actions/idtoken') {
    counters.idtoken = (counters.idtoken ?? 0) + 1
    if (bearer(req) !== idTokenBearer || requestUrl.searchParams.get('api-version') !== '2.0') {
      return json(res, 401, { message: 'bad request token' })
    }
    const claims = JSON.parse(requestUrl.searchParams.get('claims') ?? '{}') as Record<
      string,
      unknown
    >
    const audience = requestUrl.searchParams.get('audience') ?? 'https://github.com/Org'
    return json(res, 200, { count: 1, value: await mintToken(audience, claims, 300) })
  }
  if (req.method === 'GET' && path === '/_test/token') {
    counters.token = (counters.token ?? 0) + 1
    const claims = JSON.parse(requestUrl.searchParams.get('claims') ?? '{}') as Record<
      string,
      unknown
    >
    const ttl = Number(requestUrl.searchParams.get('ttl') ?? 300)
    return void res
      .writeHead(200, { 'content-type': 'text/plain' })
      .end(await mintToken(requestUrl.searchParams.get('aud') ?? 'sigstore', claims, ttl))
  }
  if (path === '/_test/counters') return json(res, 200, { ...counters, lastIntegratedTime })
  if (req.method === 'POST' && path === '/_test/reset') {
    for (const key of Object.keys(counters)) counters[key] = 0
    for (const key of Object.keys(failures)) failures[key] = 0
    return json(res, 200, counters)
  }
  if (req.method === 'POST' && path === '/_test/fail') {
    failures[requestUrl.searchParams.get('service') ?? 'rekor'] = Number(
      requestUrl.searchParams.get('count') ?? 1
    )
    return json(res, 200, failures)
  }
  return json(res, 404, { message: `no route ${req.method} ${path}` })
}

process.on('SIGTERM', () => {
  server.closeAllConnections()
  server.close(() => process.exit(0))
})
process.stdout.write(`ready ${url}\n`)
