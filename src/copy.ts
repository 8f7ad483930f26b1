import { listReferrers, referrersTag, type ReferrerDescriptor } from './cosign/bundle.js'
import { signatureTag } from './cosign/legacy.js'
import { OCI_INDEX_MEDIA_TYPE, content, type Descriptor } from './oci/content.js'
import { RegistryError } from './oci/errors.js'
import type { RepositoryClient } from './oci/registry.js'

/**
 * Copies an artifact from one repository to another (another registry, say
 * staging's to production's) with everything that makes it verifiable
 * there: its blobs and manifest by digest, its cosign `.sig`, and its
 * referrers (Sigstore bundles, provenance), through the target's referrers
 * API where it has one, else its referrers tag. Digests do not change, so
 * signatures made for the source verify at the target.
 */

/** Largest blob copied (config artifacts are small; a bound against a hostile source). */
const MAX_BLOB = 1024 * 1024 * 1024

export async function copyArtifact(
  from: RepositoryClient,
  to: RepositoryClient,
  digest: string,
  log: (line: string) => void
): Promise<void> {
  await copyManifest(from, to, digest, digest)
  const signature = await from.getManifest(signatureTag(digest))
  if (signature) {
    await copyManifest(from, to, signature.digest, signatureTag(digest))
    log(`copied the cosign signature ${signatureTag(digest)}`)
  }
  const { entries: referrers } = await listReferrers(
    from,
    digest,
    await from.supportsReferrersApi()
  )
  for (const referrer of referrers) await copyManifest(from, to, referrer.digest, referrer.digest)
  if (referrers.length > 0 && !(await to.supportsReferrersApi())) {
    // The target finds them through its referrers tag: merge ours into what is there.
    const existing = await to.getManifest(referrersTag(digest))
    const present = existing
      ? ((JSON.parse(existing.bytes.toString()) as { manifests?: ReferrerDescriptor[] })
          .manifests ?? [])
      : []
    const merged = [...present, ...referrers.filter(r => !present.some(p => p.digest === r.digest))]
    await to.putManifest(
      referrersTag(digest),
      content(
        OCI_INDEX_MEDIA_TYPE,
        Buffer.from(
          JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX_MEDIA_TYPE, manifests: merged })
        )
      )
    )
  }
  if (referrers.length > 0) log(`copied ${referrers.length} referrers`)
}

/** A manifest (by digest) and its config and layers, stored at `reference` in the target. */
async function copyManifest(
  from: RepositoryClient,
  to: RepositoryClient,
  digest: string,
  reference: string
): Promise<void> {
  const manifest = await from.getManifest(digest) // its bytes hash to the digest, or it throws
  if (!manifest) throw new RegistryError(`${digest} is not in the source repository`)
  const parsed = JSON.parse(manifest.bytes.toString()) as {
    config?: Descriptor
    layers?: Descriptor[]
  }
  for (const blob of [parsed.config, ...(parsed.layers ?? [])]) {
    if (!blob || typeof blob.digest !== 'string' || typeof blob.size !== 'number') continue
    if (blob.size > MAX_BLOB)
      throw new RegistryError(`blob ${blob.digest} is larger than ${MAX_BLOB} bytes`)
    if (await to.blobExists(blob.digest)) continue
    // Read in full within its descriptor's size; getBlob checks the digest.
    const bytes = await from.getBlob(blob.digest, blob.size)
    await to.pushBlob(blob, { bytes }, { knownAbsent: true })
  }
  await to.putManifest(reference, {
    bytes: manifest.bytes,
    descriptor: { mediaType: manifest.mediaType, size: manifest.bytes.length, digest }
  })
}
