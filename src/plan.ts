import { hashTree } from './artifact/index.js'
import { resolveComponents, type Component } from './components.js'
import { refContext, repositoryRootFor } from './context.js'
import { describeError } from './errors.js'
import { RegistryPool } from './oci/pool.js'
import { repositoryName } from './oci/reference.js'
import { requestTimeoutMs, type BuildInputs, type RegistryInputs } from './publish.js'
import { expandTags, parseSemver } from './tags.js'
import { configDiffId, contentProof, fluxArtifact } from './unchanged.js'
import { loadTrustMaterial, verifyArtifact, type IdentityPattern } from './verify/index.js'
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { readLayerFiles } from './artifact/read.js'
import { walkTree } from './artifact/walk.js'
import { diffTrees, type TreeDiff } from './diff.js'
import type { RepositoryClient } from './oci/registry.js'

/**
 * The plan of a publish, made before it with read access only: which
 * components would change, and a job matrix over those alone, so a fleet of
 * 1,000 components with 10 changed fans out to jobs for the 10. A component
 * is planned as unchanged only when proven as publishing proves it: its
 * diff-tag's layer holds this tree (downloaded and hashed) and, when
 * identities are given, its signature verifies as Flux would verify it
 * (with the source repository, if given). Anything less is "changed":
 * publishing again is always safe, skipping wrongly is not.
 */

export interface PlanInputs {
  build: BuildInputs
  registry: Pick<
    RegistryInputs,
    | 'repository'
    | 'diffTag'
    | 'concurrency'
    | 'username'
    | 'password'
    | 'githubActor'
    | 'githubToken'
    | 'insecureRegistries'
    | 'provider'
  >
  /** What a skipped component's signature must satisfy; without identities, content alone. */
  verify: {
    identities: IdentityPattern[]
    trustedRoot: string | undefined
    sourceRepository: string | undefined
  }
  /** How many jobs the matrix spreads the changed components over, at most. */
  jobs: number
  env?: Readonly<Record<string, string | undefined>>
}

export interface PlannedComponent {
  component: string
  path: string
  repository: string
  changed: boolean
  /** Why: "new", "content differs", "unchanged: content and signature proven", … */
  reason: string
  /** For a changed component: the files and Kubernetes resources that would change. */
  diff?: TreeDiff | undefined
}

export interface Plan {
  components: PlannedComponent[]
  /** The changed components' paths, spread over at most `jobs` entries (one `paths` each). */
  matrix: { include: { job: number; paths: string; components: string }[] }
}

export async function plan(
  inputs: PlanInputs,
  log: { info(message: string): void }
): Promise<Plan> {
  const cwd = inputs.build.cwd ?? process.cwd()
  const env = inputs.env ?? process.env
  const components = await resolveComponents(inputs.build.paths, inputs.registry.repository, {
    cwd
  })
  const ref = await refContext(cwd, env)
  const version = ref.tag ? parseSemver(ref.tag) : undefined
  const trust =
    inputs.verify.identities.length > 0
      ? await loadTrustMaterial(inputs.verify.trustedRoot)
      : undefined
  const registries = new RegistryPool({
    username: inputs.registry.username,
    password: inputs.registry.password,
    githubActor: inputs.registry.githubActor,
    githubToken: inputs.registry.githubToken,
    insecureRegistries: inputs.registry.insecureRegistries,
    access: 'pull',
    provider: inputs.registry.provider,
    env,
    timeoutMs: requestTimeoutMs(env),
    onSecret: () => undefined
  })
  const planned: PlannedComponent[] = new Array<PlannedComponent>(components.length)
  let next = 0
  const worker = async () => {
    while (next < components.length) {
      const index = next++
      const component = components[index] as Component
      const diffTag = inputs.registry.diffTag
        ? expandTags(
            [inputs.registry.diffTag],
            { ref, version, name: component.name },
            'diff-tag'
          )[0]
        : undefined
      let decision: { changed: boolean; reason: string }
      try {
        decision = diffTag
          ? await decide(component, diffTag, { cwd, registries, trust, inputs })
          : { changed: true, reason: 'no diff-tag to compare with' }
      } catch (error) {
        decision = { changed: true, reason: `not compared: ${describeError(error)}` }
      }
      planned[index] = {
        component: component.name,
        path: component.path,
        repository: repositoryName(component.repository),
        ...decision
      }
    }
  }
  await Promise.all(
    Array.from(
      { length: Math.max(1, Math.min(inputs.registry.concurrency, components.length)) },
      worker
    )
  )
  const changed = planned.filter(p => p.changed)
  log.info(
    `${changed.length} of ${planned.length} component${planned.length === 1 ? '' : 's'} would change`
  )
  return { components: planned, matrix: matrixOf(changed, inputs.jobs) }
}

