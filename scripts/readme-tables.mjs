// Writes the README's inputs and outputs tables from action.yml, so the two
// cannot drift; with --check, fails instead when the README is stale.
import { readFileSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { format, resolveConfig } from 'prettier'
import { parse } from 'yaml'

const root = resolve(import.meta.dirname, '..')
const action = parse(readFileSync(resolve(root, 'action.yml'), 'utf8'))
const readmePath = resolve(root, 'README.md')
const readme = readFileSync(readmePath, 'utf8')

const cell = text =>
  String(text ?? '')
    .replace(/\|/g, '\\|')
    .replace(/\n/g, ' ')
    .trim()
const inputs = [
  '| input | default | description |',
  '|---|---|---|',
  ...Object.entries(action.inputs).map(
    ([name, input]) =>
      `| \`${name}\` | ${input.required ? '(required)' : input.default ? `\`${cell(input.default)}\`` : ''} | ${cell(input.description)} |`
  )
].join('\n')
const outputs = [
  '| output | description |',
  '|---|---|',
  ...Object.entries(action.outputs).map(
    ([name, output]) => `| \`${name}\` | ${cell(output.description)} |`
  )
].join('\n')

function replaceBetween(text, marker, table) {
  const pattern = new RegExp(`(<!-- ${marker}:start -->)[\\s\\S]*?(<!-- ${marker}:end -->)`)
  if (!pattern.test(text))
    throw new Error(`README.md has no <!-- ${marker}:start --> ... <!-- ${marker}:end --> block`)
  return text.replace(pattern, `$1\n${table}\n$2`)
}

// Formatted as prettier would, so `prettier --check` and this check agree.
const updated = await format(
  replaceBetween(replaceBetween(readme, 'inputs', inputs), 'outputs', outputs),
  {
    ...(await resolveConfig(readmePath)),
    filepath: readmePath
  }
)
if (process.argv.includes('--check')) {
  if (updated !== readme) {
    console.error('README.md inputs/outputs tables differ from action.yml: run "npm run docs"')
    process.exit(1)
  }
} else {
  writeFileSync(readmePath, updated)
}
