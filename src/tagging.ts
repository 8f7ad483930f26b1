import type { Content } from './oci/content.js'
import { RegistryError } from './oci/errors.js'
import type { ManifestStore } from './oci/registry.js'

/**
 * Puts every tag on the manifest. A registry with immutable tags (ECR's
 * IMMUTABLE repositories, Harbor's immutability rules) refuses to write a
 * tag that exists: when the tag already holds this digest that is success
 * (a rerun), and when it holds another, the error names the tag, what it
 * holds, and which tags did move, instead of a bare HTTP error.
 */
export async function applyTags(
  client: ManifestStore,
  manifest: Content,
  tags: readonly string[],
  note: (line: string) => void
): Promise<void> {
  const digest = manifest.descriptor.digest
  const outcomes = await Promise.allSettled(
    tags.map(async tag => {
      try {
        await client.putManifest(tag, manifest)
        note(`tagged ${tag}`)
      } catch (error) {
        if (!refusedWrite(error)) throw error
        const held = (await client.getManifest(tag).catch(() => undefined))?.digest
        if (held === digest) {
          note(`${tag} already holds ${digest} (the registry does not rewrite it)`)
          return
        }
        if (held === undefined) throw error
        throw new RegistryError(
          `the registry refused to move tag ${tag}, which holds ${held}, to ${digest}: its tags are immutable`,
          {
            code: 'registry-tag-immutable',
            cause: error,
            hint: 'with immutable tags, tag each build uniquely (tags: {version} or main-{sha:8}) and leave moving tags such as latest out, or make the repository’s tags mutable'
          }
        )
      }
    })
  )
  const failed = outcomes.flatMap((outcome, i) =>
    outcome.status === 'rejected' ? [{ tag: tags[i], error: outcome.reason as unknown }] : []
  )
  if (failed.length === 0) return
  const moved = tags.filter((_, i) => outcomes[i]?.status === 'fulfilled')
  if (moved.length > 0) note(`tags that did move to ${digest}: ${moved.join(', ')}`)
  throw failed[0]?.error
}

/** A 4xx refusal of a write that is neither about credentials nor a rate limit. */
function refusedWrite(error: unknown): boolean {
  return (
    error instanceof RegistryError &&
    error.status !== undefined &&
    error.status >= 400 &&
    error.status < 500 &&
    ![401, 403, 404, 408, 429].includes(error.status)
  )
}
