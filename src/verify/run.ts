import { createPublicKey } from 'node:crypto'
import { FleetpackError, describeError } from '../errors.js'
import { RegistryPool } from '../oci/pool.js'
import { parseManifestReference } from '../oci/reference.js'
import { VerificationError } from '../errors.js'
import {
  checkIdentities,
  loadTrustMaterial,
  verifyArtifact,
  type FluxVersion,
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

/** Verifies each reference; fails at the end, naming every reference that did not verify. */
export async function verifyReferences(inputs: VerifyInputs): Promise<VerifiedReference[]> {
  const references = inputs.references.map(text => ({
    text,
    reference: parseManifestReference(text, 'reference')
  }))
  checkIdentities(inputs.identities)
  const publicKey = inputs.publicKey ? createPublicKey(inputs.publicKey) : undefined
  const trust = publicKey ? undefined : await loadTrustMaterial(inputs.trustedRoot)
  const registries = new RegistryPool({
    username: inputs.username,
    password: inputs.password,
    insecureRegistries: inputs.insecureRegistries,
    access: 'pull',
    provider: inputs.provider,
    timeoutMs: inputs.timeoutMs,
    onSecret: inputs.onSecret ?? (() => undefined)
  })
  const results: VerifiedReference[] = []
  const failures: string[] = []
  for (const { text, reference } of references) {
    try {
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
      results.push({ reference: text, ...result })
    } catch (error) {
      failures.push(`${text}: ${describeError(error)}`)
    }
  }
  if (failures.length > 0) {
    throw new FleetpackError(
      references.length === 1
        ? (failures[0] as string)
        : `${failures.length} of ${references.length} artifacts did not verify:\n${failures.join('\n')}`
    )
  }
  return results
}
