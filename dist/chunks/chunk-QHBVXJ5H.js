import { createRequire as __fleetpackCreateRequire } from 'node:module';
const require = __fleetpackCreateRequire(import.meta.url);
import {
  InputError
} from "./chunk-H43LIEXV.js";

// src/verify/flux.ts
var FLUX_VERSIONS = ["2.7", "2.8", "2.9"];
var NEWEST_FLUX = "2.9";
function fluxTable(verdicts) {
  return verdicts.map((v) => `Flux ${v.flux} ${v.verdict} (${v.path}): ${v.reason}`).join("\n  ");
}
function parseFluxVersion(value, inputName) {
  const version = value.replace(/^v/, "").split(".").slice(0, 2).join(".");
  if (FLUX_VERSIONS.includes(version)) return version;
  throw new InputError(`${inputName}: "${value}" is not a Flux version fleetpack reproduces`, {
    hint: `use one of ${FLUX_VERSIONS.join(", ")} (the version of Flux your clusters run; patch releases verify alike)`
  });
}

export {
  FLUX_VERSIONS,
  NEWEST_FLUX,
  fluxTable,
  parseFluxVersion
};
//# sourceMappingURL=chunk-QHBVXJ5H.js.map
