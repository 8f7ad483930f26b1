import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { defaultRepositoryTemplate } from '../components.js'
import { checkReleaseTagPattern, checkTagTemplates } from '../tags.js'
import { InputError } from '../errors.js'
import {
  parseAnnotations,
  parseConcurrency,
  parseSignatureFormat,
  parseSignMode
} from '../inputs.js'
import { requestTimeoutMs, type PublishInputs } from '../publish.js'
import { parseFluxVersion } from '../verify/flux.js'
import type { VerifyInputs } from '../verify/run.js'
import type { PlanInputs } from '../plan.js'
import type { PruneInputs } from '../prune.js'
import {
  defaultOf,
  optionName,
  valueOf,
  type OptionValue,
  type OptionValues,
  type Surface
} from './read.js'
import { OPTIONS, type OptionId } from './table.js'

/**
 * Option values (from either surface) into the pipeline's typed inputs: the
 * one place where options are checked and combined, so the action and the
 * CLI agree on every rule and name the option the way the user wrote it.
 */

export interface InputContext {
  surface: Surface
  env: Readonly<Record<string, string | undefined>>
  /** Registers a secret as soon as it is read (the runner's log masking). */
  onSecret?: (secret: string) => void
}

export async function toPublishInputs(
  values: OptionValues,
  context: InputContext
): Promise<PublishInputs> {
  const get = reader(values, context)
  for (const id of ['password', 'githubToken', 'cosignKey', 'cosignPassword'] as const)
    if (get.text(id)) context.onSecret?.(get.text(id) as string)
  const { paths, repository } = componentsOf(get, context, 'publish')
  const username = get.text('username')
  const password = get.text('password')
  if (context.surface === 'cli' && username && !password) {
    throw new InputError('--username is set but FLEETPACK_PASSWORD is empty', {
      hint: 'pass the password in the FLEETPACK_PASSWORD environment variable (never as a flag: flags show in process lists)'
    })
  }
  const key = await get.content('cosignKey')
  if (key) for (const line of keyLines(key)) context.onSecret?.(line)
  const sign = signMode(get, key !== undefined)
  const diffTag = get.text('diffTag')
  const releaseTagPattern = get.text('releaseTagPattern')
  const ociLayout = get.text('ociLayout')
  if (get.boolean('provenance') && sign !== 'keyless')
    throw new InputError(`${get.name('provenance')} needs keyless signing (sign is ${sign})`, {
      hint: 'provenance is signed with the workflow identity: set sign: keyless, or leave provenance off'
    })
  const format = parseSignatureFormat(
    get.text('signatureFormat') ?? '',
    get.name('signatureFormat')
  )
  const sigstore = {
    tsaUrl: get.text('tsaUrl'),
    fulcioUrl: get.text('fulcioUrl') as string,
    rekorUrl: get.text('rekorUrl') as string,
    trustedRoot: get.text('trustedRoot')
  }
  return {
    build: {
      paths,
      ignorePaths: get.list('ignorePaths'),
      annotations: parseAnnotations(get.list('annotations'), get.name('annotations')),
      source: get.text('source'),
      revision: get.text('revision'),
      validate:
        get.boolean('validate') || get.text('validateCommand')
          ? { command: get.text('validateCommand'), timeoutMs: 10 * 60_000 }
          : undefined
    },
    registry: {
      repository,
      tags: checkTagTemplates(get.list('tags'), get.name('tags')),
      diffTag:
        diffTag === undefined ? undefined : checkTagTemplates([diffTag], get.name('diffTag'))[0],
      createRepositories: get.boolean('createRepositories')
        ? {
            mutability: ecrMutability(
              get.text('ecrTagMutability') ?? '',
              get.name('ecrTagMutability')
            )
          }
        : undefined,
      provider: registryProvider(get.text('provider') ?? '', get.name('provider')),
      releaseTagPattern:
        releaseTagPattern === undefined
          ? undefined
          : checkReleaseTagPattern(releaseTagPattern, get.name('releaseTagPattern')),
      concurrency: parseConcurrency(get.text('concurrency') ?? '', get.name('concurrency')),
      username,
      password: username || context.surface === 'action' ? password : undefined,
      githubActor: context.surface === 'action' ? context.env.GITHUB_ACTOR : undefined,
      githubToken: get.text('githubToken'),
      insecureRegistries: get.list('insecureRegistries')
    },
    signing:
      sign === 'key'
        ? {
            mode: 'key',
            key: { text: key ?? '', password: get.text('cosignPassword') ?? '' },
            tlogUpload: get.boolean('tlogUpload'),
            format,
            ...sigstore
          }
        : {
            mode: sign,
            format,
            provenance: get.boolean('provenance'),
            githubAttestations: attestationsTarget(get, context),
            ...sigstore
          },
    output: {
      ociLayout: ociLayout === undefined ? undefined : resolve(ociLayout),
      workDir: context.surface === 'action' ? context.env.RUNNER_TEMP : undefined
    },
    env: context.env
  }
}

