import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { buildArtifact, hashTree, FLUX_CONTENT_MEDIA_TYPE } from './artifact/index.js'
import type { Content } from './oci/content.js'
import { confineToWorkspace, resolveComponents, type Component } from './components.js'
import {
  createdTimeFor,
  defaultRevision,
  defaultSource,
  refContext,
  repositoryRootFor
} from './context.js'
import { FleetpackError, describeError } from './errors.js'
import { validateLayer, type ValidateOptions } from './validate.js'
import { expandTags, selectRelease } from './tags.js'
import { applyTags } from './tagging.js'
import { LayoutStore } from './oci/layout.js'
import { repositoryName } from './oci/reference.js'
import type { BlobSource, ManifestStore, RemoteManifest } from './oci/registry.js'
import { RegistryPool } from './oci/pool.js'
import type { SignaturePipeline, SigningOptions } from './sign/index.js'
import { configDiffId, fluxArtifact, proveUnchanged } from './unchanged.js'

/**
 * What the pipeline takes: plain values, from action inputs or CLI flags
 * alike (options/inputs.ts), grouped by who uses them.
 */
export interface PublishInputs {
  build: BuildInputs
  registry: RegistryInputs
  signing: SigningInputs
  output?: OutputInputs
  /** The run's environment: GitHub context, OIDC token request, SOURCE_DATE_EPOCH. */
  env?: Readonly<Record<string, string | undefined>>
}

/** What is published, and how each directory becomes an artifact. */
export interface BuildInputs {
  paths: string[]
  ignorePaths: string[]
  annotations: Record<string, string>
  source: string | undefined
  revision: string | undefined
  /** Where paths are resolved; the process's working directory by default. */
  cwd?: string | undefined
  /** The validation gate: kustomize build, then this command, on the built artifact. */
  validate?: ValidateOptions | undefined
}

/** Where artifacts go, how they are tagged, and the credentials to get there. */
export interface RegistryInputs {
  /** May contain {name}; required. */
  repository: string
  tags: string[]
  diffTag: string | undefined
  /** Create missing repositories first (ECR), with this tag mutability. */
  createRepositories?: { mutability: 'MUTABLE' | 'IMMUTABLE' } | undefined
  /** aws: registry tokens from the job's AWS credentials (ECR). */
  provider?: 'generic' | 'aws'
  /** On a tag push whose tag has this form ({name}/v*), publish only the component it names. */
  releaseTagPattern?: string | undefined
  concurrency: number
  username: string | undefined
  password: string | undefined
  githubActor: string | undefined
  githubToken: string | undefined
  insecureRegistries: string[]
}

/** How artifacts are signed (none: unsigned); the rest is sign/'s SigningOptions. */
export type SigningInputs =
  | ({ mode: 'none' } & Partial<Omit<SigningOptions, 'mode' | 'env' | 'onSecret'>>)
  | Omit<SigningOptions, 'env' | 'onSecret'>

/** Where output goes besides the registry. */
export interface OutputInputs {
  /** Write an OCI image layout per component under this directory instead of pushing. */
  ociLayout?: string | undefined
  /** Scratch space for built layers (RUNNER_TEMP on a runner); the system's temp by default. */
  workDir?: string | undefined
}

export interface PublishResult {
  component: string
  path: string
  repository: string
  digest: string
  /** oci://repository@digest, what an OCIRepository pins. */
  url: string
  tags: string[]
  /** false when the registry already held the same content (compared by diffID). */
  pushed: boolean
  /** A signature for this run's identity exists and verified before any tag moved. */
  signed: boolean
  /** Where the signature is: repository:sha256-<hex>.sig */
  signature?: string
  rekorLogIndex?: number
}

export interface PublishSummary {
  artifacts: PublishResult[]
  /** The signing certificate's identity, when signing. */
  identity?: { subject: string; issuer: string }
}

export interface PublishLogger {
  info(message: string): void
  warning(message: string): void
  debug(message: string): void
  /** Prints one component's buffered lines as a collapsible group. */
  group(title: string, lines: string[]): void
  secret(value: string): void
}

