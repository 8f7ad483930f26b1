import { parseChallenges } from './challenge.js'
import { RegistryAuthError, RegistryError } from './errors.js'
import { apiHost } from './reference.js'
import { READ_LIMITS, type HttpResponse } from './http.js'
import { exchange } from './redirects.js'
import { DEFAULT_RETRY, withRetries, type RetryPolicy } from './retry.js'
import { quoteExternal } from '../text.js'
import type { Readable } from 'node:stream'

/**
 * The registry transport, in layers as in go-containerregistry: this module
 * is authentication (challenges, Basic and Bearer, a token cache keyed by
 * scope) and error translation (distribution error codes into errors that
 * say what to do); beneath it, retry.ts (one retry policy for registry and
 * token requests) and redirects.ts (one redirect loop, one rule: credentials
 * stay on their origin), then http.ts.
 */

export { DEFAULT_RETRY, parseRetryAfter, type RetryPolicy } from './retry.js'

export type Credentials =
  | { kind: 'basic'; username: string; password: string }
  /** An OAuth2 refresh token (docker's identitytoken; ACR logins). */
  | { kind: 'identity-token'; token: string }
  /** A bearer token sent as is (docker's registrytoken). */
  | { kind: 'registry-token'; token: string }

export interface TransportOptions {
  registry: string
  /** Plain HTTP; only for loopback and hosts the user listed. */
  insecure: boolean
  credentials?: Credentials | undefined
  userAgent?: string
  timeoutMs?: number
  retry?: Partial<RetryPolicy>
  /** Called with every secret (tokens) before it can reach a log. */
  onSecret?: (secret: string) => void
  /** Called for every HTTP request made, with its method and status. */
  onRequest?: (method: string, url: URL, status: number | 'error') => void
  debug?: (message: string) => void
}

export interface RegistryRequest {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  /** A path on the registry (/v2/...) or an absolute URL from a Location header. */
  url: string | URL
  headers?: Record<string, string>
  /** Called once per attempt: bodies must be replayable. */
  body?: () => Buffer | Readable | undefined
  /** Authorisation scopes, e.g. repository:org/app:pull,push */
  scopes: string[]
  /** Statuses returned to the caller rather than raised. 2xx is always accepted. */
  accept?: number[]
  /** false for requests that cannot be retried alone (an upload session PUT). */
  retry?: boolean
  timeoutMs?: number
  /** false to return a redirect instead of following it (probing the referrers API). */
  followRedirects?: boolean
  /** What the request is for, in error messages: "upload of sha256:..." */
  what: string
}

interface CachedToken {
  value: string
  expiresAt: number
}

export class Transport {
  readonly origin: string
  private readonly retry: RetryPolicy
  private readonly timeoutMs: number
  private scheme: 'unknown' | 'anonymous' | 'basic' | 'bearer' = 'unknown'
  private bearer: { realm: string; service: string | undefined } | undefined
  private readonly tokens = new Map<string, Promise<CachedToken>>()

  constructor(private readonly options: TransportOptions) {
    // URL's own origin: the same spelling as every response's URL it is compared with.
    this.origin = new URL(
      `${options.insecure ? 'http' : 'https'}://${apiHost(options.registry)}`
    ).origin
    this.retry = { ...DEFAULT_RETRY, ...options.retry }
    this.timeoutMs = options.timeoutMs ?? 60_000
  }

  get registry(): string {
    return this.options.registry
  }

  async request(request: RegistryRequest): Promise<HttpResponse> {
    let response: HttpResponse
    try {
      response = await withRetries(
        {
          policy: this.retry,
          attempts: request.retry === false ? 1 : undefined,
          what: request.what,
          server: this.options.registry,
          debug: this.options.debug
        },
        () => this.authorised(request)
      )
    } catch (error) {
      throw this.networkError(request, error)
    }
    return this.check(request, response)
  }

