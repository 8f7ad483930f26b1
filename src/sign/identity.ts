import { readFile } from 'node:fs/promises'
import { InputError } from '../errors.js'
import { SigningError } from '../errors.js'

type Env = Readonly<Record<string, string | undefined>>

/**
 * Checks, before anything is built or uploaded, that this run can get a
 * GitHub OIDC token for keyless signing.
 */
export async function assertKeylessPossible(env: Env): Promise<void> {
  if (env.SIGSTORE_ID_TOKEN) return
  if (!env.ACTIONS_ID_TOKEN_REQUEST_URL || !env.ACTIONS_ID_TOKEN_REQUEST_TOKEN) {
    const forkHint = (await isForkPullRequest(env))
      ? ' This is a pull request from a fork, which never gets an OIDC token:'
      : ''
    throw new InputError(
      `missing "id-token" permission: keyless signing needs the workflow's OIDC token.${forkHint}`,
      {
        hint: forkHint
          ? 'publish on push or release, not on pull requests from forks (or set sign: none for a dry run)'
          : 'add "permissions: id-token: write" to the job (for a reusable workflow, the caller must grant it), or set sign: none'
      }
    )
  }
  if (await isForkPullRequest(env)) {
    throw new InputError('keyless signing in a pull request from a fork is refused', {
      hint: 'a fork cannot prove it is your workflow; publish on push or release instead (or set sign: none)'
    })
  }
}

async function isForkPullRequest(env: Env): Promise<boolean> {
  if (!env.GITHUB_EVENT_NAME?.startsWith('pull_request') || !env.GITHUB_EVENT_PATH) return false
  try {
    const event = JSON.parse(await readFile(env.GITHUB_EVENT_PATH, 'utf8')) as {
      pull_request?: {
        head?: { repo?: { full_name?: string } }
        base?: { repo?: { full_name?: string } }
      }
    }
    const head = event.pull_request?.head?.repo?.full_name
    const base = event.pull_request?.base?.repo?.full_name
    return head !== undefined && base !== undefined && head !== base
  } catch {
    return false
  }
}

/**
 * The OIDC token for audience "sigstore": SIGSTORE_ID_TOKEN when set, else
 * the runner's ID-token endpoint (what @actions/core's getIDToken calls).
 */
export async function fetchIdentityToken(
  env: Env,
  onSecret: (secret: string) => void
): Promise<string> {
  if (env.SIGSTORE_ID_TOKEN) {
    onSecret(env.SIGSTORE_ID_TOKEN)
    return env.SIGSTORE_ID_TOKEN
  }
  const base = env.ACTIONS_ID_TOKEN_REQUEST_URL
  const bearer = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN
  if (!base || !bearer) throw new SigningError('no OIDC token available')
  const url = `${base}${base.includes('?') ? '&' : '?'}audience=sigstore`
  let lastError: unknown
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      const response = await fetch(url, {
        headers: { authorization: `Bearer ${bearer}`, accept: 'application/json' },
        signal: AbortSignal.timeout(30_000)
      })
      if (response.ok) {
        const { value } = JSON.parse(await boundedText(response, 1024 * 1024)) as {
          value?: string
        }
        if (!value) throw new SigningError('the ID-token endpoint returned no token')
        onSecret(value)
        return value
      }
      lastError = new SigningError(`the ID-token endpoint answered HTTP ${response.status}`)
      if (response.status < 500 && response.status !== 429 && response.status !== 408) break
    } catch (error) {
      lastError = error
    }
    await new Promise(resolve => setTimeout(resolve, 500 * attempt))
  }
  throw new SigningError('cannot get the OIDC token for signing', {
    cause: lastError,
    hint: 'check that the job has "permissions: id-token: write"; rerun if GitHub had an outage'
  })
}

/** A fetch body as text, refused past `limit` bytes while it streams. */
async function boundedText(response: Response, limit: number): Promise<string> {
  const chunks: Uint8Array[] = []
  let size = 0
  for await (const chunk of (response.body ?? []) as AsyncIterable<Uint8Array>) {
    size += chunk.length
    if (size > limit) throw new SigningError(`the ID-token endpoint sent more than ${limit} bytes`)
    chunks.push(chunk)
  }
  return Buffer.concat(chunks).toString('utf8')
}
