import { createRequire as __fleetpackCreateRequire } from 'node:module';
const require = __fleetpackCreateRequire(import.meta.url);
import {
  FleetpackError
} from "./chunk-H43LIEXV.js";

// src/oci/errors.ts
var RegistryError = class extends FleetpackError {
  static defaultCode = "registry";
  constructor(message, options = {}) {
    super(message, options);
    this.status = options.status;
    this.registryCode = options.registryCode;
  }
  status;
  registryCode;
};
var RegistryAuthError = class extends RegistryError {
  static defaultCode = "registry-auth";
};

export {
  RegistryError,
  RegistryAuthError
};
//# sourceMappingURL=chunk-5JHJT3VO.js.map
