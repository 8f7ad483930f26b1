/**
 * Every error fleetpack raises on purpose is a FleetpackError: its message says
 * what went wrong, its hint says what the user should change, and its cause
 * keeps the underlying error for the debug log. Entry points print message and
 * hint; anything else that reaches them is a bug and is reported as one.
 */
export class FleetpackError extends Error {
  readonly hint: string | undefined

  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = new.target.name
    this.hint = options.hint
  }

  /** The message followed by the hint, as shown to users. */
  get explanation(): string {
    return this.hint ? `${this.message}\n  fix: ${this.hint}` : this.message
  }
}

/** A value given by the user (action input, CLI flag) is unusable. */
export class InputError extends FleetpackError {}

/** A directory cannot be turned into an artifact as it is. */
export class BuildError extends FleetpackError {}

/** Formats any thrown value for a log line, without a stack for our own errors. */
export function describeError(error: unknown): string {
  if (error instanceof FleetpackError) return error.explanation
  if (error instanceof Error) return error.stack ?? error.message
  return String(error)
}

/** The message of any thrown value; duck-typed, since errors may come from another realm. */
export function messageOf(error: unknown): string {
  return typeof error === 'object' && error !== null && 'message' in error
    ? String(error.message)
    : String(error)
}

/** Getting a certificate, a transparency-log entry or a signature failed. */
export class SigningError extends FleetpackError {}

/** A signature is missing, invalid, or from another identity. */
export class VerificationError extends FleetpackError {}
