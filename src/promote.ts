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
  /** The tags to put on the verified digest, in the source's repository. */
  to: string[]
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
  const { store: client, reference, result: verified } = await verification.verify(source)
  const digest = verified.digest
  log.info(`${source} is ${digest}; verified (${verified.format}, Flux ${verified.fluxVersion})`)
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
