// Shared by the benchmarks: running a command and timing it.
import { spawn } from 'node:child_process'

/** Runs a command to completion: wall time (ms), stdout and stderr; rejects on a non-zero exit. */
export function run(command, args, options = {}) {
  return new Promise((done, fail) => {
    const started = process.hrtime.bigint()
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', chunk => (stdout += chunk))
    child.stderr.on('data', chunk => (stderr += chunk))
    child.on('error', fail)
    child.on('close', code => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6
      if (code !== 0) fail(new Error(`${command} ${args.join(' ')} exited ${code}: ${stderr}`))
      else done({ ms, stdout, stderr })
    })
  })
}
