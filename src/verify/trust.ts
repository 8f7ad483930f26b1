import { readFile } from 'node:fs/promises'
import { TrustedRoot } from '@sigstore/protobuf-specs'
import { getTrustedRoot } from '@sigstore/tuf'
import { toTrustMaterial, type TrustMaterial } from '@sigstore/verify'
import { InputError } from '../errors.js'
import { VerificationError } from '../errors.js'

/**
 * The roots signatures are checked against: a trusted_root.json file (a
 * private Sigstore deployment, or the tests' local stack), else the
 * public-good instance's, fetched and verified through Sigstore's TUF
 * repository as cosign and Flux do.
 */
export async function loadTrustMaterial(
  trustedRootPath: string | undefined,
  tufCachePath?: string
): Promise<TrustMaterial> {
  if (trustedRootPath) {
    let json: unknown
    try {
      json = JSON.parse(await readFile(trustedRootPath, 'utf8'))
    } catch (cause) {
      throw new InputError(`trusted-root: cannot read ${trustedRootPath} as JSON`, {
        cause,
        hint: 'give the path of a trusted_root.json (cosign trusted-root create writes one)'
      })
    }
    try {
      return toTrustMaterial(TrustedRoot.fromJSON(json))
    } catch (cause) {
      throw new InputError(`trusted-root: ${trustedRootPath} is not a Sigstore trusted root`, {
        cause
      })
    }
  }
  try {
    return toTrustMaterial(await getTrustedRoot(tufCachePath ? { cachePath: tufCachePath } : {}))
  } catch (cause) {
    throw new VerificationError('cannot fetch the Sigstore public-good trust root through TUF', {
      cause,
      hint: 'check that the runner reaches tuf-repo-cdn.sigstore.dev, or give trusted-root'
    })
  }
}