export class PublishError extends FleetpackError {
  constructor(
    readonly failures: { component: string; path: string; error: unknown }[],
    readonly summary: PublishSummary,
    total: number
  ) {
    super(
      `${failures.length} of ${total} components failed:\n` +
        failures
          .map(
            f => `  ${f.component} (${f.path}): ${describeError(f.error).replace(/\n/g, '\n    ')}`
          )
          .join('\n'),
      { code: 'publish-incomplete' }
    )
  }
}

/**
 * components → artifact → registry → tags. Every component is built and
 * checked before anything is uploaded for it; components run in parallel up
 * to `concurrency`, and one failing does not stop the others.
 */
export async function publish(inputs: PublishInputs, log: PublishLogger): Promise<PublishSummary> {
  const { build, registry } = inputs
  const cwd = build.cwd ?? process.cwd()
  const env = inputs.env ?? process.env
  const ref = await refContext(cwd, env)
  const { components, version } = selectRelease(
    await resolveComponents(build.paths, registry.repository, { cwd }),
    ref,
    registry.releaseTagPattern,
    log
  )
  // Every component's tags, expanded from the templates before any upload:
  // a template this run cannot fill fails the step with nothing published.
  const tagsOf = new Map(
    components.map(component => {
      const values = { ref, version, name: component.name }
      return [
        component.name,
        {
          tags: expandTags(registry.tags, values, 'tags'),
          diffTag: registry.diffTag
            ? expandTags([registry.diffTag], values, 'diff-tag')[0]
            : undefined
        }
      ] as const
    })
  )
  // On a runner, only the checked-out workspace is published: a path that
  // leads out of it (`../x`, a symlinked directory) could hold the runner's
  // credentials. The CLI has --repository-root for the same rule on symlinks.
  if (env.GITHUB_ACTIONS === 'true' && env.GITHUB_WORKSPACE)
    await confineToWorkspace(components, cwd, env.GITHUB_WORKSPACE)
  const signingInputs = inputs.signing
  // Signing (and Sigstore's libraries) is loaded only when used: an
  // unsigned publish starts faster.
  const signing =
    signingInputs.mode !== 'none'
      ? await (
          await import('./sign/index.js')
        ).SignaturePipeline.create({
          ...signingInputs,
          env,
          onSecret: secret => log.secret(secret)
        })
      : undefined
  const workDir = await mkdtemp(join(inputs.output?.workDir ?? tmpdir(), 'fleetpack-'))
  const run: PublishRun = {
    inputs,
    cwd,
    workDir,
    signing,
    registries: new RegistryPool({
      username: registry.username,
      password: registry.password,
      githubActor: registry.githubActor,
      githubToken: registry.githubToken,
      insecureRegistries: registry.insecureRegistries,
      timeoutMs: requestTimeoutMs(env),
      provider: registry.provider,
      env,
      onSecret: secret => log.secret(secret),
      info: message => log.info(message),
      debug: message => log.debug(message)
    })
  }
  if (registry.createRepositories && !inputs.output?.ociLayout)
    await createRepositories(components, registry.createRepositories.mutability, env, log)
  const results: PublishResult[] = []
  const failures: { component: string; path: string; error: unknown }[] = []
  let done = 0

  log.info(
    `publishing ${components.length} component${components.length === 1 ? '' : 's'} with concurrency ${registry.concurrency}`
  )
  try {
    await forEachLimited(components, registry.concurrency, async (component, index) => {
      const lines: string[] = []
      const job: ComponentJob = {
        component,
        index,
        ...(tagsOf.get(component.name) as { tags: string[]; diffTag: string | undefined }),
        note: line => lines.push(line)
      }
      try {
        const result = await publishComponent(run, job)
        results.push(result)
        done++
        log.info(
          `[${done}/${components.length}] ${component.name}: ${result.pushed ? 'pushed' : 'unchanged'} ${result.digest}`
        )
      } catch (error) {
        failures.push({ component: component.name, path: component.path, error })
        done++
        job.note(`error: ${describeError(error)}`)
        log.info(`[${done}/${components.length}] ${component.name}: failed`)
      } finally {
        log.group(`${component.name} (${component.path})`, lines)
      }
    })
  } finally {
    await rm(workDir, { recursive: true, force: true })
  }
  const ordered = components.flatMap(c => results.filter(r => r.component === c.name))
  const identity = signing ? await signing.signedIdentity() : undefined
  const summary: PublishSummary = { artifacts: ordered, ...(identity ? { identity } : {}) }
  if (failures.length > 0) throw new PublishError(failures, summary, components.length)
  return summary
}

