import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { buildArtifact } from './artifact/index.js'
import { createdTimeFor, defaultRevision, defaultSource, repositoryRootFor } from './context.js'
import { FleetpackError, InputError, describeError } from './errors.js'
import { parseAnnotations } from './inputs.js'

const USAGE = `usage: fleetpack <command> [options]

commands:
  build <dir> --output <file.tgz>   archive <dir> as a Flux artifact layer and print its digests as JSON
      --ignore-path <pattern>        leave out matching paths (gitignore syntax; repeatable; added to Flux's defaults)
      --annotation <key=value>       set a manifest annotation (repeatable)
      --source <url>                 org.opencontainers.image.source (default: GitHub context or git origin)
      --revision <ref@sha1:sha>      org.opencontainers.image.revision (default: GitHub context or git HEAD)
      --repository-root <dir>        symlinks must stay inside it (default: the enclosing git work tree)
`

async function build(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      output: { type: 'string', short: 'o' },
      'ignore-path': { type: 'string', multiple: true, default: [] },
      annotation: { type: 'string', multiple: true, default: [] },
      source: { type: 'string' },
      revision: { type: 'string' },
      'repository-root': { type: 'string' }
    }
  })
  const [dir, ...extra] = positionals
  if (dir === undefined || extra.length > 0) {
    throw new InputError('build takes exactly one directory', { hint: USAGE })
  }
  if (!values.output) {
    throw new InputError('build needs --output <file.tgz>', { hint: USAGE })
  }
  const annotations = parseAnnotations(values.annotation, '--annotation')
  const artifact = await buildArtifact(dir, {
    repositoryRoot: values['repository-root'] ?? repositoryRootFor(dir),
    ignorePatterns: values['ignore-path'],
    outputPath: resolve(values.output),
    metadata: {
      created: await createdTimeFor(dir),
      source: values.source ?? (await defaultSource(dir)),
      revision: values.revision ?? (await defaultRevision(dir)),
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
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`)
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv
  try {
    switch (command) {
      case 'build':
        await build(rest)
        return 0
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        process.stdout.write(USAGE)
        return command === undefined ? 2 : 0
      default:
        throw new InputError(`unknown command "${command}"`, { hint: USAGE })
    }
  } catch (error) {
    const known = error instanceof FleetpackError || isParseArgsError(error)
    process.stderr.write(`fleetpack: ${known ? errorText(error) : describeError(error)}\n`)
    return known ? 1 : 70
  }
}

function isParseArgsError(error: unknown): boolean {
  return (
    error instanceof TypeError &&
    String((error as { code?: string }).code).startsWith('ERR_PARSE_ARGS')
  )
}

function errorText(error: unknown): string {
  return error instanceof FleetpackError ? error.explanation : (error as Error).message
}

process.exitCode = await main(process.argv.slice(2))
