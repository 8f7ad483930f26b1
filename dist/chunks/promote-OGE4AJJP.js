import { createRequire as __fleetpackCreateRequire } from 'node:module';
const require = __fleetpackCreateRequire(import.meta.url);
import {
  prepareVerification
} from "./chunk-ZKPX3JIM.js";
import "./chunk-FICJDNQS.js";
import "./chunk-QHBVXJ5H.js";
import "./chunk-J5R3XMT4.js";
import "./chunk-5JHJT3VO.js";
import "./chunk-43YUV5HG.js";
import "./chunk-356CTSXO.js";
import {
  repositoryName,
  validateTag
} from "./chunk-RXVVTKVU.js";
import {
  InputError,
  VerificationError
} from "./chunk-H43LIEXV.js";
import "./chunk-DC45UNIC.js";

// src/promote.ts
async function promote(inputs, log) {
  const [source, ...extra] = inputs.references;
  if (source === void 0 || extra.length > 0)
    throw new InputError("promote takes exactly one source artifact", {
      code: "input-missing",
      hint: "e.g. fleetpack promote oci://ghcr.io/org/fleet/podinfo:latest --to stable"
    });
  if (inputs.to.length === 0)
    throw new InputError("promote needs a tag to move (--to / to)", {
      code: "input-missing",
      hint: "e.g. --to stable"
    });
  const tags = inputs.to.map((tag) => validateTag(tag, "to"));
  const verification = await prepareVerification(inputs, "push");
  const { store: client, reference, result: verified } = await verification.verify(source);
  const digest = verified.digest;
  log.info(`${source} is ${digest}; verified (${verified.format}, Flux ${verified.fluxVersion})`);
  const manifest = await client.getManifest(digest);
  if (!manifest)
    throw new VerificationError(
      `${digest} disappeared from ${repositoryName(reference)} after it verified`,
      {
        hint: "someone deleted it meanwhile; run again"
      }
    );
  const content = {
    bytes: manifest.bytes,
    descriptor: { mediaType: manifest.mediaType, size: manifest.bytes.length, digest }
  };
  for (const tag of tags) {
    await client.putManifest(tag, content);
    log.info(`tagged ${tag} \u2192 ${digest}`);
  }
  return { reference: source, repository: repositoryName(reference), digest, tags, verified };
}
export {
  promote
};
//# sourceMappingURL=promote-OGE4AJJP.js.map
