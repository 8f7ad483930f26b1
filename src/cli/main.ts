import { resolve } from 'node:path'
import { buildArtifact } from '../artifact/index.js'
import { createdTimeFor, defaultRevision, defaultSource, repositoryRootFor } from '../context.js'
import { FleetpackError, InputError, describeError } from '../errors.js'
import { parseAnnotations } from '../inputs.js'
import { toPlanInputs, toPruneInputs, toPublishInputs, toVerifyInputs } from '../options/inputs.js'
import { commandUsage, readCliOptions, usage } from '../options/read.js'
import type { Command } from '../options/table.js'
import { neutraliseCommands } from '../text.js'
import { PublishError, publish, type PublishLogger } from '../publish.js'

/** What the CLI talks to: its output streams and its environment (a test passes its own). */
export interface CliIo {
  stdout(text: string): void
  stderr(text: string): void
  env: Readonly<Record<string, string | undefined>>
}

const COMMANDS: readonly Command[] = ['build', 'publish', 'verify', 'plan', 'promote', 'prune']

/** The package version, set by the bundler (scripts/build.mjs); "dev" when run from the sources. */
declare const __FLEETPACK_VERSION__: string | undefined
const FLEETPACK_VERSION = typeof __FLEETPACK_VERSION__ === 'string' ? __FLEETPACK_VERSION__ : 'dev'

async function build(args: string[], io: CliIo): Promise<void> {
  const { values, positionals } = readCliOptions('build', args, io.env)
  const [dir, ...extra] = positionals
  if (dir === undefined || extra.length > 0) {
    throw new InputError('build takes exactly one directory', {
      hint: 'e.g. fleetpack build apps/podinfo --output podinfo.tgz'
    })
  }
  const output = values.output as string | undefined
  if (!output) {
    throw new InputError('build needs --output <file.tgz>', {
      hint: 'e.g. fleetpack build apps/podinfo --output podinfo.tgz'
    })
  }
  const annotations = parseAnnotations(
    (values.annotations as string[] | undefined) ?? [],
    '--annotation'
  )
  const artifact = await buildArtifact(dir, {
    repositoryRoot: (values.repositoryRoot as string | undefined) ?? repositoryRootFor(dir),
    ignorePatterns: (values.ignorePaths as string[] | undefined) ?? [],
    outputPath: resolve(output),
    metadata: {
      created: await createdTimeFor(dir),
      source: (values.source as string | undefined) ?? (await defaultSource(dir)),
      revision: (values.revision as string | undefined) ?? (await defaultRevision(dir)),
      annotations
    }
  })
  const result = {
    digest: artifact.layer.digest,
    diffId: artifact.layer.diffId,
    size: artifact.layer.size,
    files: artifact.layer.files,
    output: artifact.layer.path,
    mediaType: 'application/vnd.cncf.flux.content.v1.tar+gzip',
    manifestDigest: artifact.manifest.descriptor.digest,
    annotations: artifact.annotations
  }
  io.stdout(`${JSON.stringify(result, null, 2)}\n`)
}

async function publishCommand(args: string[], io: CliIo): Promise<void> {
  const { values } = readCliOptions('publish', args, io.env)
  const inputs = await toPublishInputs(values, { surface: 'cli', env: io.env })
  const log: PublishLogger = {
    info: message => io.stderr(`${message}\n`),
    warning: message => io.stderr(`warning: ${message}\n`),
    debug: message => {
      if (io.env.FLEETPACK_DEBUG) io.stderr(`debug: ${message}\n`)
    },
    group: (title, lines) => {
      if (io.env.FLEETPACK_DEBUG || lines.some(line => line.startsWith('error:'))) {
        io.stderr(`${title}\n${lines.map(line => `  ${line}\n`).join('')}`)
      }
    },
    secret: () => undefined
  }
  try {
    const results = await publish(inputs, log)
    io.stdout(`${JSON.stringify(results.artifacts, null, 2)}\n`)
  } catch (error) {
    if (error instanceof PublishError)
      io.stdout(`${JSON.stringify(error.summary.artifacts, null, 2)}\n`)
    throw error
  }
}

