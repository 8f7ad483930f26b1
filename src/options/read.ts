import { parseArgs } from 'node:util'
import { InputError } from '../errors.js'
import { parseBoolean, parseList } from '../inputs.js'
import { COMMANDS, OPTIONS, type Command, type OptionId, type OptionSpec } from './table.js'

/**
 * Reading the options of OPTIONS from either surface into one shape: the
 * action's inputs (one string each, lists as lines) and the CLI's flags
 * (lists as repeated flags, positionals, secrets from the environment). What
 * comes out is the same for the same option, so everything after it
 * (options/inputs.ts) is shared.
 */

export type Surface = 'action' | 'cli'
export type OptionValue = string | string[] | boolean
/** What the user gave, parsed by kind; defaults are applied by the reader (options/inputs.ts). */
export type OptionValues = Partial<Record<OptionId, OptionValue>>

/** The options, as [id, spec] pairs, that `command` takes on `surface`. */
export function optionsOf(command: Command, surface: Surface): [OptionId, OptionSpec][] {
  return (Object.entries(OPTIONS) as [OptionId, OptionSpec][]).filter(
    ([, spec]) => spec.commands.includes(command) && spec[surface]
  )
}

/** How the user wrote an option on a surface, for error messages: `tags` or `--tag`. */
export function optionName(id: OptionId, surface: Surface): string {
  const spec: OptionSpec = OPTIONS[id]
  if (surface === 'action') return spec.action?.input ?? id
  if (spec.cli?.flag) return `--${spec.cli.flag}`
  if (spec.cli?.env) return spec.cli.env
  return spec.cli?.metavar ?? id
}

/** The action's inputs for one mode; `getInput` is @actions/core's (or a test's). */
export function readActionOptions(mode: Command, getInput: (name: string) => string): OptionValues {
  const values: OptionValues = {}
  for (const [id, spec] of optionsOf(mode, 'action')) {
    const input = spec.action?.input as string
    const text = getInput(input)
    if (text !== '') values[id] = valueOf(spec, text, input)
  }
  return values
}

/** The CLI's flags, positionals and environment for one command. */
export function readCliOptions(
  command: Command,
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>
): { values: OptionValues; positionals: string[] } {
  const specs = optionsOf(command, 'cli')
  const flags: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }> =
    {}
  for (const [, spec] of specs) {
    const flag = spec.cli?.flag
    if (!flag) continue
    flags[flag] = {
      type: spec.kind === 'boolean' && !spec.cli?.metavar ? 'boolean' : 'string',
      ...(spec.kind === 'list' ? { multiple: true } : {}),
      ...(spec.cli?.short ? { short: spec.cli.short } : {})
    }
  }
  let parsed: ReturnType<typeof parseArgs>
  try {
    parsed = parseArgs({ args: [...args], options: flags, allowPositionals: true, strict: true })
  } catch (error) {
    throw unknownOptionError(command, error, Object.keys(flags))
  }
  const values: OptionValues = {}
  for (const [id, spec] of specs) {
    const cli = spec.cli as NonNullable<OptionSpec['cli']>
    if (cli.positional) continue
    if (cli.env) {
      const text = env[cli.env] ?? ''
      if (text !== '') values[id] = valueOf(spec, text, cli.env)
      continue
    }
    const given = parsed.values[cli.flag as string]
    if (typeof given === 'boolean') values[id] = given
    else if (Array.isArray(given)) values[id] = given.map(String)
    else if (typeof given === 'string') values[id] = valueOf(spec, given, `--${cli.flag}`)
  }
  const positional = specs.find(([, spec]) => spec.cli?.positional)
  if (positional) values[positional[0]] = parsed.positionals
  return { values, positionals: parsed.positionals }
}

/** The default of an option on a surface (the CLI's own where it differs), as text. */
export function defaultOf(id: OptionId, surface: Surface): string | undefined {
  const spec: OptionSpec = OPTIONS[id]
  return surface === 'cli' ? (spec.cli?.default ?? spec.default) : spec.default
}

