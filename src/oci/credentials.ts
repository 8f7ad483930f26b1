import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { InputError } from '../errors.js'
import { DOCKER_HUB } from './reference.js'
import type { Credentials } from './transport.js'

/**
 * Registry credentials, in the order a workflow author expects: the action's
 * username/password inputs; then docker's config, as docker/login-action and
 * the cloud login actions leave it (credHelpers, then credsStore, then
 * auths); then, for ghcr.io only, the workflow's GITHUB_TOKEN.
 */

export interface CredentialSources {
  username?: string | undefined
  password?: string | undefined
  /** github.actor and github-token, used for ghcr.io when nothing else is configured. */
  githubActor?: string | undefined
  githubToken?: string | undefined
  env?: Readonly<Record<string, string | undefined>>
  /** Called with every secret found, before anything can log it. */
  onSecret?: (secret: string) => void
}

export interface ResolvedCredentials {
  credentials: Credentials | undefined
  /** Where they came from, for the log (never the secret itself). */
  source: string
}

const DOCKER_HUB_KEY = 'https://index.docker.io/v1/'
const HELPER_TIMEOUT_MS = 30_000

export async function resolveCredentials(
  registry: string,
  sources: CredentialSources
): Promise<ResolvedCredentials> {
  const mask = (secret: string | undefined) => {
    if (secret) sources.onSecret?.(secret)
  }
  if (sources.username || sources.password) {
    if (!sources.username || !sources.password) {
      throw new InputError('username and password must be given together', {
        hint: 'set both inputs, or neither to use docker login credentials'
      })
    }
    mask(sources.password)
    return {
      credentials: { kind: 'basic', username: sources.username, password: sources.password },
      source: 'the username/password inputs'
    }
  }

  const fromConfig = await fromDockerConfig(registry, sources.env ?? process.env, mask)
  if (fromConfig) return fromConfig

  if (registry === 'ghcr.io' && sources.githubToken) {
    mask(sources.githubToken)
    return {
      credentials: {
        kind: 'basic',
        username: sources.githubActor || 'github-actions',
        password: sources.githubToken
      },
      source: 'the github-token input (GITHUB_TOKEN)'
    }
  }
  return { credentials: undefined, source: 'none (anonymous)' }
}

interface DockerConfig {
  auths?: Record<
    string,
    {
      auth?: string
      username?: string
      password?: string
      identitytoken?: string
      registrytoken?: string
    }
  >
  credHelpers?: Record<string, string>
  credsStore?: string
}

async function fromDockerConfig(
  registry: string,
  env: Readonly<Record<string, string | undefined>>,
  mask: (secret: string | undefined) => void
): Promise<ResolvedCredentials | undefined> {
  const dir = env.DOCKER_CONFIG || join(env.HOME || homedir(), '.docker')
  const path = join(dir, 'config.json')
  let config: DockerConfig
  try {
    config = JSON.parse(await readFile(path, 'utf8')) as DockerConfig
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return undefined
    throw new InputError(`cannot read docker config ${path}: ${(error as Error).message}`, {
      hint: 'fix or remove the file (docker login writes it)'
    })
  }
  const serverAddress = registry === DOCKER_HUB ? DOCKER_HUB_KEY : registry
  const helper = Object.entries(config.credHelpers ?? {}).find(([key]) =>
    sameRegistry(key, registry)
  )?.[1]
  if (helper) return fromHelper(helper, serverAddress, env, mask)
  if (config.credsStore) {
    // Docker's behaviour: with a credsStore, the store answers; "not found" means anonymous.
    return fromHelper(config.credsStore, serverAddress, env, mask)
  }
  const entry = Object.entries(config.auths ?? {}).find(([key]) => sameRegistry(key, registry))?.[1]
  if (!entry) return undefined
  const source = `docker config ${path}`
  if (entry.registrytoken) {
    mask(entry.registrytoken)
    return { credentials: { kind: 'registry-token', token: entry.registrytoken }, source }
  }
  if (entry.identitytoken) {
    mask(entry.identitytoken)
    return { credentials: { kind: 'identity-token', token: entry.identitytoken }, source }
  }
  let username = entry.username
  let password = entry.password
  if (entry.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8')
    const colon = decoded.indexOf(':') // passwords may contain ':'
    username = decoded.slice(0, colon)
    password = decoded.slice(colon + 1)
  }
  if (!username || !password) return undefined
  mask(password)
  mask(entry.auth)
  return { credentials: { kind: 'basic', username, password }, source }
}

async function fromHelper(
  name: string,
  serverAddress: string,
  env: Readonly<Record<string, string | undefined>>,
  mask: (secret: string | undefined) => void
): Promise<ResolvedCredentials | undefined> {
  const program = `docker-credential-${name}`
  const output = await new Promise<{ code: number; stdout: string; stderr: string }>(
    (resolve, reject) => {
      const child = execFile(
        program,
        ['get'],
        { env: env, timeout: HELPER_TIMEOUT_MS, maxBuffer: 1024 * 1024 },
        (error, stdout, stderr) => {
          if (error && (error as { code?: unknown }).code === 'ENOENT') {
            reject(
              new InputError(
                `docker config names the credential helper "${name}", but ${program} is not on PATH`,
                {
                  hint: `install ${program}, or remove it from credHelpers/credsStore in the docker config`
                }
              )
            )
            return
          }
          const code = error ? Number((error as { code?: unknown }).code) || 1 : 0
          resolve({ code, stdout: String(stdout), stderr: String(stderr) })
        }
      )
      // A helper may exit without reading its input; that is its answer, not our error.
      child.stdin?.on('error', () => undefined)
      child.stdin?.end(serverAddress)
    }
  )
  if (output.code !== 0) {
    if (/credentials not found/i.test(output.stdout + output.stderr))
      return { credentials: undefined, source: `${program} (no credentials stored)` }
    throw new InputError(
      `${program} get failed: ${(output.stderr || output.stdout).trim().slice(0, 300)}`,
      {
        hint: `check that ${program} works: echo ${serverAddress} | ${program} get`
      }
    )
  }
  let parsed: { Username?: string; Secret?: string }
  try {
    parsed = JSON.parse(output.stdout) as { Username?: string; Secret?: string }
  } catch {
    throw new InputError(`${program} get printed something that is not JSON`, {
      hint: `check the helper: echo ${serverAddress} | ${program} get`
    })
  }
  mask(parsed.Secret)
  if (!parsed.Secret) return { credentials: undefined, source: `${program} (empty)` }
  if (parsed.Username === '<token>') {
    return { credentials: { kind: 'identity-token', token: parsed.Secret }, source: program }
  }
  return {
    credentials: { kind: 'basic', username: parsed.Username ?? '', password: parsed.Secret },
    source: program
  }
}

/** Compares a docker config key (maybe https://host/v1/) with a registry host. */
function sameRegistry(key: string, registry: string): boolean {
  const host = key.replace(/^[a-z]+:\/\//i, '').replace(/\/.*$/, '')
  const hub = new Set([DOCKER_HUB, 'index.docker.io', 'registry-1.docker.io'])
  if (hub.has(registry)) return hub.has(host)
  return host === registry
}
