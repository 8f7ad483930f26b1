import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { PROJECT_ROOT, runProcess } from './runner.js'
import type { SigstoreStack } from './sigstore.js'
import { tempDir } from './tree.js'

/**
 * Flux's own verdict: source-controller's cosign verification, built per
 * Flux generation from the release that Flux version pins
 * (scripts/build-flux-oracle.sh, harness in scripts/flux-oracle/).
 */

export const FLUX_GENERATIONS = ['2.7', '2.8', '2.9'] as const
export type FluxGeneration = (typeof FLUX_GENERATIONS)[number]

export const ORACLE_DIR =
  process.env.FLEETPACK_ORACLE_DIR ?? join(PROJECT_ROOT, '.cache/flux-oracle')

export interface FluxVerdict {
  generation: string
  accepted: boolean
  error?: string
}

export interface FluxVerifyOptions {
  /** matchOIDCIdentity entries. */
  identities?: { issuer: string; subject: string }[]
  /** Paths of cosign.pub files, as the *.pub keys of verify.secretRef. */
  keys?: string[]
}

/**
 * Runs one generation's verification of `ref` (by digest) against the local
 * Sigstore stack: 2.9 with the stack's trusted root as a trustedRootSecretRef,
 * 2.8 with it standing in for the public TUF root, 2.7 (which has no trusted
 * root option) with cosign's environment; all with a proxy tripwire, so
 * nothing reaches the internet.
 */
export async function fluxVerify(
  generation: FluxGeneration,
  stack: SigstoreStack,
  ref: string,
  options: FluxVerifyOptions
): Promise<FluxVerdict> {
  const binary = join(ORACLE_DIR, 'bin', `flux-${generation}`)
  if (!existsSync(binary)) {
    // Not a skip: a missing oracle is a broken set-up, and CI must say so.
    throw new Error(
      `${binary} is missing: run "bash scripts/build-flux-oracle.sh" (npm test does it in pretest)`
    )
  }
  const home = await tempDir('flux-oracle-')
  await mkdir(join(home, '.docker'), { recursive: true })
  const args = ['--ref', ref]
  for (const { issuer, subject } of options.identities ?? [])
    args.push('--issuer', issuer, '--subject', subject)
  for (const key of options.keys ?? []) args.push('--key', key)
  if (generation !== '2.7') args.push('--trusted-root', stack.trustedRoot)
  const result = await runProcess(binary, args, {
    env: { PATH: process.env.PATH, ...stack.cosignEnv(home) }
  })
  try {
    return JSON.parse(result.stdout) as FluxVerdict
  } catch {
    throw new Error(
      `the Flux ${generation} oracle failed (${result.code}):\n${result.stderr}${result.stdout}`
    )
  }
}

/** Extracts a layer with Flux's own untar, as the OCIRepository reconciler does. */
export async function fluxUntar(layer: string, dir: string): Promise<void> {
  const binary = join(ORACLE_DIR, 'bin', 'flux-untar')
  if (!existsSync(binary))
    throw new Error(
      `${binary} is missing: run "bash scripts/build-flux-oracle.sh" (npm test does it in pretest)`
    )
  const result = await runProcess(binary, [layer, dir], { env: { PATH: process.env.PATH } })
  if (result.code !== 0) throw new Error(`Flux's untar refused the layer: ${result.stderr}`)
}
