import { spawn } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { PROJECT_ROOT } from './runner.js'
import { tempDir } from './tree.js'

/**
 * The local Sigstore stack (scripts/lib/sigstore-stack.ts) in its own
 * process: Fulcio v1/v2, CT log, Rekor v1 and a GitHub ID-token endpoint over
 * real HTTP, with its trust roots written to a directory.
 */
export interface SigstoreStack {
  url: string
  dir: string
  trustedRoot: string
  /** ACTIONS_ID_TOKEN_REQUEST_* for a runner whose token carries `claims` (GitHub claims overridden). */
  runnerEnv(claims?: Record<string, unknown>): Record<string, string>
  /** The environment cosign 2.5 needs to verify offline against this stack. */
  cosignEnv(home: string): Record<string, string>
  token(claims?: Record<string, unknown>): Promise<string>
  counters(): Promise<Record<string, number>>
  reset(): Promise<void>
  fail(service: 'rekor' | 'fulcio', count: number): Promise<void>
  stop(): Promise<void>
}

export async function startSigstoreStack(): Promise<SigstoreStack> {
  const dir = await tempDir('sigstore-')
  const child = spawn(
    process.execPath,
    [join(PROJECT_ROOT, 'scripts/lib/sigstore-stack.ts'), dir],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      cwd: PROJECT_ROOT
    }
  )
  const url = await new Promise<string>((resolve, reject) => {
    let out = ''
    const timer = setTimeout(
      () => reject(new Error(`the Sigstore stack did not start:\n${out}`)),
      30_000
    )
    const onData = (chunk: Buffer) => {
      out += chunk.toString()
      const match = /ready (http:\/\/\S+)/.exec(out)
      if (match) {
        clearTimeout(timer)
        resolve(match[1] as string)
      }
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    child.on('exit', code => reject(new Error(`the Sigstore stack exited ${code}:\n${out}`)))
  })
  const info = JSON.parse(await readFile(join(dir, 'stack.json'), 'utf8')) as {
    idTokenUrl: string
    idTokenBearer: string
  }
  const call = async (path: string, method = 'GET') => {
    const response = await fetch(`${url}${path}`, { method })
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`)
    return response
  }
  return {
    url,
    dir,
    trustedRoot: join(dir, 'trusted_root.json'),
    runnerEnv: (claims = {}) => ({
      ACTIONS_ID_TOKEN_REQUEST_URL: `${info.idTokenUrl}&claims=${encodeURIComponent(JSON.stringify(claims))}`,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: info.idTokenBearer
    }),
    cosignEnv: home => ({
      SIGSTORE_ROOT_FILE: join(dir, 'fulcio-root.pem'),
      SIGSTORE_CT_LOG_PUBLIC_KEY_FILE: join(dir, 'ctlog-pub.pem'),
      SIGSTORE_REKOR_PUBLIC_KEY: join(dir, 'rekor-pub.pem'),
      HOME: home,
      TUF_ROOT: join(home, '.sigstore/root'),
      DOCKER_CONFIG: join(home, '.docker'),
      // A tripwire: anything that tries to reach the internet fails at once.
      HTTPS_PROXY: 'http://127.0.0.1:9',
      HTTP_PROXY: 'http://127.0.0.1:9',
      NO_PROXY: ''
    }),
    token: async (claims = {}) =>
      (
        await call(`/_test/token?aud=sigstore&claims=${encodeURIComponent(JSON.stringify(claims))}`)
      ).text(),
    counters: async () => (await (await call('/_test/counters')).json()) as Record<string, number>,
    reset: async () => void (await call('/_test/reset', 'POST')),
    fail: async (service, count) =>
      void (await call(`/_test/fail?service=${service}&count=${count}`, 'POST')),
    stop: () =>
      new Promise(resolve => {
        if (child.exitCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
      })
  }
}