  /** Sends a request, answering one authentication challenge if needed. */
  private async authorised(request: RegistryRequest): Promise<HttpResponse> {
    let response = await this.send(request, await this.authorization(request.scopes, false))
    if (response.status !== 401) return response
    if (response.url.origin !== this.origin) {
      // A challenge is the registry's only when the registry itself sent it.
      // Storage behind a redirect (a CDN, S3) asking for credentials would
      // otherwise name a realm that receives them (containerd CVE-2020-15157).
      await discard(response)
      throw new RegistryAuthError(
        `${response.url.origin} asked for credentials during the ${request.what}, after ${this.origin} redirected there`,
        {
          status: 401,
          hint: `refusing to answer another origin's challenge with the credentials of ${this.options.registry}; the registry's storage redirect is misconfigured (or hostile): report it to the registry's operator`
        }
      )
    }
    const header = response.headers.get('www-authenticate') ?? ''
    await discard(response)
    const challenges = parseChallenges(header)
    const bearer = challenges.find(c => c.scheme === 'bearer')
    const basic = challenges.find(c => c.scheme === 'basic')
    if (bearer?.params.error === 'insufficient_scope' && this.scheme === 'bearer') {
      throw this.authError(request, 401, 'insufficient_scope')
    }
    if (bearer?.params.realm) {
      this.scheme = 'bearer'
      this.bearer = { realm: bearer.params.realm, service: bearer.params.service }
      // Our scopes already name what the request needs; the challenge's are only
      // used when we have none (on /v2/ GHCR's is a placeholder anyway).
      const hinted = bearer.params.scope
      const scopes = request.scopes.length > 0 || !hinted ? request.scopes : hinted.split(' ')
      response = await this.send(request, await this.authorization(scopes, true))
    } else if (basic && this.options.credentials?.kind === 'basic') {
      this.scheme = 'basic'
      response = await this.send(request, await this.authorization(request.scopes, true))
    } else {
      throw this.authError(request, 401)
    }
    if (response.status === 401) {
      // Refused with a fresh token: the credentials are wrong, or (the
      // challenge says insufficient_scope) right but not allowed to do this.
      const again = parseChallenges(response.headers.get('www-authenticate') ?? '')
      const scopeError = again.find(c => c.params.error === 'insufficient_scope')
      await discard(response)
      throw this.authError(request, 401, scopeError ? 'insufficient_scope' : undefined)
    }
    return response
  }

  private async authorization(scopes: string[], fresh: boolean): Promise<string | undefined> {
    const credentials = this.options.credentials
    if (this.scheme === 'basic' && credentials?.kind === 'basic') {
      return basicAuthorization(credentials)
    }
    if (this.scheme !== 'bearer' || !this.bearer) return undefined
    if (credentials?.kind === 'registry-token') return `Bearer ${credentials.token}`
    const key = unique(scopes).sort().join(' ')
    const cached = this.tokens.get(key)
    if (cached && !fresh) {
      const token = await cached.catch(() => undefined)
      if (token && token.expiresAt > Date.now()) return `Bearer ${token.value}`
    }
    const pending = this.fetchToken(unique(scopes))
    this.tokens.set(key, pending)
    pending.catch(() => this.tokens.delete(key))
    return `Bearer ${(await pending).value}`
  }

