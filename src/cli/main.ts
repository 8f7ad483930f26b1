import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { buildArtifact } from '../artifact/index.js'
import { createdTimeFor, defaultRevision, defaultSource, repositoryRootFor } from '../context.js'
import { FleetpackError, InputError, describeError } from '../errors.js'
import {
  DEFAULT_FULCIO_URL,
  DEFAULT_REKOR_URL,
  parseAnnotations,
  parseConcurrency,
  parseBoolean,
  parseSignatureFormat,
  parseSignMode
} from '../inputs.js'
import { readFile } from 'node:fs/promises'
import { neutraliseCommands } from '../text.js'
import { parseFluxVersion } from '../verify/flux.js'
import { validateTags } from '../components.js'
import { PublishError, publish, requestTimeoutMs, type PublishLogger } from '../publish.js'

/** What the CLI talks to: its output streams and its environment (a test passes its own). */
export interface CliIo {
  stdout(text: string): void
  stderr(text: string): void
  env: Readonly<Record<string, string | undefined>>
}

const USAGE = `usage: fleetpack <command> [options]

commands:
  build <dir> --output <file.tgz>   archive <dir> as a Flux artifact layer and print its digests as JSON
      --ignore-path <pattern>        leave out matching paths (gitignore syntax; repeatable; added to Flux's defaults)
      --annotation <key=value>       set a manifest annotation (repeatable)
      --source <url>                 org.opencontainers.image.source (default: GitHub context or git origin)
      --revision <ref@sha1:sha>      org.opencontainers.image.revision (default: GitHub context or git HEAD)
      --repository-root <dir>        symlinks must stay inside it (default: the enclosing git work tree)

  publish <dir>... --repository <ref>  build each directory and push it, printing the artifacts as JSON
      --repository <ref>             target repository; with several directories it must contain {name}
      --tag <tag>                    tag to apply after the push (repeatable; default latest)
      --diff-tag <tag>               skip the upload when this tag already holds the same content
      --oci-layout <dir>             write an OCI image layout per component under <dir> instead of pushing
      --insecure-registry <host>     allow plain HTTP to this registry (loopback is always allowed)
      --concurrency <n>              components published at once (default 8)
      --username <user>              registry user; the password is read from FLEETPACK_PASSWORD
      --sign keyless|key|none        keyless: sign with the OIDC token (SIGSTORE_ID_TOKEN, or a GitHub
                                     runner's); key: with --key; default none
      --key <cosign.key>             sign with this cosign key (password in COSIGN_PASSWORD)
      --tlog-upload true|false       with --key, log signatures in Rekor (default true)
      --signature-format legacy|bundle|both   cosign's .sig (default), a Sigstore bundle referrer, or both
      --tsa-url <url>                an RFC 3161 timestamp authority for bundles
      --fulcio-url, --rekor-url      Sigstore services (default: the public-good instance)
      --trusted-root <file>          trusted_root.json to verify against (default: public-good via TUF)
      --ignore-path, --annotation, --source, --revision   as for build
  Credentials otherwise come from docker's config (docker login).

  verify oci://<repo>:<tag>|@<digest>  verify as Flux's source-controller does, printing what verified as JSON
      --issuer-regexp <re> --subject-regexp <re>   one matchOIDCIdentity entry (repeatable, in pairs)
      --key <cosign.pub>             verify key-based signatures instead
      --trusted-root <file>          trusted_root.json (default: public-good, through TUF)
      --source-repository <owner/repo>, --source-ref <ref>   also require the run's repository and ref
                                     (certificate extensions; the defence for shared reusable workflows)
      --source-repository-id <id>    also require the run's repository ID (survives a repository being
                                     deleted and its name taken again)
      --flux-version 2.7|2.8|2.9     whose verdict sets the exit code (default 2.9); every
                                     generation's verdict is in the JSON output
      --strict                       fail on warnings too (unanchored identities, no identity,
                                     an attestation counted as a signature)
      --insecure-registry <host>     allow plain HTTP to this registry
`

const COMMANDS = ['build', 'publish', 'verify']

/** The usage of one command: its block of USAGE (it starts at "  <command> " and ends at a blank line). */
function commandUsage(command: string): string {
  const block = USAGE.split('\n\n').find(part =>
    part.replace(/^commands:\n/, '').startsWith(`  ${command} `)
  )
  return `usage: fleetpack ${command} [options]\n\n${(block ?? '').replace(/^commands:\n/, '')}\n`
}

/** The package version, set by the bundler (scripts/build.mjs); "dev" when run from the sources. */
declare const __FLEETPACK_VERSION__: string | undefined
const FLEETPACK_VERSION = typeof __FLEETPACK_VERSION__ === 'string' ? __FLEETPACK_VERSION__ : 'dev'

async function build(args: string[], io: CliIo): Promise<void> {
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
  io.stdout(`${JSON.stringify(result, null, 2)}\n`)
}

