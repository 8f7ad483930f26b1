import { InputError } from './errors.js'
import { RegistryError } from './oci/errors.js'
import { RegistryPool } from './oci/pool.js'
import { parseRepository, repositoryName } from './oci/reference.js'
import type { RepositoryClient } from './oci/registry.js'
import { listReferrers } from './cosign/bundle.js'
import { signatureTag } from './cosign/legacy.js'

/**
 * Retention: keep the newest N tags that match a pattern, delete the rest
 * with what belongs only to them (the artifact's manifest, its cosign `.sig`
 * and its referrers: bundles, attestations, the referrers tag). Never
 * touches a protected tag, a tag outside the pattern, or anything one of
 * them points at. A dry run unless told to delete.
 */

export interface PruneInputs {
  /** oci://registry/repository */
  repository: string
  /** Tags considered (a glob, default every tag); the others are never touched. */
  match: string
  /** Globs of tags never pruned (default latest). */
  protect: string[]
  /** How many of the matching tags to keep, newest first by their created annotation. */
  keep: number
  /** false: only say what would be deleted. */
  delete: boolean
  username?: string | undefined
  password?: string | undefined
  insecureRegistries: string[]
  provider?: 'generic' | 'aws'
  timeoutMs?: number | undefined
}

export interface PrunePlan {
  repository: string
  kept: string[]
  /** Per deleted artifact: its tags, and the signature and referrer manifests that go with it. */
  deleted: { digest: string; tags: string[]; created: string | undefined; with: string[] }[]
  /** Whether the deletions were made (false for a dry run). */
  applied: boolean
}

/**
 * A tag pattern: `*` any run of characters, `?` one, the rest literal. Tags
 * hold no `/`, so this is all a glob can mean for them (written here rather
 * than taken from a path-glob library whose rules are about paths).
 */
export function tagMatches(tag: string, pattern: string): boolean {
  const regex = pattern
    .split('')
    .map(c => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')))
    .join('')
  return new RegExp(`^${regex}$`).test(tag)
}

/** The tags that are fleetpack's and cosign's own bookkeeping, not artifacts. */
const SIGNATURE_TAG = /^sha256-[0-9a-f]{64}(\.(sig|att|sbom))?$/

export async function prune(
  inputs: PruneInputs,
  log: { info(message: string): void }
): Promise<PrunePlan> {
  if (!Number.isInteger(inputs.keep) || inputs.keep < 0)
    throw new InputError(`keep: "${inputs.keep}" is not a number of tags`, {
      hint: 'e.g. --keep 10'
    })
  const text = inputs.repository.replace(/^oci:\/\//, '')
  const repository = parseRepository(text, 'repository')
  const registries = new RegistryPool({
    username: inputs.username,
    password: inputs.password,
    insecureRegistries: inputs.insecureRegistries,
    access: inputs.delete ? 'push' : 'pull',
    provider: inputs.provider,
    timeoutMs: inputs.timeoutMs,
    onSecret: () => undefined
  })
  const client = await registries.repository(repository)
  const tags = (await client.listTags()).filter(tag => !SIGNATURE_TAG.test(tag))
  const protectedTag = (tag: string) => inputs.protect.some(pattern => tagMatches(tag, pattern))
  const candidates = tags.filter(tag => tagMatches(tag, inputs.match) && !protectedTag(tag))
  const untouched = tags.filter(tag => !candidates.includes(tag))

  // Every tag's digest and created time (the manifest's annotation).
  const described = new Map<string, { digest: string; created: string | undefined }>()
  await Promise.all(
    tags.map(async tag => {
      const manifest = await client.getManifest(tag)
      if (!manifest) return
      let created: string | undefined
      try {
        const parsed = JSON.parse(manifest.bytes.toString()) as {
          annotations?: Record<string, unknown>
        }
        const value = parsed.annotations?.['org.opencontainers.image.created']
        created = typeof value === 'string' ? value : undefined
      } catch {
        created = undefined
      }
      described.set(tag, { digest: manifest.digest, created })
    })
  )
  const newestFirst = candidates
    .filter(tag => described.has(tag))
    .sort((a, b) => {
      const ca = described.get(a)?.created ?? ''
      const cb = described.get(b)?.created ?? ''
      return ca === cb ? b.localeCompare(a) : cb.localeCompare(ca)
    })
  const kept = newestFirst.slice(0, inputs.keep)
  const pruned = newestFirst.slice(inputs.keep)
  // A digest stays when any tag that stays points at it.
  const staying = new Set([...kept, ...untouched].flatMap(tag => described.get(tag)?.digest ?? []))
  const byDigest = new Map<string, string[]>()
  for (const tag of pruned) {
    const digest = described.get(tag)?.digest as string
    if (staying.has(digest)) continue
    byDigest.set(digest, [...(byDigest.get(digest) ?? []), tag])
  }
  const deleted: PrunePlan['deleted'] = []
  for (const [digest, tagsOfDigest] of byDigest) {
    deleted.push({
      digest,
      tags: tagsOfDigest.sort(),
      created: described.get(tagsOfDigest[0] as string)?.created,
      with: await companions(client, digest)
    })
  }
  const plan: PrunePlan = {
    repository: repositoryName(repository),
    kept: [...kept, ...untouched].sort(),
    deleted,
    applied: false
  }
  log.info(
    `${plan.repository}: keep ${plan.kept.length} tags, ${inputs.delete ? 'delete' : 'would delete'} ${deleted.length} artifacts (${deleted.reduce((n, d) => n + d.tags.length, 0)} tags)`
  )
  if (!inputs.delete) return plan
  for (const artifact of deleted) {
    // Companions first: a run stopped halfway leaves the artifact tagged, so a rerun finds
    // it and its companions again (deleted first, they could no longer be found).
    for (const digest of [...artifact.with, artifact.digest]) {
      try {
        await client.deleteManifest(digest)
      } catch (error) {
        if (
          error instanceof RegistryError &&
          (error.status === 405 || error.registryCode === 'UNSUPPORTED')
        )
          throw new RegistryError(
            `${plan.repository}'s registry does not allow deleting manifests`,
            {
              cause: error,
              hint: 'enable deletion on the registry (distribution: storage.delete.enabled), or prune with its own retention rules'
            }
          )
        throw error
      }
    }
    log.info(
      `deleted ${artifact.tags.join(', ')} (${artifact.digest}) and ${artifact.with.length} signature and referrer manifests`
    )
  }
  return { ...plan, applied: true }
}

/** The manifests that exist only for `digest`: its cosign .sig, its referrers and their index. */
async function companions(client: RepositoryClient, digest: string): Promise<string[]> {
  const found: string[] = []
  const signature = await client.getManifest(signatureTag(digest))
  if (signature) found.push(signature.digest)
  // The referrers tag's index and what it lists, and what the referrers API lists.
  const tagged = await listReferrers(client, digest, false)
  found.push(...tagged.entries.map(entry => entry.digest))
  if (tagged.index) found.push(tagged.index)
  if (await client.supportsReferrersApi()) {
    const listed = await listReferrers(client, digest, true)
    for (const entry of listed.entries) if (!found.includes(entry.digest)) found.push(entry.digest)
  }
  return found
}