  /** The distribution token flow: GET with Basic credentials, or OAuth2 POST for refresh tokens. */
  private async fetchToken(scopes: string[]): Promise<CachedToken> {
    const { realm, service } = this.bearer as { realm: string; service: string | undefined }
    const realmUrl = new URL(realm)
    if (realmUrl.protocol !== 'https:' && !plainRealmAllowed(realmUrl, this.options)) {
      throw new RegistryAuthError(
        `${this.options.registry} sent its token realm over plain HTTP (${realm})`,
        {
          hint: 'refusing to send credentials in clear text; if this is a private test registry, list it in insecure-registries'
        }
      )
    }
    this.options.debug?.(`token for ${scopes.join(' ') || '(no scope)'} from ${realmUrl.host}`)
    const credentials = this.options.credentials
    let response: HttpResponse | undefined
    if (credentials?.kind === 'identity-token') {
      const form = new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: credentials.token,
        client_id: 'fleetpack'
      })
      if (service) form.set('service', service)
      if (scopes.length > 0) form.set('scope', scopes.join(' '))
      response = await this.tokenRequest(realmUrl, {
        method: 'POST',
        contentType: 'application/x-www-form-urlencoded',
        body: form.toString()
      })
      // Not every token server implements OAuth2; fall back to GET.
      if (response.status === 404 || response.status === 405) {
        await discard(response)
        response = undefined
      }
    }
    if (!response) {
      const url = new URL(realmUrl)
      if (service) url.searchParams.set('service', service)
      for (const scope of scopes) url.searchParams.append('scope', scope)
      if (credentials?.kind === 'basic') url.searchParams.set('account', credentials.username)
      response = await this.tokenRequest(url, {
        method: 'GET',
        authorization: credentials?.kind === 'basic' ? basicAuthorization(credentials) : undefined
      })
    }
    if (response.status === 401 || response.status === 403) {
      await discard(response)
      throw new RegistryAuthError(
        `${this.options.registry} refused the credentials (HTTP ${response.status} from ${realmUrl.host})`,
        {
          status: response.status,
          hint: credentialsHint(this.options.registry)
        }
      )
    }
    if (!response.ok) {
      const text = await response.text(READ_LIMITS.error).catch(() => '')
      throw new RegistryError(
        `the token server ${realmUrl.host} answered HTTP ${response.status}: ${quoteExternal(text.slice(0, 200))}`,
        {
          status: response.status,
          hint: 'the registry may be having trouble; run again later'
        }
      )
    }
    const body = (await response.json(READ_LIMITS.token).catch((error: unknown) => {
      throw new RegistryError(
        `the token server ${realmUrl.host} sent an answer that is not a token: ${describeCause(error)}`,
        { cause: error }
      )
    })) as {
      token?: string
      access_token?: string
      expires_in?: number
    }
    const value = body.access_token || body.token
    if (!value) throw new RegistryError(`the token server ${realmUrl.host} sent no token`)
    this.options.onSecret?.(value)
    // At least 60 s (the spec's default), renewed 10 s early.
    const lifetime = Math.max(60, Number(body.expires_in) || 60)
    return { value, expiresAt: Date.now() + (lifetime - 10) * 1000 }
  }

  /** A token request: retried like registry requests, Basic credentials only to the realm's origin. */
  private async tokenRequest(
    url: URL,
    init: { method: string; authorization?: string; body?: string; contentType?: string }
  ): Promise<HttpResponse> {
    try {
      return await withRetries(
        {
          policy: this.retry,
          what: 'token request',
          server: url.host,
          debug: this.options.debug
        },
        () =>
          exchange({
            method: init.method,
            url,
            headers: {
              'user-agent': this.options.userAgent ?? 'fleetpack',
              ...(init.contentType ? { 'content-type': init.contentType } : {})
            },
            body: init.body === undefined ? undefined : () => init.body,
            timeoutMs: this.timeoutMs,
            authorization: init.authorization,
            credentialOrigin: url.origin,
            follow: true,
            onRequest: this.options.onRequest
          })
      )
    } catch (error) {
      if (error instanceof RegistryError) throw error
      throw new RegistryError(
        `cannot reach the token server ${url.host}: ${describeCause(error)}`,
        {
          cause: error
        }
      )
    }
  }

  /** One exchange with the registry; credentials go to the registry's origin only. */
  private send(request: RegistryRequest, authorization: string | undefined): Promise<HttpResponse> {
    const url =
      typeof request.url === 'string' && request.url.startsWith('/')
        ? new URL(request.url, this.origin)
        : new URL(request.url)
    return exchange({
      method: request.method,
      url,
      headers: { 'user-agent': this.options.userAgent ?? 'fleetpack', ...request.headers },
      body: request.body,
      timeoutMs: request.timeoutMs ?? this.timeoutMs,
      authorization,
      credentialOrigin: this.origin,
      follow: request.followRedirects !== false,
      onRequest: this.options.onRequest
    })
  }

  private async check(request: RegistryRequest, response: HttpResponse): Promise<HttpResponse> {
    if (response.ok || request.accept?.includes(response.status)) return response
    const text = await response.text(READ_LIMITS.error).catch(() => '')
    const { code, message } = registryErrorBody(text)
    if (response.status === 403) throw this.authError(request, 403, code, message)
    if (response.status === 401) throw this.authError(request, 401, code, message)
    throw new RegistryError(
      `${this.options.registry} refused the ${request.what}: HTTP ${response.status}${code ? ` ${code}` : ''}${message ? `: ${message}` : ''}`,
      {
        status: response.status,
        registryCode: code,
        code:
          code === 'NAME_UNKNOWN' || (response.status === 404 && code === undefined)
            ? 'registry-name-unknown'
            : 'registry',
        hint: statusHint(response.status, code, this.options.registry)
      }
    )
  }

  private authError(
    request: RegistryRequest,
    status: number,
    code?: string,
    message?: string
  ): RegistryAuthError {
    const anonymous = !this.options.credentials
    const denied = status === 403 || code === 'insufficient_scope' || code === 'DENIED'
    return new RegistryAuthError(
      `${this.options.registry} denied the ${request.what} (HTTP ${status}${code ? ` ${code}` : ''}${message ? `: ${message}` : ''})${anonymous ? ' without credentials' : ''}`,
      {
        status,
        registryCode: code,
        code: denied ? 'registry-denied' : 'registry-auth',
        hint: denied
          ? permissionHint(this.options.registry)
          : credentialsHint(this.options.registry)
      }
    )
  }

  private networkError(request: RegistryRequest, error: unknown): RegistryError {
    if (error instanceof RegistryError) return error
    // Duck-typed: fetch's DOMException may come from another realm.
    const name = (error as { name?: unknown } | undefined)?.name
    const timeout = name === 'TimeoutError' || name === 'AbortError'
    return new RegistryError(
      `${timeout ? 'timed out during' : 'network error during'} the ${request.what} at ${this.options.registry}: ${describeCause(error)}`,
      {
        cause: error,
        code: timeout ? 'registry-timeout' : 'registry-unreachable',
        hint: timeout
          ? 'the registry did not answer in time; check its status and run again'
          : `check that ${this.options.registry} is reachable from the runner${this.options.insecure ? '' : ' over HTTPS (plain HTTP needs insecure-registries)'}`
      }
    )
  }
}

