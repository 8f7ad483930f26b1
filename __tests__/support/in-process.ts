import { jest } from '@jest/globals'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { readActionInputs } from '../../src/action/inputs.js'
import { run } from '../../src/action/run.js'
import { main } from '../../src/cli/main.js'
import { describeError } from '../../src/errors.js'
import { parseOutputFile, runnerEnv, type ActionRun } from './runner.js'
import { tempDir } from './tree.js'

/**
 * The action and the CLI run inside the test process (so coverage sees them
 * and a change to the pipeline is checked in seconds), with the runner's
 * environment set around one call and restored after it.
 */

/** Runs `fn` with process.env, the working directory and stdout swapped; restores all three. */
async function isolated<T>(
  env: NodeJS.ProcessEnv,
  cwd: string,
  fn: () => Promise<T>
): Promise<{ value: T; stdout: string; exitCode: number }> {
  const savedEnv = process.env
  const savedCwd = process.cwd()
  const savedExitCode = process.exitCode
  let stdout = ''
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
    stdout += String(chunk)
    return true
  })
  process.env = { ...env }
  process.chdir(cwd)
  try {
    const value = await fn()
    return { value, stdout, exitCode: Number(process.exitCode ?? 0) }
  } finally {
    write.mockRestore()
    process.env = savedEnv
    process.chdir(savedCwd)
    process.exitCode = savedExitCode
  }
}

/** The action entry's steps (read inputs, run) in-process; returns what a runner would see. */
export async function runActionInProcess(
  inputs: Record<string, string>,
  options: { workspace: string; env?: NodeJS.ProcessEnv }
): Promise<ActionRun> {
  const files = await tempDir('runner-')
  const paths = {
    output: join(files, 'output'),
    summary: join(files, 'summary'),
    temp: files
  }
  await writeFile(paths.output, '')
  await writeFile(paths.summary, '')
  const env = runnerEnv(options.workspace, paths, inputs, options.env)
  const { stdout, exitCode } = await isolated(env, options.workspace, async () => {
    try {
      await run(await readActionInputs())
    } catch (error) {
      // What the entry does when the inputs themselves are wrong.
      const core = await import('@actions/core')
      core.setFailed(describeError(error))
    }
  })
  return {
    code: exitCode,
    stdout,
    stderr: '',
    outputs: parseOutputFile(await readFile(paths.output, 'utf8')),
    summary: await readFile(paths.summary, 'utf8')
  }
}

/** The CLI's main() in-process. */
export async function runCliInProcess(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
  cwd?: string
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const savedCwd = process.cwd()
  if (cwd) process.chdir(cwd)
  try {
    const code = await main(args, {
      stdout: text => void (stdout += text),
      stderr: text => void (stderr += text),
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }
    })
    return { code, stdout, stderr }
  } finally {
    process.chdir(savedCwd)
  }
}