/** Creates the components' repositories that do not exist yet (ECR), per registry, before any push. */
async function createRepositories(
  components: readonly Component[],
  mutability: 'MUTABLE' | 'IMMUTABLE',
  env: Readonly<Record<string, string | undefined>>,
  log: PublishLogger
): Promise<void> {
  const { ensureEcrRepositories } = await import('./oci/ecr.js')
  const byRegistry = new Map<string, string[]>()
  for (const { repository } of components)
    byRegistry.set(repository.registry, [
      ...(byRegistry.get(repository.registry) ?? []),
      repository.path
    ])
  for (const [registry, names] of byRegistry) {
    const { created } = await ensureEcrRepositories(names, { registry, env, mutability })
    if (created.length > 0)
      log.info(
        `${registry}: created ${created.length} repositor${created.length === 1 ? 'y' : 'ies'} (${mutability} tags, scan on push): ${created.join(', ')}`
      )
  }
}

/** What every component of one publish shares. */
interface PublishRun {
  inputs: PublishInputs
  cwd: string
  workDir: string
  registries: RegistryPool
  signing: SignaturePipeline | undefined
}

/** One component's work: which, its place in the run (for unique file names), its tags, its log lines. */
interface ComponentJob {
  component: Component
  index: number
  /** The tags, expanded from the templates for this component. */
  tags: string[]
  diffTag: string | undefined
  note: (line: string) => void
}

/** What a component ends with: its manifest in the store, and whether this run uploaded it. */
interface Stored {
  client: ManifestStore
  manifest: Content
  pushed: boolean
}

async function publishComponent(run: PublishRun, job: ComponentJob): Promise<PublishResult> {
  const { component, note, diffTag } = job
  const { build, output } = run.inputs
  // resolve, not join: an absolute path (the CLI's `publish /abs/dir`) stays as it is.
  const dir = resolve(run.cwd, component.path)
  note(`repository ${repositoryName(component.repository)}`)
  const repositoryRoot = repositoryRootFor(dir)
  const client: ManifestStore = output?.ociLayout
    ? new LayoutStore(join(output.ociLayout, component.name))
    : await run.registries.repository(component.repository)

  // With diff-tag, look at what the registry holds first. When it is a Flux
  // artifact with this tree's content, nothing needs compressing or
  // uploading: hashing the tree is several times cheaper than building it.
  // But what the registry says is only a claim (anyone with push access can
  // pair this tree's predictable diffID with another layer), so the
  // artifact counts as unchanged only once it is proven (proveUnchanged).
  let remote: RemoteManifest | undefined
  if (diffTag) {
    remote = await client.getManifest(diffTag)
    const candidate = remote && fluxArtifact(remote)
    const remoteDiffId = candidate && (await configDiffId(client, candidate.config))
    if (remote && candidate && remoteDiffId) {
      const local = await hashTree(dir, { repositoryRoot, ignorePatterns: build.ignorePaths })
      if (local.diffId === remoteDiffId) {
        const unproven = await proveUnchanged(
          { client, component, manifest: asContent(remote), layer: candidate.layer },
          local,
          run.signing
        )
        if (unproven === undefined) {
          note(
            `${diffTag} already holds this content (${remote.digest}, diffID ${local.diffId}); nothing to upload`
          )
          return finish(run, job, { client, manifest: asContent(remote), pushed: false })
        }
        note(`${diffTag} claims this content, but ${unproven}; publishing this build`)
      } else {
        note(`${diffTag} holds other content (diffID ${remoteDiffId}); publishing`)
      }
    }
  }

  const artifact = await buildArtifact(dir, {
    repositoryRoot,
    ignorePatterns: build.ignorePaths,
    outputPath: join(run.workDir, `${job.index}-${component.name}.tar.gz`),
    metadata: {
      created: await createdTimeFor(dir),
      source: build.source ?? (await defaultSource(dir)),
      revision: build.revision ?? (await defaultRevision(dir)),
      annotations: build.annotations
    }
  })
  note(
    `built ${artifact.layer.files} files, layer ${artifact.layer.digest} (${artifact.layer.size} bytes), diffID ${artifact.layer.diffId}`
  )
  // The gate: the artifact as a cluster receives it, before anything of it is uploaded.
  if (build.validate)
    await validateLayer(
      artifact.layer.path,
      join(run.workDir, `${job.index}-${component.name}.validate`),
      build.validate,
      note
    )
  // The config first: a small blob is how a registry shows whether it takes
  // single-request uploads, and the layer waits for that answer.
  const blobs: { descriptor: Content['descriptor']; source: BlobSource }[] = [
    { descriptor: artifact.config.descriptor, source: { bytes: artifact.config.bytes } },
    {
      descriptor: {
        mediaType: FLUX_CONTENT_MEDIA_TYPE,
        size: artifact.layer.size,
        digest: artifact.layer.digest
      },
      source: { file: artifact.layer.path }
    }
  ]

  const manifest: Content = artifact.manifest
  // With diff-tag set and nothing at it, the repository is new to this
  // component: its blobs cannot be there yet, so existence checks are skipped.
  const knownAbsent = diffTag !== undefined && remote === undefined
  // The layer and the config go up side by side: behind a distant registry
  // every request is a round trip, and they do not depend on each other.
  await Promise.all(
    blobs.map(async blob => {
      const mountFrom = run.registries.knownLocation(component.repository, blob.descriptor.digest)
      const sent = await client.pushBlob(blob.descriptor, blob.source, { mountFrom, knownAbsent })
      run.registries.remember(component.repository, blob.descriptor.digest)
      note(
        `${sent ? 'uploaded' : 'already present'}: ${blob.descriptor.digest} (${blob.descriptor.size} bytes)`
      )
    })
  )
  // A signed artifact is stored by digest first: it is signed and verified
  // before any tag points at it. An unsigned one is stored by its first tag
  // directly, which stores it by digest too: one request fewer.
  if (run.signing || job.tags.length === 0) {
    await client.putManifest(manifest.descriptor.digest, manifest)
    note(`manifest ${manifest.descriptor.digest}`)
  }

  return finish(run, job, { client, manifest, pushed: true })
}