async function decide(
  component: Component,
  diffTag: string,
  context: {
    cwd: string
    registries: RegistryPool
    trust: Awaited<ReturnType<typeof loadTrustMaterial>> | undefined
    inputs: PlanInputs
  }
): Promise<{ changed: boolean; reason: string; diff?: TreeDiff | undefined }> {
  const client = await context.registries.repository(component.repository)
  const remote = await client.getManifest(diffTag)
  const dir = resolve(context.cwd, component.path)
  const ignorePatterns = context.inputs.build.ignorePaths
  if (!remote)
    return {
      changed: true,
      reason: `new: nothing at ${diffTag}`,
      diff: await treeDiff(client, undefined, dir, ignorePatterns)
    }
  const candidate = fluxArtifact(remote)
  const remoteDiffId = candidate && (await configDiffId(client, candidate.config))
  if (!candidate || !remoteDiffId)
    return { changed: true, reason: `${diffTag} holds no Flux artifact fleetpack can compare` }
  const local = await hashTree(dir, {
    repositoryRoot: repositoryRootFor(dir),
    ignorePatterns: context.inputs.build.ignorePaths
  })
  if (local.diffId !== remoteDiffId)
    return {
      changed: true,
      reason: 'content differs',
      diff: await treeDiff(client, candidate.layer, dir, ignorePatterns)
    }
  // Content first (the layer, downloaded and hashed), then whose it is.
  const unproven = await contentProof(client, candidate.layer, local)
  if (unproven) return { changed: true, reason: `${diffTag} claims this content, but ${unproven}` }
  if (!context.trust) return { changed: false, reason: `unchanged: ${diffTag} holds this content` }
  try {
    await verifyArtifact(client, remote.digest, {
      identities: context.inputs.verify.identities,
      trust: context.trust,
      sourceRepository: context.inputs.verify.sourceRepository
    })
  } catch (error) {
    return {
      changed: true,
      reason: `${diffTag} holds this content without a signature the identities accept (${describeError(error).split('\n')[0]})`
    }
  }
  return { changed: false, reason: `unchanged: ${diffTag} holds this content, signed` }
}

/** How much of a tree a plan reads into memory to compare it, at most. */
const DIFF_LIMIT = { bytes: 64 * 1024 * 1024, entries: 20_000 }

/**
 * The files and resources that would change: the remote layer (if any)
 * read within its descriptor's size and the limits, against the local tree
 * as it would be archived. undefined when either cannot be read in bounds:
 * the plan then says "changed" without the details.
 */
async function treeDiff(
  client: RepositoryClient,
  layer: { digest: string; size: number } | undefined,
  dir: string,
  ignorePatterns: readonly string[]
): Promise<TreeDiff | undefined> {
  try {
    const before = layer
      ? await readLayerFiles(await client.openBlob(layer.digest), {
          compressedBytes: layer.size,
          uncompressedBytes: DIFF_LIMIT.bytes,
          entries: DIFF_LIMIT.entries
        })
      : new Map<string, Buffer>()
    const after = new Map<string, Buffer>()
    let total = 0
    for await (const entry of walkTree(dir, {
      repositoryRoot: repositoryRootFor(dir),
      ignorePatterns
    })) {
      if (entry.type !== 'file') continue
      total += entry.size
      if (total > DIFF_LIMIT.bytes || after.size >= DIFF_LIMIT.entries) return undefined
      after.set(entry.name, await readFile(entry.sourcePath))
    }
    return diffTrees(before, after)
  } catch {
    return undefined
  }
}

/** Changed components over at most `jobs` matrix entries, in order, as evenly as they go. */
function matrixOf(changed: PlannedComponent[], jobs: number): Plan['matrix'] {
  const count = Math.min(Math.max(1, jobs), changed.length)
  const include: Plan['matrix']['include'] = []
  for (let job = 0; job < count; job++) {
    const mine = changed.filter((_, i) => i % count === job)
    include.push({
      job,
      paths: mine.map(p => p.path).join('\n'),
      components: mine.map(p => p.component).join(', ')
    })
  }
  return { include }
}