export function valueOf(spec: OptionSpec, text: string, name: string): OptionValue {
  if (spec.kind === 'list') return parseList(text, { commas: spec.commas === true })
  if (spec.kind === 'boolean') return parseBoolean(text || 'false', name)
  return text
}

/**
 * parseArgs's own error, with the nearest flag the command has when the
 * user mistyped one ("--tga": did you mean --tag?).
 */
function unknownOptionError(command: Command, error: unknown, flags: string[]): unknown {
  const code = String((error as { code?: unknown } | undefined)?.code)
  if (!code.startsWith('ERR_PARSE_ARGS')) return error
  const message = (error as Error).message
  const unknown = /Unknown option '(?:--)?([^']+)'/.exec(message)?.[1]
  const nearest = unknown ? closest(unknown, flags) : undefined
  return new InputError(`${command}: ${message.split('.')[0]}`, {
    hint: nearest
      ? `did you mean --${nearest}? (fleetpack ${command} --help lists every option)`
      : `fleetpack ${command} --help lists every option`
  })
}

/** The candidate within edit distance 2 (or sharing a prefix) of `word`, if any. */
function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: { candidate: string; distance: number } | undefined
  for (const candidate of candidates) {
    const distance =
      candidate.startsWith(word) || word.startsWith(candidate) ? 1 : editDistance(word, candidate)
    if (distance <= 2 && (!best || distance < best.distance)) best = { candidate, distance }
  }
  return best?.candidate
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] as number
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] as number
      row[j] = Math.min(
        above + 1,
        (row[j - 1] as number) + 1,
        diagonal + (a[i - 1] === b[j - 1] ? 0 : 1)
      )
      diagonal = above
    }
  }
  return row[b.length] as number
}

/** The usage of the whole CLI: each command and its options. */
export function usage(): string {
  const commands = (Object.keys(COMMANDS) as Command[]).map(commandBlock).join('\n')
  return `usage: fleetpack <command> [options]\n       fleetpack --version\n\ncommands:\n${commands}`
}

/** The usage of one command (`fleetpack <command> --help`). */
export function commandUsage(command: Command): string {
  return `usage: fleetpack ${command} [options]\n\n${commandBlock(command)}`
}

const HELP_WIDTH = 100
const FLAG_COLUMN = 34

function commandBlock(command: Command): string {
  const { arguments: args, summary } = COMMANDS[command]
  const lines = [`  ${command} ${args}`, ...wrap(summary, HELP_WIDTH - 6).map(l => `      ${l}`)]
  const environment: string[] = []
  for (const [, spec] of optionsOf(command, 'cli')) {
    const cli = spec.cli as NonNullable<OptionSpec['cli']>
    if (cli.positional) continue
    const defaultText = cli.default ?? spec.default
    // A CLI default that differs from the action's says so, and why.
    const differs = cli.note ? `; the action's is ${spec.default}: ${cli.note}` : ''
    const help = [
      cli.help ?? spec.description,
      defaultText && spec.kind !== 'boolean' ? `(default ${defaultText}${differs})` : ''
    ]
      .filter(Boolean)
      .join(' ')
    if (cli.env) {
      environment.push(`    ${cli.env}: ${spec.description}`)
      continue
    }
    const name = `--${cli.flag}${cli.short ? `, -${cli.short}` : ''}${cli.metavar ? ` ${cli.metavar}` : ''}`
    const wrapped = wrap(help, HELP_WIDTH - FLAG_COLUMN - 2)
    const first = `    ${name}`
    lines.push(
      first.length < FLAG_COLUMN
        ? `${first.padEnd(FLAG_COLUMN)}${wrapped[0] ?? ''}`
        : `${first}\n${' '.repeat(FLAG_COLUMN)}${wrapped[0] ?? ''}`,
      ...wrapped.slice(1).map(l => `${' '.repeat(FLAG_COLUMN)}${l}`)
    )
  }
  if (environment.length > 0) lines.push('    environment:', ...environment.map(l => `  ${l}`))
  return `${lines.join('\n')}\n`
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line)
      line = word
    } else line = line ? `${line} ${word}` : word
  }
  if (line) lines.push(line)
  return lines
}
