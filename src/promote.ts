import { InputError, VerificationError } from './errors.js'
import { repositoryName, validateTag } from './oci/reference.js'
import type { VerifyResult } from './verify/index.js'
import { prepareVerification, type VerifyInputs } from './verify/run.js'

/**
 * Promotion (`latest` → `stable` after checks) without the shell step that
 * may move a tag to an unverified digest: the source is resolved to one
 * digest, that digest is verified as Flux would verify it (the identities
 * the target's clusters use), and only that exact manifest, read by digest,
 * is written under the new tags. A tag that moves on the source meanwhile
 * changes nothing.
 */

export type PromoteInputs = VerifyInputs & {
  /** The tags to put on the verified digest. */
  to: string[]
  /**
   * Where the tags go: oci://registry/repository. The artifact is copied
   * there with its signatures and referrers, and verified there again,
   * before any tag moves. Default: the source's repository.
   */
  toRepository?: string | undefined
}

export interface Promotion {
  reference: string
  repository: string
  digest: string
  tags: string[]
  verified: VerifyResult
}

export async function promote(
  inputs: PromoteInputs,
  log: { info(message: string): void }
): Promise<Promotion> {
  const [source, ...extra] = inputs.references
  if (source === undefined || extra.length > 0)
    throw new InputError('promote takes exactly one source artifact', {
      code: 'input-missing',
      hint: 'e.g. fleetpack promote oci://ghcr.io/org/fleet/podinfo:latest --to stable'
    })
  if (inputs.to.length === 0)
    throw new InputError('promote needs a tag to move (--to / to)', {
      code: 'input-missing',
      hint: 'e.g. --to stable'
    })
  const tags = inputs.to.map(tag => validateTag(tag, 'to'))
  // Flux's verdict on the digest the source resolves to, or a VerificationError that says why not.
  const verification = await prepareVerification(inputs, 'push')
  const {
    store: from,
    reference: sourceReference,
    result: verified
  } = await verification.verify(source)
  const digest = verified.digest
  log.info(`${source} is ${digest}; verified (${verified.format}, Flux ${verified.fluxVersion})`)
  let client = from
  let reference = sourceReference
  if (inputs.toRepository) {
    // Copied with its signatures and referrers, then Flux's verdict again, at the target.
    const target = `${inputs.toRepository.replace(/^oci:\/\//, '').replace(/\/+$/, '')}@${digest}`
    const { copyArtifact } = await import('./copy.js')
    const there = await verification.target(target)
    await copyArtifact(from, there.store, digest, line => log.info(line))
    const again = await verification.verify(`oci://${target}`)
    log.info(`${target}: verified again after the copy (${again.result.format})`)
    client = again.store
    reference = again.reference
  }
  // The manifest by digest (getManifest checks its bytes hash to it): what was verified, exactly.
  const manifest = await client.getManifest(digest)
  if (!manifest)
    throw new VerificationError(
      `${digest} disappeared from ${repositoryName(reference)} after it verified`,
      {
        hint: 'someone deleted it meanwhile; run again'
      }
    )
  const content = {
    bytes: manifest.bytes,
    descriptor: { mediaType: manifest.mediaType, size: manifest.bytes.length, digest }
  }
  for (const tag of tags) {
    await client.putManifest(tag, content)
    log.info(`tagged ${tag} → ${digest}`)
  }
  return { reference: source, repository: repositoryName(reference), digest, tags, verified }
}
