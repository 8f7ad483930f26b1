/**
 * Every error fleetpack raises on purpose is a FleetpackError: its message says
 * what went wrong, its hint says what the user should change, and its cause
 * keeps the underlying error for the debug log. Entry points print message and
 * hint; anything else that reaches them is a bug and is reported as one.
 */
export class FleetpackError extends Error {
  /** The code each kind of error has unless it is given a more precise one. */
  static readonly defaultCode: ErrorCode = 'failed'
  readonly hint: string | undefined
  /** What went wrong, for code and tests to branch on (the message is for people). */
  readonly code: ErrorCode

  constructor(
    message: string,
    options: { hint?: string; cause?: unknown; code?: ErrorCode | undefined } = {}
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = new.target.name
    this.hint = options.hint
    this.code = options.code ?? new.target.defaultCode
  }

  /** The message followed by the hint, as shown to users. */
  get explanation(): string {
    return this.hint ? `${this.message}\n  fix: ${this.hint}` : this.message
  }
}

/**
 * Every kind of failure fleetpack reports on purpose. The message says it
 * in words; the code is stable, for code and tests to branch on.
 */
export type ErrorCode =
  /** Something of ours failed in a way no narrower code names. */
  | 'failed'
  /** An input or flag is unusable: its name and the fix are in the message. */
  | 'input'
  /** A required input or flag is missing. */
  | 'input-missing'
  /** A directory cannot become an artifact as it is (empty, unreadable, unsafe link). */
  | 'build'
  /** The registry answered with an error no narrower code names. */
  | 'registry'
  /** The registry could not be reached. */
  | 'registry-unreachable'
  /** The registry did not answer in time. */
  | 'registry-timeout'
  /** The registry wants (other) credentials. */
  | 'registry-auth'
  /** The credentials are valid but may not do this (push, or read). */
  | 'registry-denied'
  /** The repository does not exist (ECR and Harbor need it created first). */
  | 'registry-name-unknown'
  /** The registry asked to wait longer than fleetpack waits. */
  | 'registry-rate-limited'
  /** The registry sent more than such an answer can hold. */
  | 'registry-answer-too-large'
  /** The registry refused to move a tag that holds another digest (immutable tags). */
  | 'registry-tag-immutable'
  /** The registry stored something other than what was sent. */
  | 'registry-mismatch'
  /** Getting a certificate, a log entry or a signature failed. */
  | 'signing'
  /** A signature is missing, invalid, or from another identity. */
  | 'verification'
  /** Some components of a publish failed (the others are reported). */
  | 'publish-incomplete'

/** A value given by the user (action input, CLI flag) is unusable. */
export class InputError extends FleetpackError {
  static override readonly defaultCode: ErrorCode = 'input'
}

/** A directory cannot be turned into an artifact as it is. */
export class BuildError extends FleetpackError {
  static override readonly defaultCode: ErrorCode = 'build'
}

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
export class SigningError extends FleetpackError {
  static override readonly defaultCode: ErrorCode = 'signing'
}

/** A signature is missing, invalid, or from another identity. */
export class VerificationError extends FleetpackError {
  static override readonly defaultCode: ErrorCode = 'verification'
}
