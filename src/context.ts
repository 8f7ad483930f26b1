import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, join, relative, isAbsolute, resolve } from 'node:path'
import { promisify } from 'node:util'
import { formatCreated } from './artifact/index.js'
import { InputError } from './errors.js'
import type { RefContext } from './tags.js'

/**
 * Defaults that come from where fleetpack runs: the GitHub Actions context
 * when there is one, else the git work tree. Kept apart from the core so the
 * builder and the pipeline take plain values.
 */

type Env = Readonly<Record<string, string | undefined>>
const run = promisify(execFile)

const gitAnswers = new Map<string, Promise<string | undefined>>()

/**
 * Runs a read-only git query, once per work tree: components of one
 * repository share the answer, and a fleet may have hundreds of them.
 */
function git(dir: string, ...args: string[]): Promise<string | undefined> {
  const key = `${repositoryRootFor(dir, {})}\0${args.join('\0')}`
  let answer = gitAnswers.get(key)
  if (!answer) {
    answer = run('git', ['-C', dir, ...args], { timeout: 10_000 }).then(
      ({ stdout }) => stdout.trim() || undefined,
      () => undefined
    )
    gitAnswers.set(key, answer)
  }
  return answer
}

/**
 * The directory symlinks may not leave: the workspace on a runner, else the
 * enclosing git work tree, else the component directory itself.
 */
export function repositoryRootFor(dir: string, env: Env = process.env): string {
  const absolute = resolve(dir)
  const workspace = env.GITHUB_WORKSPACE
  if (workspace && isWithin(resolve(workspace), absolute)) return resolve(workspace)
  for (let current = absolute; ; current = dirname(current)) {
    if (existsSync(join(current, '.git'))) return current
    if (dirname(current) === current) return absolute
  }
}

function isWithin(root: string, candidate: string): boolean {
  const rel = relative(root, candidate)
  return !rel.startsWith('..') && !isAbsolute(rel)
}

/**
 * The created annotation: SOURCE_DATE_EPOCH, else the commit time of HEAD, so
 * rebuilding the same commit gives the same manifest digest; else now.
 */
export async function createdTimeFor(dir: string, env: Env = process.env): Promise<string> {
  const epoch = env.SOURCE_DATE_EPOCH
  if (epoch !== undefined && epoch !== '') {
    if (!/^\d+$/.test(epoch)) {
      throw new InputError(`SOURCE_DATE_EPOCH=${epoch} is not a number of seconds`, {
        hint: 'set it to a Unix time such as $(git log -1 --format=%ct), or unset it'
      })
    }
    return formatCreated(new Date(Number(epoch) * 1000))
  }
  const commitTime = await git(dir, 'log', '-1', '--format=%ct', 'HEAD')
  if (commitTime && /^\d+$/.test(commitTime))
    return formatCreated(new Date(Number(commitTime) * 1000))
  return formatCreated(new Date())
}

/** `https://github.com/org/repo`, from the GitHub context or the origin remote. */
export async function defaultSource(
  dir: string,
  env: Env = process.env
): Promise<string | undefined> {
  if (env.GITHUB_REPOSITORY) {
    return `${env.GITHUB_SERVER_URL ?? 'https://github.com'}/${env.GITHUB_REPOSITORY}`
  }
  const remote = await git(dir, 'remote', 'get-url', 'origin')
  const url = remote ? normaliseRemoteUrl(remote) : undefined
  // A clone of a local path has no browsable source: better none than a runner's path.
  return url && /^https?:\/\//.test(url) ? url : undefined
}

/**
 * Turns a git remote into a browsable https URL and drops any credentials in
 * it: a checkout's remote may embed a token, and this value is published.
 */
export function normaliseRemoteUrl(remote: string): string {
  const scp = /^[\w.-]+@([^:/]+):(.+)$/.exec(remote)
  let url = scp ? `https://${scp[1]}/${scp[2]}` : remote
  url = url.replace(/^(git|ssh):\/\/([^@/]+@)?/, 'https://')
  try {
    const parsed = new URL(url)
    parsed.username = ''
    parsed.password = ''
    url = parsed.toString()
  } catch {
    return url.replace(/\/\/[^@/]+@/, '//')
  }
  return url.replace(/\.git$/, '').replace(/\/$/, '')
}

/** `<ref-name>@sha1:<commit>`, the revision format Flux's notifications understand. */
export async function defaultRevision(
  dir: string,
  env: Env = process.env
): Promise<string | undefined> {
  if (env.GITHUB_SHA && env.GITHUB_REF_NAME) return `${env.GITHUB_REF_NAME}@sha1:${env.GITHUB_SHA}`
  const sha = await git(dir, 'rev-parse', 'HEAD')
  if (!sha) return undefined
  const branch = await git(dir, 'rev-parse', '--abbrev-ref', 'HEAD')
  return `${branch && branch !== 'HEAD' ? branch : 'HEAD'}@sha1:${sha}`
}

/**
 * The commit and the branch or tag this run is for: the GitHub context's
 * GITHUB_SHA and GITHUB_REF on a runner (GITHUB_HEAD_REF for a pull request),
 * else the git work tree's HEAD, its branch, and a tag pointing at it.
 */
export async function refContext(dir: string, env: Env = process.env): Promise<RefContext> {
  const sha = env.GITHUB_SHA
  const ref = env.GITHUB_REF
  if (sha && ref) {
    if (ref.startsWith('refs/tags/')) return { sha, tag: ref.slice('refs/tags/'.length) }
    if (ref.startsWith('refs/heads/')) return { sha, branch: ref.slice('refs/heads/'.length) }
    return { sha, branch: env.GITHUB_HEAD_REF || undefined }
  }
  const [head, branch, tag] = await Promise.all([
    git(dir, 'rev-parse', 'HEAD'),
    git(dir, 'rev-parse', '--abbrev-ref', 'HEAD'),
    git(dir, 'describe', '--tags', '--exact-match', 'HEAD')
  ])
  return { sha: head, branch: branch && branch !== 'HEAD' ? branch : undefined, tag }
}