export async function toVerifyInputs(
  values: OptionValues,
  context: InputContext
): Promise<VerifyInputs> {
  const get = reader(values, context)
  if (get.text('password')) context.onSecret?.(get.text('password') as string)
  const references = get.list('references')
  if (references.length === 0) {
    throw new InputError(`input "references" is required and was not given`, {
      code: 'input-missing',
      hint: 'list the artifacts to verify, e.g. oci://ghcr.io/org/fleet/apps:latest'
    })
  }
  const issuers = get.list('issuerRegexp')
  const subjects = get.list('subjectRegexp')
  if (issuers.length !== subjects.length) {
    throw new InputError(
      `${get.name('issuerRegexp')} has ${issuers.length} ${context.surface === 'action' ? 'lines' : 'values'} and ${get.name('subjectRegexp')} ${subjects.length}`,
      { hint: 'give them in pairs, one pair per matchOIDCIdentity entry, in the same order' }
    )
  }
  const fluxVersion = get.text('fluxVersion')
  return {
    references,
    identities: issuers.map((issuer, i) => ({ issuer, subject: subjects[i] as string })),
    publicKey: await get.content('cosignPublicKey'),
    trustedRoot: get.text('trustedRoot'),
    sourceRepository: get.text('sourceRepository'),
    sourceRepositoryId: get.text('sourceRepositoryId'),
    sourceRef: get.text('sourceRef'),
    fluxVersion:
      fluxVersion === undefined
        ? undefined
        : parseFluxVersion(fluxVersion, get.name('fluxVersion')),
    strict: get.boolean('strict'),
    insecureRegistries: get.list('insecureRegistries'),
    username: get.text('username'),
    password: get.text('password'),
    timeoutMs: requestTimeoutMs(context.env),
    provider: registryProvider(get.text('provider') ?? '', get.name('provider')),
    onSecret: context.onSecret
  }
}

/** The paths and the repository template of a publish or a plan: required, with the surface's wording. */
function componentsOf(
  get: ReturnType<typeof reader>,
  context: InputContext,
  command: 'publish' | 'plan'
): { paths: string[]; repository: string } {
  const action = context.surface === 'action'
  const paths = get.list('paths')
  if (paths.length === 0) {
    throw new InputError(
      action
        ? 'input "paths" is required and was not given'
        : `${command} needs at least one directory`,
      {
        code: 'input-missing',
        hint: action
          ? 'add it under "with:" in the workflow step: list the directories to publish, one per line, e.g. apps/podinfo'
          : `name the directories, e.g. fleetpack ${command} apps/podinfo --repository ghcr.io/org/fleet/{name}`
      }
    )
  }
  const repository = get.text('repository') ?? defaultRepositoryTemplate(context.env)
  if (!repository) {
    throw new InputError(
      action
        ? 'input "repository" is required outside GitHub Actions'
        : `${command} needs --repository <ref>`,
      {
        code: 'input-missing',
        hint: `set ${get.name('repository')}, e.g. ghcr.io/org/fleet/{name}`
      }
    )
  }
  return { paths, repository }
}

/**
 * The signing mode: as given, else key when a key is given, else the
 * surface's default (the action's keyless, the CLI's none).
 */
function signMode(get: ReturnType<typeof reader>, hasKey: boolean): 'keyless' | 'key' | 'none' {
  const given = get.explicit('sign')
  if (given === undefined && hasKey) return 'key'
  return parseSignMode(get.text('sign') ?? '', get.name('sign'))
}

/** Each line of a key PEM that could be printed alone (masking works per line). */
function keyLines(key: string): string[] {
  return key
    .split('\n')
    .map(line => line.trim())
    .filter(line => line.length >= 8 && !line.startsWith('-----'))
}

function reader(values: OptionValues, context: InputContext) {
  const name = (id: OptionId) => optionName(id, context.surface)
  /** What the user gave, or the surface's default, parsed by kind. */
  const value = (id: OptionId): OptionValue | undefined =>
    values[id] ?? valueOf(OPTIONS[id], defaultOf(id, context.surface) ?? '', name(id))
  const text = (id: OptionId): string | undefined => {
    const v = value(id)
    return typeof v === 'string' && v !== '' ? v : undefined
  }
  return {
    name,
    text,
    list: (id: OptionId): string[] => {
      const v = value(id)
      return Array.isArray(v) ? v : []
    },
    boolean: (id: OptionId): boolean => value(id) === true,
    /** Only what the user gave (to tell "sign: keyless" from nothing given). */
    explicit: (id: OptionId): OptionValue | undefined => values[id],
    /** A key: the action's input is its content, the CLI's flag names its file. */
    content: async (id: OptionId): Promise<string | undefined> => {
      const path = text(id)
      if (path === undefined || context.surface === 'action') return path
      return readFile(path, 'utf8').catch((cause: unknown) => {
        throw new InputError(`${name(id)}: cannot read ${path}`, {
          hint: 'give the path of the key file',
          cause
        })
      })
    }
  }
}

