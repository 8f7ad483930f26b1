import { createRequire as __fleetpackCreateRequire } from 'node:module';
const require = __fleetpackCreateRequire(import.meta.url);
import {
  prepareVerification,
  verifyReferences
} from "./chunk-5L7B7GMG.js";
import "./chunk-JV7DJJ7A.js";
import {
  parseFluxVersion
} from "./chunk-QHBVXJ5H.js";
import "./chunk-5BMK2G7T.js";
import "./chunk-5JHJT3VO.js";
import "./chunk-4PIXAMPO.js";
import "./chunk-6FXZJEEJ.js";
import "./chunk-ZMMS22VM.js";
import "./chunk-VRUUYRFZ.js";
import "./chunk-H43LIEXV.js";
import "./chunk-DC45UNIC.js";
export {
  parseFluxVersion,
  prepareVerification,
  verifyReferences
};
//# sourceMappingURL=run-TKS5JPN3.js.map
