import { createRequire as __fleetpackCreateRequire } from 'node:module';
const require = __fleetpackCreateRequire(import.meta.url);
import {
  prepareVerification,
  verifyReferences
} from "./chunk-ZKPX3JIM.js";
import "./chunk-FICJDNQS.js";
import {
  parseFluxVersion
} from "./chunk-QHBVXJ5H.js";
import "./chunk-J5R3XMT4.js";
import "./chunk-5JHJT3VO.js";
import "./chunk-43YUV5HG.js";
import "./chunk-356CTSXO.js";
import "./chunk-RXVVTKVU.js";
import "./chunk-H43LIEXV.js";
import "./chunk-DC45UNIC.js";
export {
  parseFluxVersion,
  prepareVerification,
  verifyReferences
};
//# sourceMappingURL=run-ZTFZXTVD.js.map