export function toPlanInputs(values: OptionValues, context: InputContext): PlanInputs {
  const get = reader(values, context)
  for (const id of ['password', 'githubToken'] as const)
    if (get.text(id)) context.onSecret?.(get.text(id) as string)
  const { paths, repository } = componentsOf(get, context, 'plan')
  const issuers = get.list('issuerRegexp')
  const subjects = get.list('subjectRegexp')
  if (issuers.length !== subjects.length) {
    throw new InputError(
      `${get.name('issuerRegexp')} and ${get.name('subjectRegexp')} must come in pairs`,
      { hint: 'give one of each per matchOIDCIdentity entry, in the same order' }
    )
  }
  const diffTag = get.text('diffTag')
  const jobs = Number(get.text('jobs'))
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > 256) {
    throw new InputError(
      `${get.name('jobs')}: "${get.text('jobs') ?? ''}" is not a number from 1 to 256`,
      {
        hint: 'set how many matrix entries the changed components are spread over, e.g. 20'
      }
    )
  }
  const username = get.text('username')
  return {
    build: {
      paths,
      ignorePaths: get.list('ignorePaths'),
      annotations: {},
      source: undefined,
      revision: undefined
    },
    registry: {
      repository,
      diffTag:
        diffTag === undefined ? undefined : checkTagTemplates([diffTag], get.name('diffTag'))[0],
      concurrency: parseConcurrency(get.text('concurrency') ?? '', get.name('concurrency')),
      username,
      password: username || context.surface === 'action' ? get.text('password') : undefined,
      githubActor: context.surface === 'action' ? context.env.GITHUB_ACTOR : undefined,
      githubToken: get.text('githubToken'),
      insecureRegistries: get.list('insecureRegistries'),
      provider: registryProvider(get.text('provider') ?? '', get.name('provider'))
    },
    verify: {
      identities: issuers.map((issuer, i) => ({ issuer, subject: subjects[i] as string })),
      trustedRoot: get.text('trustedRoot'),
      sourceRepository: get.text('sourceRepository')
    },
    jobs,
    env: context.env
  }
}

function ecrMutability(value: string, name: string): 'MUTABLE' | 'IMMUTABLE' {
  const upper = value.toUpperCase()
  if (upper === 'MUTABLE' || upper === 'IMMUTABLE') return upper
  throw new InputError(`${name}: "${value}" is not MUTABLE or IMMUTABLE`, {
    hint: 'MUTABLE lets tags such as latest move; IMMUTABLE refuses to move any tag'
  })
}

function registryProvider(value: string, name: string): 'generic' | 'aws' {
  if (value === 'generic' || value === 'aws') return value
  throw new InputError(`${name}: "${value}" is not generic or aws`, {
    hint: "use aws for Amazon ECR with the job's AWS credentials, else leave it out"
  })
}

export function toPruneInputs(values: OptionValues, context: InputContext): PruneInputs {
  const get = reader(values, context)
  const [repository, ...extra] = get.list('pruneRepository')
  if (repository === undefined || extra.length > 0)
    throw new InputError('prune takes exactly one repository', {
      code: 'input-missing',
      hint: 'e.g. fleetpack prune oci://ghcr.io/org/fleet/podinfo --match "main-*" --keep 20'
    })
  const keep = Number(get.text('keep'))
  if (!Number.isInteger(keep) || keep < 0)
    throw new InputError(
      `${get.name('keep')}: "${get.text('keep') ?? ''}" is not a number of tags`,
      {
        hint: 'e.g. --keep 20 (0 keeps none of the matching tags)'
      }
    )
  const username = get.text('username')
  return {
    repository,
    match: get.text('match') ?? '*',
    protect: get.list('protect'),
    keep,
    delete: get.boolean('yes'),
    username,
    password: username ? get.text('password') : undefined,
    insecureRegistries: get.list('insecureRegistries'),
    provider: registryProvider(get.text('provider') ?? '', get.name('provider')),
    timeoutMs: requestTimeoutMs(context.env)
  }
}

/** Where github-attestations records provenance: the runner's own GitHub API, with github-token. */
function attestationsTarget(get: ReturnType<typeof reader>, context: InputContext) {
  if (!get.boolean('githubAttestations')) return undefined
  const token = get.text('githubToken')
  const repository = context.env.GITHUB_REPOSITORY
  if (!get.boolean('provenance') || !token || !repository)
    throw new InputError(
      `${get.name('githubAttestations')} needs provenance: true, github-token and a GitHub Actions run`,
      { hint: 'set provenance: true, and run it in a workflow whose job may write attestations' }
    )
  return { apiUrl: context.env.GITHUB_API_URL ?? 'https://api.github.com', repository, token }
}
