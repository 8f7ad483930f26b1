import { spawn, type ChildProcess } from 'node:child_process'
import { readFile, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { tempDir } from './tree.js'

export const PROJECT_ROOT = resolve(import.meta.dirname, '../..')
export const ACTION_ENTRY = join(PROJECT_ROOT, 'dist/index.js')
export const CLI_ENTRY = join(PROJECT_ROOT, 'dist/cli.js')

export interface ProcessResult {
  code: number | null
  /** The signal that ended the process, when one did. */
  signal?: NodeJS.Signals | null
  stdout: string
  stderr: string
}

/** Runs a command to completion, capturing its output. */
export function runProcess(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}
): Promise<ProcessResult> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: 'pipe' })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', fail)
    child.on('close', code => done({ code, stdout, stderr }))
  })
}

export function runCli(
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}
) {
  return runProcess(process.execPath, [CLI_ENTRY, ...args], {
    cwd: options.cwd,
    env: options.env ?? minimalEnv()
  })
}

/** An environment without the developer's GitHub or git context leaking in. */
export function minimalEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: process.env.TMPDIR, ...extra }
}

export interface ActionRun extends ProcessResult {
  outputs: Record<string, string>
  summary: string
}

/**
 * The environment a GitHub runner gives a step of Org/Fleet's publish.yml on
 * main; `inputs` become INPUT_* as the runner spells them. Publishing tests
 * run unsigned unless they say otherwise; signing tests pass sign: keyless.
 */
export function runnerEnv(
  workspace: string,
  files: { output: string; summary: string; temp: string },
  inputs: Record<string, string>,
  extra: NodeJS.ProcessEnv = {}
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = minimalEnv({
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    RUNNER_TEMP: files.temp,
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: 'Org/Fleet',
    GITHUB_REPOSITORY_OWNER: 'Org',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_REF_NAME: 'main',
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    GITHUB_WORKFLOW_REF: 'Org/Fleet/.github/workflows/publish.yml@refs/heads/main',
    GITHUB_EVENT_NAME: 'push',
    ...extra
  })
  for (const [name, value] of Object.entries({ sign: 'none', ...inputs })) {
    // The runner's convention: INPUT_ + the name upper-cased, spaces as underscores.
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value
  }
  return env
}

/**
 * Runs the bundled action as a GitHub runner would: a node24 process whose
 * only configuration is the environment (INPUT_*, GITHUB_OUTPUT, ...).
 */
export async function runAction(
  inputs: Record<string, string>,
  options: { workspace: string; env?: NodeJS.ProcessEnv }
): Promise<ActionRun> {
  return (await startAction(inputs, options)).done
}

/**
 * Starts the action without waiting: the child can be killed mid-run (a
 * cancelled job); `done` resolves when it exits, however it exits.
 */
export async function startAction(
  inputs: Record<string, string>,
  options: { workspace: string; env?: NodeJS.ProcessEnv }
): Promise<{ child: ChildProcess; done: Promise<ActionRun> }> {
  const files = await tempDir('runner-')
  const outputFile = join(files, 'output')
  const summaryFile = join(files, 'summary')
  await writeFile(outputFile, '')
  await writeFile(summaryFile, '')
  const env = runnerEnv(
    options.workspace,
    { output: outputFile, summary: summaryFile, temp: files },
    inputs,
    options.env
  )
  const child = spawn(process.execPath, [ACTION_ENTRY], {
    cwd: options.workspace,
    env,
    stdio: 'pipe'
  })
  const done = collect(child).then(async result => {
    const run = {
      ...result,
      outputs: parseOutputFile(await readFile(outputFile, 'utf8')),
      summary: await readFile(summaryFile, 'utf8')
    }
    assertNoSecrets(run, inputs)
    return run
  })
  return { child, done }
}

function collect(child: ChildProcess): Promise<ProcessResult> {
  return new Promise((done, fail) => {
    let stdout = ''
    let stderr = ''
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', fail)
    child.on('close', (code, signal) => done({ code, signal, stdout, stderr }))
  })
}

/** Secret inputs, whose values must never reach what a person sees. */
const SECRET_INPUTS = ['password', 'github-token', 'cosign-key', 'cosign-password']
/** Bearer tokens (registry tokens, OIDC tokens) and OAuth2 refresh tokens of the test servers. */
const TOKEN_PATTERNS = [
  /eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]+/,
  /refresh-[0-9a-f-]{36}/
]

/**
 * Every action run of the suite is scanned: stdout, stderr, outputs and the
 * job summary (less the ::add-mask:: commands the runner consumes) must not
 * contain a secret input or any token.
 */
export function assertNoSecrets(run: ActionRun, inputs: Record<string, string>): void {
  const log = visibleLog(run)
  const leaks: string[] = []
  for (const name of SECRET_INPUTS) {
    const value = inputs[name]
    if (!value || value.length < 4) continue
    // A multi-line secret (a key) must not appear even line by line.
    for (const line of value.split('\n').filter(l => l.length >= 16 || l === value)) {
      if (log.includes(line)) leaks.push(`input ${name}`)
    }
  }
  for (const pattern of TOKEN_PATTERNS) {
    const match = pattern.exec(log)
    if (match) leaks.push(`a token (${match[0].slice(0, 12)}...)`)
  }
  if (leaks.length > 0)
    throw new Error(`secrets leaked into the action's log: ${[...new Set(leaks)].join(', ')}`)
}

/** Parses the `name<<delimiter ... delimiter` records @actions/core writes. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<=]+)<<(.+)$/.exec(lines[i] ?? '')
    // The runner's other form: name=value on one line.
    const single = match ? undefined : /^([^<=]+)=(.*)$/.exec(lines[i] ?? '')
    if (single) outputs[single[1] ?? ''] = single[2] ?? ''
    if (!match) continue
    const [, name, delimiter] = match
    const value: string[] = []
    for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i] ?? '')
    outputs[name ?? ''] = value.join('\n')
  }
  return outputs
}

/**
 * What a person sees in the job log: the runner consumes `::add-mask::`
 * commands instead of printing them. Secrets must not appear in the rest,
 * masked or not.
 */
export function visibleLog(run: ActionRun): string {
  const strip = (text: string) =>
    text
      .split('\n')
      .filter(line => !line.startsWith('::add-mask::'))
      .join('\n')
  return [strip(run.stdout), strip(run.stderr), JSON.stringify(run.outputs), run.summary].join('\n')
}
