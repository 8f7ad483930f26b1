import { FleetpackError, type ErrorCode } from '../errors.js'

/** A registry answered with an error, or could not be reached. */
export class RegistryError extends FleetpackError {
  static override readonly defaultCode: ErrorCode = 'registry'
  constructor(
    message: string,
    options: {
      hint?: string
      cause?: unknown
      status?: number
      /** The registry's own error code (the distribution spec's NAME_UNKNOWN, DENIED, …). */
      registryCode?: string | undefined
      code?: ErrorCode
    } = {}
  ) {
    super(message, options)
    this.status = options.status
    this.registryCode = options.registryCode
  }
  readonly status: number | undefined
  readonly registryCode: string | undefined
}

/** The registry refused our credentials, or they do not allow the operation. */
export class RegistryAuthError extends RegistryError {
  static override readonly defaultCode: ErrorCode = 'registry-auth'
}
