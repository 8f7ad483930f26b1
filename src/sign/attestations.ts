import { SigningError } from '../errors.js'
import { quoteExternal } from '../text.js'

/**
 * Records a signed attestation bundle with GitHub's artifact attestations
 * API (POST /repos/{owner}/{repo}/attestations, what actions/attest does),
 * so `gh attestation verify oci://…@digest --owner …` finds fleetpack's
 * provenance. The token goes to the API of the runner's own GitHub only
 * (GITHUB_API_URL), and needs `attestations: write`.
 */

export interface AttestationsTarget {
  /** GITHUB_API_URL, e.g. https://api.github.com */
  apiUrl: string
  /** owner/repo */
  repository: string
  token: string
}

export async function recordAttestation(
  target: AttestationsTarget,
  bundle: Buffer
): Promise<string> {
  const url = `${target.apiUrl.replace(/\/+$/, '')}/repos/${target.repository}/attestations`
  let response: Response
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${target.token}`,
        accept: 'application/vnd.github+json',
        'content-type': 'application/json',
        'x-github-api-version': '2022-11-28'
      },
      body: JSON.stringify({ bundle: JSON.parse(bundle.toString('utf8')) as unknown }),
      redirect: 'error',
      signal: AbortSignal.timeout(30_000)
    })
  } catch (cause) {
    throw new SigningError(`cannot reach GitHub's attestations API at ${url}`, {
      cause,
      hint: 'check GITHUB_API_URL; rerun if GitHub had an outage'
    })
  }
  const text = await boundedText(response, 64 * 1024)
  if (!response.ok) {
    throw new SigningError(
      `GitHub's attestations API answered HTTP ${response.status}: ${quoteExternal(text.slice(0, 200))}`,
      {
        hint:
          response.status === 403 || response.status === 401
            ? 'give the job "permissions: attestations: write" (and github-token its token)'
            : 'rerun; the artifact and its provenance referrer are published already'
      }
    )
  }
  const id = (JSON.parse(text) as { id?: unknown }).id
  return typeof id === 'number' || typeof id === 'string' ? String(id) : 'recorded'
}

async function boundedText(response: Response, limit: number): Promise<string> {
  const chunks: Uint8Array[] = []
  let size = 0
  for await (const chunk of (response.body ?? []) as AsyncIterable<Uint8Array>) {
    size += chunk.length
    if (size > limit) break
    chunks.push(chunk)
  }
  return Buffer.concat(chunks).toString('utf8')
}
