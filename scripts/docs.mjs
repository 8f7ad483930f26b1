// Writes action.yml's inputs and the README's inputs and outputs tables from
// the options table (src/options/table.ts), so the action, the CLI's help and
// the documentation cannot drift; with --check, fails instead when either
// file is stale. Node runs the table's TypeScript as is (type stripping).
import { readFileSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { format, resolveConfig } from 'prettier'
import { parse, parseDocument } from 'yaml'
import { OPTIONS } from '../src/options/table.ts'

const root = resolve(import.meta.dirname, '..')
const actionPath = resolve(root, 'action.yml')
const readmePath = resolve(root, 'README.md')
const check = process.argv.includes('--check')

/** The action.yml description: inputs of other modes than publish say which first. */
function actionDescription(spec) {
  if (spec.commands.includes('publish')) return spec.description
  return `mode: ${spec.commands.filter(c => c !== 'build').join(' or ')}. ${spec.description}`
}

const actionOptions = Object.values(OPTIONS).filter(spec => spec.action)

// action.yml: every input from the table, in its order.
const actionText = readFileSync(actionPath, 'utf8')
const document = parseDocument(actionText)
document.set(
  'inputs',
  Object.fromEntries(
    actionOptions.map(spec => [
      spec.action.input,
      {
        description: actionDescription(spec),
        required: false,
        default: spec.action.default ?? spec.default ?? ''
      }
    ])
  )
)
const action = parse(document.toString({ lineWidth: 0 }))

const cell = text =>
  String(text ?? '')
    .replace(/\|/g, '\\|')
    .replace(/\n/g, ' ')
    .trim()
const cliOf = spec => {
  const cli = spec.cli
  if (!cli) return '(action only)'
  if (cli.env) return `\`${cli.env}\` (environment)`
  if (cli.positional) return `arguments \`${cli.metavar}\``
  const flag = `\`--${cli.flag}\`${cli.file ? ' (a file)' : ''}`
  return cli.default !== undefined ? `${flag}, default \`${cli.default}\`` : flag
}
const inputs = [
  '| input | CLI | default | description |',
  '|---|---|---|---|',
  ...actionOptions.map(spec => {
    const fallback = spec.action.default || spec.default
    return `| \`${spec.action.input}\` | ${cell(cliOf(spec))} | ${fallback ? `\`${cell(fallback)}\`` : ''} | ${cell(actionDescription(spec))} |`
  })
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
const prettierFormat = async (text, filepath) =>
  format(text, { ...(await resolveConfig(filepath)), filepath })
const readme = readFileSync(readmePath, 'utf8')
const files = [
  [actionPath, actionText, await prettierFormat(document.toString({ lineWidth: 0 }), actionPath)],
  [
    readmePath,
    readme,
    await prettierFormat(
      replaceBetween(replaceBetween(readme, 'inputs', inputs), 'outputs', outputs),
      readmePath
    )
  ]
]
let stale = false
for (const [path, before, after] of files) {
  if (before === after) continue
  if (check) {
    console.error(`${path} differs from src/options/table.ts: run "npm run docs"`)
    stale = true
  } else writeFileSync(path, after)
}
if (stale) process.exit(1)
