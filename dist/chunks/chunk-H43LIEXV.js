import { createRequire as __fleetpackCreateRequire } from 'node:module';
const require = __fleetpackCreateRequire(import.meta.url);

// src/errors.ts
var FleetpackError = class extends Error {
  /** The code each kind of error has unless it is given a more precise one. */
  static defaultCode = "failed";
  hint;
  /** What went wrong, for code and tests to branch on (the message is for people). */
  code;
  constructor(message, options = {}) {
    super(message, options.cause === void 0 ? void 0 : { cause: options.cause });
    this.name = new.target.name;
    this.hint = options.hint;
    this.code = options.code ?? new.target.defaultCode;
  }
  /** The message followed by the hint, as shown to users. */
  get explanation() {
    return this.hint ? `${this.message}
  fix: ${this.hint}` : this.message;
  }
};
var InputError = class extends FleetpackError {
  static defaultCode = "input";
};
var BuildError = class extends FleetpackError {
  static defaultCode = "build";
};
function describeError(error) {
  if (error instanceof FleetpackError) return error.explanation;
  if (error instanceof Error) return error.stack ?? error.message;
  return String(error);
}
function messageOf(error) {
  return typeof error === "object" && error !== null && "message" in error ? String(error.message) : String(error);
}
var SigningError = class extends FleetpackError {
  static defaultCode = "signing";
};
var VerificationError = class extends FleetpackError {
  static defaultCode = "verification";
};

export {
  FleetpackError,
  InputError,
  BuildError,
  describeError,
  messageOf,
  SigningError,
  VerificationError
};
//# sourceMappingURL=chunk-H43LIEXV.js.map