/**
 * The end of every component: sign (or find a valid signature) and verify it
 * as read back from the registry, and only then move the tags, so no tag
 * ever points at a digest without a verified signature.
 */
async function finish(
  run: PublishRun,
  { component, note, tags }: ComponentJob,
  { client, manifest, pushed }: Stored
): Promise<PublishResult> {
  const digest = manifest.descriptor.digest
  const signature = run.signing
    ? await run.signing.ensureSigned(client, component.repository, manifest.descriptor, note)
    : undefined
  // Provenance too before any tag moves: a tag never points at an artifact still without it.
  await run.signing?.attachProvenance(client, component.repository, manifest.descriptor, note)
  // Every tag, the diff-tag included: it may have moved since it was read.
  await applyTags(client, manifest, tags, note)
  const base = result(component, digest, tags, pushed)
  return signature
    ? {
        ...base,
        signed: true,
        signature: signature.signature,
        rekorLogIndex: signature.rekorLogIndex
      }
    : base
}

function result(
  component: Component,
  digest: string,
  tags: string[],
  pushed: boolean
): PublishResult {
  const repository = repositoryName(component.repository)
  return {
    signed: false,
    component: component.name,
    path: component.path,
    repository,
    digest,
    url: `oci://${repository}@${digest}`,
    tags: [...tags],
    pushed
  }
}

function asContent(remote: RemoteManifest): Content {
  return {
    bytes: remote.bytes,
    descriptor: { mediaType: remote.mediaType, size: remote.bytes.length, digest: remote.digest }
  }
}

async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<void>
): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const index = next++
      await fn(items[index] as T, index)
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker))
}

/**
 * Every registry request has a timeout: 60 s, or FLEETPACK_REQUEST_TIMEOUT
 * seconds (a hung registry then fails the step instead of the job timing out).
 */
export function requestTimeoutMs(env: Readonly<Record<string, string | undefined>>): number {
  const seconds = Number(env.FLEETPACK_REQUEST_TIMEOUT)
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 60_000
}
