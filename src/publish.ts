import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { buildArtifact, hashTree, FLUX_CONTENT_MEDIA_TYPE } from './artifact/index.js'
import type { Content } from './oci/content.js'
import { confineToWorkspace, resolveComponents, type Component } from './components.js'
import { createdTimeFor, defaultRevision, defaultSource, repositoryRootFor } from './context.js'
import { FleetpackError, describeError } from './errors.js'
import { LayoutStore } from './oci/layout.js'
import { repositoryName } from './oci/reference.js'
import type { BlobSource, ManifestStore, RemoteManifest } from './oci/registry.js'
import { RegistryPool } from './oci/pool.js'
import type { SignaturePipeline } from './sign/index.js'
import { configDiffId, fluxArtifact, proveUnchanged } from './unchanged.js'

/** What the pipeline takes: plain values, from action inputs or CLI flags alike. */
export interface PublishInputs {
  paths: string[]
  /** May contain {name}; required. */
  repository: string
  tags: string[]
  diffTag: string | undefined
  ignorePaths: string[]
  annotations: Record<string, string>
  source: string | undefined
  revision: string | undefined
  concurrency: number
  username: string | undefined
  password: string | undefined
  githubActor: string | undefined
  githubToken: string | undefined
  insecureRegistries: string[]
  /** keyless: Fulcio certificate from the workflow's OIDC token; key: a cosign key; none: no signature. */
  sign: 'keyless' | 'key' | 'none'
  /** For sign: key, the private key's PEM text (a secret) and its password. */
  cosignKey?: { text: string; password: string } | undefined
  /** For sign: key, whether to log signatures in Rekor (default true). */
  tlogUpload?: boolean
  /** legacy (every Flux, any number of identities), bundle (cosign 3, Flux >= 2.8), or both. */
  signatureFormat?: 'legacy' | 'bundle' | 'both'
  /** An RFC 3161 timestamp authority for bundles. */
  tsaUrl?: string | undefined
  fulcioUrl: string
  rekorUrl: string
  /** A trusted_root.json for a private Sigstore deployment; default public-good via TUF. */
  trustedRoot: string | undefined
  /** Where the OIDC token comes from (ACTIONS_ID_TOKEN_REQUEST_*, SIGSTORE_ID_TOKEN). */
  env?: Readonly<Record<string, string | undefined>>
  /** Write an OCI image layout per component under this directory instead of pushing. */
  ociLayout?: string | undefined
  workDir?: string | undefined
  cwd?: string | undefined
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
  const cwd = inputs.cwd ?? process.cwd()
  const components = await resolveComponents(inputs.paths, inputs.repository, { cwd })
  const env = inputs.env ?? process.env
  // On a runner, only the checked-out workspace is published: a path that
  // leads out of it (`../x`, a symlinked directory) could hold the runner's
  // credentials. The CLI has --repository-root for the same rule on symlinks.
  if (env.GITHUB_ACTIONS === 'true' && env.GITHUB_WORKSPACE)
    await confineToWorkspace(components, cwd, env.GITHUB_WORKSPACE)
  // Signing (and Sigstore's libraries) is loaded only when used: an
  // unsigned publish starts faster.
  const signing =
    inputs.sign !== 'none'
      ? await (
          await import('./sign/index.js')
        ).SignaturePipeline.create({
          mode: inputs.sign,
          key: inputs.cosignKey,
          tlogUpload: inputs.tlogUpload,
          format: inputs.signatureFormat ?? 'legacy',
          tsaUrl: inputs.tsaUrl,
          fulcioUrl: inputs.fulcioUrl,
          rekorUrl: inputs.rekorUrl,
          trustedRoot: inputs.trustedRoot,
          env,
          onSecret: secret => log.secret(secret)
        })
      : undefined
  const workDir = await mkdtemp(join(inputs.workDir ?? tmpdir(), 'fleetpack-'))
  const registries = new RegistryPool({
    username: inputs.username,
    password: inputs.password,
    githubActor: inputs.githubActor,
    githubToken: inputs.githubToken,
    insecureRegistries: inputs.insecureRegistries,
    timeoutMs: requestTimeoutMs(env),
    onSecret: secret => log.secret(secret),
    info: message => log.info(message),
    debug: message => log.debug(message)
  })
  const results: PublishResult[] = []
  const failures: { component: string; path: string; error: unknown }[] = []
  let done = 0

