import { FleetpackError } from '../errors.js'

/** A registry answered with an error, or could not be reached. */
export class RegistryError extends FleetpackError {
  constructor(
    message: string,
    options: { hint?: string; cause?: unknown; status?: number; code?: string } = {}
  ) {
    super(message, options)
    this.status = options.status
    this.code = options.code
  }
  readonly status: number | undefined
  readonly code: string | undefined
}

/** The registry refused our credentials, or they do not allow the operation. */
export class RegistryAuthError extends RegistryError {}