async function publishCommand(args: string[], io: CliIo): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      repository: { type: 'string' },
      tag: { type: 'string', multiple: true, default: [] },
      'diff-tag': { type: 'string' },
      'oci-layout': { type: 'string' },
      'insecure-registry': { type: 'string', multiple: true, default: [] },
      concurrency: { type: 'string', default: '8' },
      username: { type: 'string' },
      sign: { type: 'string', default: 'none' },
      key: { type: 'string' },
      'tlog-upload': { type: 'string', default: 'true' },
      'signature-format': { type: 'string', default: 'legacy' },
      'tsa-url': { type: 'string' },
      'fulcio-url': { type: 'string', default: DEFAULT_FULCIO_URL },
      'rekor-url': { type: 'string', default: DEFAULT_REKOR_URL },
      'trusted-root': { type: 'string' },
      'ignore-path': { type: 'string', multiple: true, default: [] },
      annotation: { type: 'string', multiple: true, default: [] },
      source: { type: 'string' },
      revision: { type: 'string' }
    }
  })
  if (positionals.length === 0)
    throw new InputError('publish needs at least one directory', { hint: USAGE })
  if (!values.repository)
    throw new InputError('publish needs --repository <ref>', {
      hint: 'e.g. --repository ghcr.io/org/fleet/{name}'
    })
  const password = io.env.FLEETPACK_PASSWORD
  if (values.username && !password) {
    throw new InputError('--username is set but FLEETPACK_PASSWORD is empty', {
      hint: 'pass the password in the FLEETPACK_PASSWORD environment variable (never as a flag: flags show in process lists)'
    })
  }
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
    const results = await publish(
      {
        paths: positionals,
        repository: values.repository,
        tags: validateTags(values.tag.length > 0 ? values.tag : ['latest'], '--tag'),
        diffTag:
          values['diff-tag'] === undefined
            ? undefined
            : validateTags([values['diff-tag']], '--diff-tag')[0],
        ignorePaths: values['ignore-path'],
        annotations: parseAnnotations(values.annotation, '--annotation'),
        source: values.source,
        revision: values.revision,
        concurrency: parseConcurrency(values.concurrency, '--concurrency'),
        username: values.username,
        password: values.username ? password : undefined,
        githubActor: undefined,
        githubToken: undefined,
        insecureRegistries: values['insecure-registry'],
        ociLayout: values['oci-layout'] === undefined ? undefined : resolve(values['oci-layout']),
        sign: values.key && values.sign === 'none' ? 'key' : parseSignMode(values.sign, '--sign'),
        cosignKey: values.key
          ? {
              text: await readFile(values.key, 'utf8'),
              password: io.env.COSIGN_PASSWORD ?? ''
            }
          : undefined,
        tlogUpload: parseBoolean(values['tlog-upload'], '--tlog-upload'),
        signatureFormat: parseSignatureFormat(values['signature-format'], '--signature-format'),
        tsaUrl: values['tsa-url'],
        fulcioUrl: values['fulcio-url'],
        rekorUrl: values['rekor-url'],
        trustedRoot: values['trusted-root'],
        env: io.env
      },
      log
    )
    io.stdout(`${JSON.stringify(results.artifacts, null, 2)}\n`)
  } catch (error) {
    if (error instanceof PublishError)
      io.stdout(`${JSON.stringify(error.summary.artifacts, null, 2)}\n`)
    throw error
  }
}

async function verifyCommand(args: string[], io: CliIo): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      'issuer-regexp': { type: 'string', multiple: true, default: [] },
      'subject-regexp': { type: 'string', multiple: true, default: [] },
      key: { type: 'string' },
      'trusted-root': { type: 'string' },
      'source-repository': { type: 'string' },
      'source-repository-id': { type: 'string' },
      'source-ref': { type: 'string' },
      'flux-version': { type: 'string' },
      strict: { type: 'boolean', default: false },
      'insecure-registry': { type: 'string', multiple: true, default: [] }
    }
  })
  const [text, ...extra] = positionals
  if (text === undefined || extra.length > 0) {
    throw new InputError('verify takes exactly one reference', {
      hint: 'e.g. fleetpack verify oci://ghcr.io/org/fleet/apps:latest'
    })
  }
  const issuers = values['issuer-regexp']
  const subjects = values['subject-regexp']
  if (issuers.length !== subjects.length) {
    throw new InputError(
      `--issuer-regexp was given ${issuers.length} times and --subject-regexp ${subjects.length}`,
      {
        hint: 'give them in pairs, one pair per matchOIDCIdentity entry'
      }
    )
  }
  // Loaded when used: the other commands start without Sigstore's libraries.
  const { verifyReferences } = await import('../verify/run.js')
  const [result] = await verifyReferences({
    references: [text],
    identities: issuers.map((issuer, i) => ({ issuer, subject: subjects[i] as string })),
    publicKey: values.key ? await readFile(values.key, 'utf8') : undefined,
    trustedRoot: values['trusted-root'],
    sourceRepository: values['source-repository'],
    sourceRepositoryId: values['source-repository-id'],
    timeoutMs: requestTimeoutMs(io.env),
    sourceRef: values['source-ref'],
    fluxVersion:
      values['flux-version'] === undefined
        ? undefined
        : parseFluxVersion(values['flux-version'], '--flux-version'),
    strict: values.strict,
    insecureRegistries: values['insecure-registry']
  })
  if (!result) throw new Error('unreachable: no verification result')
  for (const warning of result.warnings) io.stderr(`warning: ${warning}\n`)
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
    if (command && COMMANDS.includes(command) && rest.some(a => a === '--help' || a === '-h')) {
      io.stdout(commandUsage(command))
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
      case '--version':
      case 'version':
        io.stdout(`fleetpack ${FLEETPACK_VERSION}\n`)
        return 0
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        io.stdout(USAGE)
        return command === undefined ? 2 : 0
      default:
        throw new InputError(`unknown command "${command}"`, { hint: USAGE })
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
