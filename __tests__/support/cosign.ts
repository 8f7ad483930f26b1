import { execFileSync } from 'node:child_process'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { runProcess, type ProcessResult } from './runner.js'
import type { SigstoreStack } from './sigstore.js'
import { tool } from './tools.js'
import { tempDir } from './tree.js'

/**
 * The real cosign, run as a cluster operator or a workflow would, offline
 * against the local Sigstore stack and with a throwaway HOME.
 */

export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com'

/** `^<escaped>$`: a matchOIDCIdentity regexp meaning exactly this value. */
export function anchored(value: string): string {
  return `^${value.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`
}

async function cosignHome(): Promise<string> {
  const home = await tempDir('cosign-home-')
  await mkdir(join(home, '.docker'), { recursive: true })
  return home
}

/** An environment with no way out: any non-loopback request fails at once. */
function offlineEnv(home: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: home,
    DOCKER_CONFIG: join(home, '.docker'),
    TUF_ROOT: join(home, 'tuf'),
    HTTPS_PROXY: 'http://127.0.0.1:9',
    HTTP_PROXY: 'http://127.0.0.1:9',
    NO_PROXY: ''
  }
}

/** cosign 2.5 verify: the legacy path, as Flux <= 2.7 runs it. */
export async function cosignVerify(
  stack: SigstoreStack,
  ref: string,
  subjectRegexp: string,
  issuer = GITHUB_ISSUER
): Promise<ProcessResult> {
  const home = await cosignHome()
  return runProcess(
    tool('cosign'),
    [
      'verify',
      '--certificate-identity-regexp',
      subjectRegexp,
      '--certificate-oidc-issuer',
      issuer,
      ref
    ],
    {
      env: { ...offlineEnv(home), ...stack.cosignEnv(home) }
    }
  )
}

/** cosign 3.1 verify with the stack's trusted root, as Flux >= 2.8 runs it. */
export async function cosign3Verify(
  stack: SigstoreStack,
  ref: string,
  subjectRegexp: string,
  extra: string[] = []
): Promise<ProcessResult> {
  const home = await cosignHome()
  return runProcess(
    tool('cosign3'),
    [
      'verify',
      '--trusted-root',
      stack.trustedRoot,
      ...extra,
      '--certificate-identity-regexp',
      subjectRegexp,
      '--certificate-oidc-issuer',
      GITHUB_ISSUER,
      ref
    ],
    { env: offlineEnv(home) }
  )
}

/** cosign 3.1 sign (bundle format) with a token whose GitHub claims are `claims`. */
export async function cosign3Sign(
  stack: SigstoreStack,
  ref: string,
  claims: Record<string, unknown> = {}
): Promise<ProcessResult> {
  const home = await cosignHome()
  return cosign3Keyless(stack, ['sign', ref], await stack.token(claims), home)
}

/** cosign 3 with a keyless signing command's flags, offline against the stack. */
async function cosign3Keyless(
  stack: SigstoreStack,
  [command, ...args]: string[],
  token: string,
  home: string
): Promise<ProcessResult> {
  return runProcess(
    tool('cosign3'),
    [
      command as string,
      '--yes',
      '--use-signing-config=false',
      '--fulcio-url',
      stack.url,
      '--rekor-url',
      stack.url,
      '--trusted-root',
      stack.trustedRoot,
      '--identity-token',
      token,
      ...args
    ],
    { env: offlineEnv(home) }
  )
}

/** cosign 3 attest in the bundle format: an attestation (any predicate) stored as a bundle referrer. */
export async function cosign3Attest(
  stack: SigstoreStack,
  ref: string,
  predicateType: string
): Promise<ProcessResult> {
  const home = await cosignHome()
  const predicate = join(home, 'predicate.json')
  await writeFile(predicate, '{"note":"not a signature"}')
  return cosign3Keyless(
    stack,
    ['attest', '--new-bundle-format', '--type', predicateType, '--predicate', predicate, ref],
    await stack.token(),
    home
  )
}

/** A plain P-256 key pair made with openssl: PKCS#8 private key and PEM public key, as files. */
export function opensslKeyPair(dir: string, name: string): { key: string; pub: string } {
  const key = join(dir, `${name}.key`)
  const pub = join(dir, `${name}.pub`)
  execFileSync('openssl', [
    'ecparam',
    '-name',
    'prime256v1',
    '-genkey',
    '-noout',
    '-out',
    `${key}.sec1`
  ])
  execFileSync('openssl', ['pkcs8', '-topk8', '-nocrypt', '-in', `${key}.sec1`, '-out', key])
  execFileSync('openssl', ['ec', '-in', key, '-pubout', '-out', pub], { stdio: 'ignore' })
  return { key, pub }
}

export interface CosignKeyPair {
  /** cosign.key: the ENCRYPTED SIGSTORE PRIVATE KEY file. */
  key: string
  pub: string
  password: string
}

/** A key pair made by `cosign generate-key-pair`, as users make theirs. */
export async function cosignKeyPair(password: string): Promise<CosignKeyPair> {
  const dir = await tempDir('cosign-keys-')
  const result = await runProcess(tool('cosign'), ['generate-key-pair'], {
    cwd: dir,
    env: { PATH: process.env.PATH, HOME: dir, COSIGN_PASSWORD: password }
  })
  if (result.code !== 0) throw new Error(`cosign generate-key-pair failed: ${result.stderr}`)
  return { key: join(dir, 'cosign.key'), pub: join(dir, 'cosign.pub'), password }
}

/** cosign 2.5 sign, keyless (legacy .sig), with a token of the stack. */
export async function cosignSign(stack: SigstoreStack, ref: string): Promise<ProcessResult> {
  const home = await cosignHome()
  return runProcess(
    tool('cosign'),
    [
      'sign',
      '--yes',
      '--fulcio-url',
      stack.url,
      '--rekor-url',
      stack.url,
      '--identity-token',
      await stack.token(),
      ref
    ],
    { env: { ...offlineEnv(home), ...stack.cosignEnv(home) } }
  )
}

/** cosign 2.5 sign with a key, without the transparency log. */
export async function cosignSignWithKey(keys: CosignKeyPair, ref: string): Promise<ProcessResult> {
  const home = await cosignHome()
  return runProcess(
    tool('cosign'),
    ['sign', '--yes', '--key', keys.key, '--tlog-upload=false', ref],
    {
      env: { ...offlineEnv(home), COSIGN_PASSWORD: keys.password }
    }
  )
}

/**
 * cosign 2.5 verify --key; offline through the Rekor SET when the signature
 * was logged in the stack, else with the transparency log ignored.
 */
export async function cosignVerifyKey(
  stack: SigstoreStack,
  ref: string,
  pub: string,
  logged: boolean
): Promise<ProcessResult> {
  const home = await cosignHome()
  return runProcess(
    tool('cosign'),
    ['verify', '--key', pub, ...(logged ? [] : ['--insecure-ignore-tlog=true']), ref],
    {
      env: { ...offlineEnv(home), ...stack.cosignEnv(home) }
    }
  )
}