async function verifyCommand(args: string[], io: CliIo): Promise<void> {
  const { values, positionals } = readCliOptions('verify', args, io.env)
  if (positionals.length !== 1) {
    throw new InputError('verify takes exactly one reference', {
      hint: 'e.g. fleetpack verify oci://ghcr.io/org/fleet/apps:latest'
    })
  }
  const inputs = await toVerifyInputs(values, { surface: 'cli', env: io.env })
  // Loaded when used: the other commands start without Sigstore's libraries.
  const { verifyReferences } = await import('../verify/run.js')
  const [result] = await verifyReferences(inputs)
  if (!result) throw new Error('unreachable: no verification result')
  for (const warning of result.warnings) io.stderr(`warning: ${warning}\n`)
  io.stdout(`${JSON.stringify(result, null, 2)}\n`)
}

async function promoteCommand(args: string[], io: CliIo): Promise<void> {
  const { values } = readCliOptions('promote', args, io.env)
  const inputs = await toVerifyInputs(values, { surface: 'cli', env: io.env })
  const { promote } = await import('../promote.js')
  const result = await promote(
    {
      ...inputs,
      to: (values.to as string[] | undefined) ?? [],
      toRepository: values.toRepository as string | undefined
    },
    { info: message => io.stderr(`${message}\n`) }
  )
  for (const warning of result.verified.warnings) io.stderr(`warning: ${warning}\n`)
  io.stdout(`${JSON.stringify(result, null, 2)}\n`)
}

async function pruneCommand(args: string[], io: CliIo): Promise<void> {
  const { values } = readCliOptions('prune', args, io.env)
  const inputs = toPruneInputs(values, { surface: 'cli', env: io.env })
  const { prune } = await import('../prune.js')
  const result = await prune(inputs, { info: message => io.stderr(`${message}\n`) })
  io.stdout(`${JSON.stringify(result, null, 2)}\n`)
}

async function planCommand(args: string[], io: CliIo): Promise<void> {
  const { values } = readCliOptions('plan', args, io.env)
  const inputs = toPlanInputs(values, { surface: 'cli', env: io.env })
  const { plan } = await import('../plan.js')
  const result = await plan(inputs, { info: message => io.stderr(`${message}\n`) })
  io.stdout(`${JSON.stringify(result, null, 2)}\n`)
}

/** Runs one CLI command; returns the exit code (0 done, 1 the user's to fix, 2 usage, 70 a bug). */
export async function main(argv: readonly string[], given: CliIo): Promise<number> {
  // The CLI often runs inside a workflow step, whose runner reads commands from both streams.
  const io: CliIo = {
    stdout: text => given.stdout(neutraliseCommands(text)),
    stderr: text => given.stderr(neutraliseCommands(text)),
    env: given.env
  }
  const [command, ...rest] = argv
  try {
    // `fleetpack <command> --help`: that command's part of the usage.
    const known = COMMANDS.find(c => c === command)
    if (known && rest.some(a => a === '--help' || a === '-h')) {
      io.stdout(commandUsage(known))
      return 0
    }
    switch (command) {
      case 'build':
        await build(rest, io)
        return 0
      case 'publish':
        await publishCommand(rest, io)
        return 0
      case 'verify':
        await verifyCommand(rest, io)
        return 0
      case 'plan':
        await planCommand(rest, io)
        return 0
      case 'promote':
        await promoteCommand(rest, io)
        return 0
      case 'prune':
        await pruneCommand(rest, io)
        return 0
      case '--version':
      case 'version':
        io.stdout(`fleetpack ${FLEETPACK_VERSION}\n`)
        return 0
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        io.stdout(usage())
        return command === undefined ? 2 : 0
      default:
        throw new InputError(`unknown command "${command}"`, { hint: usage() })
    }
  } catch (error) {
    const known = error instanceof FleetpackError || isParseArgsError(error)
    io.stderr(`fleetpack: ${known ? errorText(error) : describeError(error)}\n`)
    return known ? 1 : 70
  }
}

function isParseArgsError(error: unknown): boolean {
  // By its code, not `instanceof TypeError`: a TypeError from another realm (a test's VM context) is one too.
  return String((error as { code?: string } | undefined)?.code).startsWith('ERR_PARSE_ARGS')
}

function errorText(error: unknown): string {
  return error instanceof FleetpackError ? error.explanation : (error as Error).message
}