  log.info(
    `publishing ${components.length} component${components.length === 1 ? '' : 's'} with concurrency ${inputs.concurrency}`
  )
  try {
    await forEachLimited(components, inputs.concurrency, async (component, index) => {
      const lines: string[] = []
      const note = (line: string) => lines.push(line)
      try {
        const result = await publishComponent(
          component,
          inputs,
          registries,
          workDir,
          cwd,
          note,
          index,
          signing
        )
        results.push(result)
        done++
        log.info(
          `[${done}/${components.length}] ${component.name}: ${result.pushed ? 'pushed' : 'unchanged'} ${result.digest}`
        )
      } catch (error) {
        failures.push({ component: component.name, path: component.path, error })
        done++
        note(`error: ${describeError(error)}`)
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

async function publishComponent(
  component: Component,
  inputs: PublishInputs,
  registries: RegistryPool,
  workDir: string,
  cwd: string,
  note: (line: string) => void,
  index: number,
  signing: SignaturePipeline | undefined
): Promise<PublishResult> {
  // resolve, not join: an absolute path (the CLI's `publish /abs/dir`) stays as it is.
  const dir = resolve(cwd, component.path)
  const repository = repositoryName(component.repository)
  note(`repository ${repository}`)
  const repositoryRoot = repositoryRootFor(dir)
  const client: ManifestStore = inputs.ociLayout
    ? new LayoutStore(join(inputs.ociLayout, component.name))
    : await registries.repository(component.repository)

  // With diff-tag, look at what the registry holds first. When it is a Flux
  // artifact with this tree's content, nothing needs compressing or
  // uploading: hashing the tree is several times cheaper than building it.
  // But what the registry says is only a claim (anyone with push access can
  // pair this tree's predictable diffID with another layer), so the
  // artifact counts as unchanged only once it is proven (proveUnchanged).
  let remote: RemoteManifest | undefined
  if (inputs.diffTag) {
    remote = await client.getManifest(inputs.diffTag)
    const candidate = remote && fluxArtifact(remote)
    const remoteDiffId = candidate && (await configDiffId(client, candidate.config))
    if (remote && candidate && remoteDiffId) {
      const local = await hashTree(dir, { repositoryRoot, ignorePatterns: inputs.ignorePaths })
      if (local.diffId === remoteDiffId) {
        const unproven = await proveUnchanged(
          { client, component, manifest: asContent(remote), layer: candidate.layer },
          local,
          signing
        )
        if (unproven === undefined) {
          note(
            `${inputs.diffTag} already holds this content (${remote.digest}, diffID ${local.diffId}); nothing to upload`
          )
          return finish(client, component, asContent(remote), false, inputs, signing, note)
        }
        note(`${inputs.diffTag} claims this content, but ${unproven}; publishing this build`)
      } else {
        note(`${inputs.diffTag} holds other content (diffID ${remoteDiffId}); publishing`)
      }
    }
  }

  const artifact = await buildArtifact(dir, {
    repositoryRoot,
    ignorePatterns: inputs.ignorePaths,
    outputPath: join(workDir, `${index}-${component.name}.tar.gz`),
    metadata: {
      created: await createdTimeFor(dir),
      source: inputs.source ?? (await defaultSource(dir)),
      revision: inputs.revision ?? (await defaultRevision(dir)),
      annotations: inputs.annotations
    }
  })
  note(
    `built ${artifact.layer.files} files, layer ${artifact.layer.digest} (${artifact.layer.size} bytes), diffID ${artifact.layer.diffId}`
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
  const knownAbsent = inputs.diffTag !== undefined && remote === undefined
  // The layer and the config go up side by side: behind a distant registry
  // every request is a round trip, and they do not depend on each other.
  await Promise.all(
    blobs.map(async blob => {
      const mountFrom = registries.knownLocation(component.repository, blob.descriptor.digest)
      const sent = await client.pushBlob(blob.descriptor, blob.source, { mountFrom, knownAbsent })
      registries.remember(component.repository, blob.descriptor.digest)
      note(
        `${sent ? 'uploaded' : 'already present'}: ${blob.descriptor.digest} (${blob.descriptor.size} bytes)`
      )
    })
  )
  // A signed artifact is stored by digest first: it is signed and verified
  // before any tag points at it. An unsigned one is stored by its first tag
  // directly, which stores it by digest too: one request fewer.
  if (signing || inputs.tags.length === 0) {
    await client.putManifest(manifest.descriptor.digest, manifest)
    note(`manifest ${manifest.descriptor.digest}`)
  }

  return finish(client, component, manifest, true, inputs, signing, note)
}

/**
 * The end of every component: sign (or find a valid signature) and verify it
 * as read back from the registry, and only then move the tags, so no tag
 * ever points at a digest without a verified signature.
 */
async function finish(
  client: ManifestStore,
  component: Component,
  manifest: Content,
  pushed: boolean,
  inputs: PublishInputs,
  signing: SignaturePipeline | undefined,
  note: (line: string) => void
): Promise<PublishResult> {
  const digest = manifest.descriptor.digest
  const signature = signing
    ? await signing.ensureSigned(client, component.repository, manifest.descriptor, note)
    : undefined
  // Every tag, the diff-tag included: it may have moved since it was read.
  await applyTags(client, manifest, inputs.tags, note)
  const base = result(component, digest, inputs.tags, pushed)
  return signature
    ? {
        ...base,
        signed: true,
        signature: signature.signature,
        rekorLogIndex: signature.rekorLogIndex
      }
    : base
}

async function applyTags(
  client: ManifestStore,
  manifest: Content,
  tags: readonly string[],
  note: (line: string) => void
): Promise<void> {
  await Promise.all(
    tags.map(async tag => {
      await client.putManifest(tag, manifest)
      note(`tagged ${tag}`)
    })
  )
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
