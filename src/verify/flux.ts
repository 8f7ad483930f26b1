import { InputError } from '../errors.js'

/**
 * The Flux generations whose verification fleetpack reproduces, and how a
 * verdict per generation is named and shown. Apart from the verification
 * itself (and its Sigstore libraries) so that inputs, reports and help can
 * use it without loading them.
 */

/** The Flux generations whose verification fleetpack reproduces, oldest first. */
export const FLUX_VERSIONS = ['2.7', '2.8', '2.9'] as const
export type FluxVersion = (typeof FLUX_VERSIONS)[number]
export const NEWEST_FLUX: FluxVersion = '2.9'

/** What one Flux generation's source-controller decides for this artifact. */
export interface FluxVerdict {
  flux: FluxVersion
  /** The path source-controller takes: bundles when any bundle referrer exists (>= 2.8), else the legacy .sig. */
  path: 'legacy' | 'bundle'
  /** accepts, rejects, or depends on an online Rekor lookup fleetpack does not make. */
  verdict: 'accepts' | 'rejects' | 'online'
  reason: string
  /** Refused before any signature is looked at (how Flux treats the identities given). */
  refusal?: 'several identities' | 'no identity'
}

/** One line per Flux generation: "Flux 2.7 accepts (legacy); Flux 2.9 rejects (bundle): …". */
export function fluxTable(verdicts: readonly FluxVerdict[]): string {
  return verdicts.map(v => `Flux ${v.flux} ${v.verdict} (${v.path}): ${v.reason}`).join('\n  ')
}

/** A --flux-version / flux-version value, checked. */
export function parseFluxVersion(value: string, inputName: string): FluxVersion {
  const version = value.replace(/^v/, '').split('.').slice(0, 2).join('.')
  if ((FLUX_VERSIONS as readonly string[]).includes(version)) return version as FluxVersion
  throw new InputError(`${inputName}: "${value}" is not a Flux version fleetpack reproduces`, {
    hint: `use one of ${FLUX_VERSIONS.join(', ')} (the version of Flux your clusters run; patch releases verify alike)`
  })
}
