import { createRequire as __fleetpackCreateRequire } from 'node:module';
const require = __fleetpackCreateRequire(import.meta.url);
import {
  prepareVerification,
  verifyReferences
} from "./chunk-NR4RW7FJ.js";
import "./chunk-AOTCHHCP.js";
import {
  parseFluxVersion
} from "./chunk-QHBVXJ5H.js";
import "./chunk-5BMK2G7T.js";
import "./chunk-5JHJT3VO.js";
import "./chunk-VA3B677R.js";
import "./chunk-KNRDQAWE.js";
import "./chunk-ZMMS22VM.js";
import "./chunk-VRUUYRFZ.js";
import "./chunk-H43LIEXV.js";
import "./chunk-DC45UNIC.js";
export {
  parseFluxVersion,
  prepareVerification,
  verifyReferences
};
//# sourceMappingURL=run-LCWBW2XR.js.map
