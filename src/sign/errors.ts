import { FleetpackError } from '../errors.js'

/** Getting a certificate, a transparency-log entry or a signature failed. */
export class SigningError extends FleetpackError {}

/** A signature is missing, invalid, or from another identity. */
export class VerificationError extends FleetpackError {}
