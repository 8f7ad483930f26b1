import { execFile, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { BuildError } from './errors.js'
import { quoteExternalLines } from './text.js'

/**
 * The validation gate: the artifact about to be published, extracted as a
 * cluster would receive it, is built with `kustomize build` (when it has a
 * kustomization) and checked by the user's command (kubeconform with Flux's
 * schemas, say), before anything of it is uploaded. A broken kustomization
 * then fails its component's step instead of reaching every cluster that
 * follows `latest`. It validates what is published, not the checkout: ignore
 * rules and resolved links are already applied.
 */

const run = promisify(execFile)
/** How much of a tool's output an error quotes. */
const QUOTED = 4000
const KUSTOMIZATIONS = ['kustomization.yaml', 'kustomization.yml', 'Kustomization']

export interface ValidateOptions {
  /** Run after kustomize in the extracted tree, with kustomize's output on stdin. */
  command?: string | undefined
  /** The kustomize binary; `kustomize` on PATH by default (GitHub's runners have it). */
  kustomize?: string
  timeoutMs?: number
}

export async function validateLayer(
  layerPath: string,
  scratch: string,
  options: ValidateOptions,
  note: (line: string) => void
): Promise<void> {
  await rm(scratch, { recursive: true, force: true })
  await mkdir(scratch, { recursive: true })
  try {
    await run('tar', ['-xzf', layerPath, '-C', scratch], { timeout: options.timeoutMs })
    let built = ''
    if (KUSTOMIZATIONS.some(name => existsSync(join(scratch, name)))) {
      built = await kustomizeBuild(scratch, options)
      note(`validated: kustomize build (${built.split('\n---\n').length} documents)`)
    } else {
      note('validate: no kustomization.yaml at the root; kustomize build skipped')
    }
    if (options.command) {
      await userCommand(options.command, scratch, built, options.timeoutMs)
      note(`validated: ${options.command}`)
    }
  } finally {
    await rm(scratch, { recursive: true, force: true })
  }
}

async function kustomizeBuild(dir: string, options: ValidateOptions): Promise<string> {
  const binary = options.kustomize ?? 'kustomize'
  try {
    const { stdout } = await run(binary, ['build', dir], {
      timeout: options.timeoutMs,
      maxBuffer: 256 * 1024 * 1024
    })
    return stdout
  } catch (error) {
    const { code, stderr } = error as { code?: unknown; stderr?: string }
    if (code === 'ENOENT') {
      throw new BuildError(`validate needs kustomize, and ${binary} is not installed`, {
        hint: 'install kustomize (GitHub-hosted runners have it), or leave validate off',
        cause: error
      })
    }
    // The scratch directory means nothing to the reader: name the component's tree instead.
    const message = (stderr ?? '').replaceAll(dir, '<artifact>').trim().slice(0, QUOTED)
    throw new BuildError(`kustomize build failed:\n${quoteExternalLines(message)}`, {
      hint: 'fix the kustomization (kustomize build <dir> shows the same error locally); nothing of this component was uploaded',
      cause: error
    })
  }
}

function userCommand(
  command: string,
  cwd: string,
  input: string,
  timeoutMs?: number
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', command], {
      cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
      ...(timeoutMs ? { timeout: timeoutMs } : {})
    })
    let output = ''
    const keep = (chunk: Buffer) => {
      if (output.length < QUOTED * 2) output += chunk.toString()
    }
    child.stdout.on('data', keep)
    child.stderr.on('data', keep)
    child.stdin.on('error', () => undefined) // a command that does not read its input
    child.stdin.end(input)
    child.on('error', reject)
    child.on('close', code => {
      if (code === 0) return resolve()
      reject(
        new BuildError(
          `the validate command failed (exit ${code}): ${command}\n${quoteExternalLines(output.trim().slice(-QUOTED))}`,
          {
            hint: 'fix what it reports (it ran on the artifact about to be published, with kustomize build output on stdin); nothing of this component was uploaded'
          }
        )
      )
    })
  })
}