/**
 * A token realm over plain HTTP gets credentials only from a registry that is
 * itself plain HTTP (loopback or listed in insecure-registries), and only on
 * that registry's own host or loopback: "insecure" allows clear text to the
 * registry, not to wherever its challenge points.
 */
function plainRealmAllowed(realm: URL, options: TransportOptions): boolean {
  if (!options.insecure) return false
  const host = realm.hostname.replace(/^\[|\]$/g, '')
  const registryHost = new URL(`http://${apiHost(options.registry)}`).hostname.replace(
    /^\[|\]$/g,
    ''
  )
  return host === registryHost || host === 'localhost' || host === '::1' || /^127\./.test(host)
}

export function registryErrorBody(text: string): { code?: string; message?: string } {
  try {
    const parsed = JSON.parse(text) as {
      errors?: { code?: string; message?: string; detail?: unknown }[]
    }
    const first = parsed.errors?.[0]
    if (first)
      return {
        code: typeof first.code === 'string' ? quoteExternal(first.code.slice(0, 64)) : undefined,
        message:
          typeof first.message === 'string' ? quoteExternal(first.message.slice(0, 200)) : undefined
      }
  } catch {
    // not JSON
  }
  const trimmed = quoteExternal(text.trim().slice(0, 200))
  return trimmed ? { message: trimmed } : {}
}

function statusHint(
  status: number,
  code: string | undefined,
  registry: string
): string | undefined {
  if (code === 'NAME_UNKNOWN' || (status === 404 && code === undefined)) {
    return `the repository does not exist on ${registry} or is not visible to these credentials; some registries need it created first: for ECR set create-repositories: true (--create-repositories true), for Harbor create the project`
  }
  if (code === 'MANIFEST_INVALID' || code === 'MANIFEST_BLOB_UNKNOWN')
    return 'this looks like a fleetpack bug or a registry that rejects Flux media types; please report it'
  if (status === 413) return 'the registry limits request sizes; reduce the component size'
  if (status >= 500) return 'the registry had an internal error; run again later'
  return undefined
}

function credentialsHint(registry: string): string {
  return registry === 'ghcr.io'
    ? 'for ghcr.io, pass a token with write:packages (the job needs "permissions: packages: write" for GITHUB_TOKEN), or log in with docker/login-action'
    : `give credentials for ${registry} with the username/password inputs or docker login (docker/login-action)`
}

function permissionHint(registry: string): string {
  return registry === 'ghcr.io'
    ? 'the token may read but not write: add "permissions: packages: write" to the job, and if the package already exists, grant this repository Actions access in the package settings'
    : `the credentials are valid but may not push to this repository on ${registry}; grant push access`
}

function describeCause(error: unknown): string {
  // Duck-typed: errors from fetch may come from another realm.
  const message = (value: unknown) =>
    typeof value === 'object' && value !== null && 'message' in value
      ? String(value.message)
      : undefined
  const own = message(error) ?? String(error)
  const cause = message((error as { cause?: unknown } | undefined)?.cause)
  return cause ? `${own} (${cause})` : own
}

function basicAuthorization(credentials: { username: string; password: string }): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`
}

function unique(values: string[]): string[] {
  return [...new Set(values)]
}

export async function discard(response: HttpResponse): Promise<void> {
  await response.discard()
}
