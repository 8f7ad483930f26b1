import { setTimeout as sleep } from 'node:timers/promises'
import { RegistryError } from './errors.js'
import type { HttpResponse } from './http.js'

/**
 * The retry layer of the transport: one policy, one list of statuses worth
 * another attempt, one loop. Registry requests and token requests both go
 * through `withRetries`, so Retry-After and backoff behave the same for both.
 */

export interface RetryPolicy {
  attempts: number
  baseDelayMs: number
  maxDelayMs: number
  /** Longest Retry-After honoured; a server asking for more fails the call. */
  maxRetryAfterMs: number
}

export const DEFAULT_RETRY: RetryPolicy = {
  attempts: 5,
  baseDelayMs: 250,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 60_000
}

/** Request timeout, rate limit, and the server errors a retry can outlast. */
const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504])

export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUSES.has(status)
}

/**
 * Whether a failed operation may be tried again: network errors and
 * timeouts (anything that is not our own verdict), and registry errors whose
 * status is retryable or unknown.
 */
export function isTransient(error: unknown): boolean {
  if (!(error instanceof RegistryError)) return true
  return error.status === undefined || isRetryableStatus(error.status)
}

/** Retry-After as seconds or an HTTP date, in milliseconds. */
export function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now())
}

export interface RetryContext {
  policy: RetryPolicy
  /** 1 for requests that cannot be repeated alone (an upload session's PUT). */
  attempts?: number
  /** What is being done, for the log and errors: "upload of sha256:…". */
  what: string
  /** Who answers, in the error for an over-long Retry-After. */
  server: string
  debug?: ((message: string) => void) | undefined
}

/**
 * Runs `attempt` until it answers with a status that is not retryable, the
 * attempts are used up, or it throws a RegistryError (a verdict, not a
 * hiccup). Network errors are retried too; the last one is thrown as is.
 */
export async function withRetries(
  context: RetryContext,
  attempt: () => Promise<HttpResponse>
): Promise<HttpResponse> {
  const attempts = context.attempts ?? context.policy.attempts
  for (let n = 1; ; n++) {
    let response: HttpResponse
    try {
      response = await attempt()
    } catch (error) {
      if (error instanceof RegistryError || n >= attempts) throw error
      await backoff(context, n, undefined, 'network error')
      continue
    }
    if (!isRetryableStatus(response.status) || n >= attempts) return response
    const retryAfter = parseRetryAfter(response.headers.get('retry-after'))
    await response.discard()
    if (retryAfter !== undefined && retryAfter > context.policy.maxRetryAfterMs) {
      throw new RegistryError(
        `${context.server} asked to wait ${Math.round(retryAfter / 1000)} s before the ${context.what} (HTTP ${response.status})`,
        {
          status: response.status,
          code: 'registry-rate-limited',
          hint: 'the registry is rate limiting this account; wait, or authenticate to get a higher limit, then run again'
        }
      )
    }
    await backoff(context, n, retryAfter, response.status)
  }
}

async function backoff(
  context: RetryContext,
  attempt: number,
  retryAfterMs: number | undefined,
  reason: number | string
): Promise<void> {
  const { baseDelayMs, maxDelayMs } = context.policy
  const exponential = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1))
  const delay = Math.max(exponential * (0.8 + Math.random() * 0.4), retryAfterMs ?? 0)
  context.debug?.(
    `retrying the ${context.what} in ${Math.round(delay)} ms (${reason}, attempt ${attempt})`
  )
  await sleep(delay)
}
