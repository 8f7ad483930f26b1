import { createPublicKey } from 'node:crypto'
import { FleetpackError, describeError } from '../errors.js'
import { RegistryPool } from '../oci/pool.js'
import { parseManifestReference, type ManifestReference } from '../oci/reference.js'
import type { RepositoryAccess, RepositoryClient } from '../oci/registry.js'
import { VerificationError } from '../errors.js'
import type { FluxVersion } from './flux.js'
import {
  checkIdentities,
  loadTrustMaterial,
  verifyArtifact,
  type IdentityPattern,
  type VerifyResult
} from './index.js'

/** What verification takes, from CLI flags or action inputs alike. */
export interface VerifyInputs {
  references: string[]
  identities: IdentityPattern[]
  /** A cosign public key's PEM text, for key-based signatures. */
  publicKey?: string | undefined
  trustedRoot?: string | undefined
  sourceRepository?: string | undefined
  sourceRepositoryId?: string | undefined
  sourceRef?: string | undefined
  /** Whose verdict decides (default: the newest Flux). */
  fluxVersion?: FluxVersion | undefined
  /** Warnings fail the verification too. */
  strict?: boolean | undefined
  insecureRegistries: string[]
  /** Every registry request's timeout (FLEETPACK_REQUEST_TIMEOUT), as for publishing. */
  timeoutMs?: number | undefined
  username?: string | undefined
  password?: string | undefined
  onSecret?: (secret: string) => void
  /** aws: registry tokens from ECR's GetAuthorizationToken. */
  provider?: 'generic' | 'aws'
}

export type VerifiedReference = VerifyResult & { reference: string }

export { parseFluxVersion } from './flux.js'

/**
 * What verifying references needs, prepared once: the identities checked,
 * the key or the trust root loaded, one registry pool (pull access for
 * verifying, push for promoting what verified). `verify` then resolves one
 * reference to its digest and gives Flux's verdict on it.
 */
export async function prepareVerification(
  inputs: VerifyInputs,
  access: RepositoryAccess = 'pull'
): Promise<{
  verify(
    text: string
  ): Promise<{ store: RepositoryClient; reference: ManifestReference; result: VerifyResult }>
  /** The repository of a reference, through the same registries (for writing, with push access). */
  target(text: string): Promise<{ store: RepositoryClient; reference: ManifestReference }>
}> {
  checkIdentities(inputs.identities)
  const publicKey = inputs.publicKey ? createPublicKey(inputs.publicKey) : undefined
  const trust = publicKey ? undefined : await loadTrustMaterial(inputs.trustedRoot)
  const registries = new RegistryPool({
    username: inputs.username,
    password: inputs.password,
    insecureRegistries: inputs.insecureRegistries,
    access,
    provider: inputs.provider,
    timeoutMs: inputs.timeoutMs,
    onSecret: inputs.onSecret ?? (() => undefined)
  })
  return {
    async target(text) {
      const reference = parseManifestReference(text, 'to-repository')
      return { store: await registries.repository(reference), reference }
    },
    async verify(text) {
      const reference = parseManifestReference(text, 'reference')
      const store = await registries.repository(reference)
      const digest = reference.digest ?? (await store.headManifest(reference.tag ?? 'latest'))
      if (!digest)
        throw new VerificationError(`${text} does not exist`, {
          hint: 'check the repository and tag'
        })
      const result = await verifyArtifact(store, digest, {
        identities: inputs.identities,
        publicKey,
        trust,
        sourceRepository: inputs.sourceRepository,
        sourceRepositoryId: inputs.sourceRepositoryId,
        sourceRef: inputs.sourceRef,
        fluxVersion: inputs.fluxVersion,
        strict: inputs.strict
      })
      return { store, reference, result }
    }
  }
}

/** Verifies each reference; fails at the end, naming every reference that did not verify. */
export async function verifyReferences(inputs: VerifyInputs): Promise<VerifiedReference[]> {
  // Every reference parsed before anything is fetched: a typo fails at once.
  for (const text of inputs.references) parseManifestReference(text, 'reference')
  const verification = await prepareVerification(inputs)
  const results: VerifiedReference[] = []
  const failures: string[] = []
  for (const text of inputs.references) {
    try {
      results.push({ reference: text, ...(await verification.verify(text)).result })
    } catch (error) {
      failures.push(`${text}: ${describeError(error)}`)
    }
  }
  if (failures.length > 0) {
    throw new FleetpackError(
      inputs.references.length === 1
        ? (failures[0] as string)
        : `${failures.length} of ${inputs.references.length} artifacts did not verify:\n${failures.join('\n')}`
    )
  }
  return results
}
