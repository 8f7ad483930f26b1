import { createRequire as __fleetpackCreateRequire } from 'node:module';
const require = __fleetpackCreateRequire(import.meta.url);
import {
  prepareVerification
} from "./chunk-5L7B7GMG.js";
import "./chunk-JV7DJJ7A.js";
import "./chunk-QHBVXJ5H.js";
import "./chunk-5BMK2G7T.js";
import "./chunk-5JHJT3VO.js";
import "./chunk-4PIXAMPO.js";
import "./chunk-6FXZJEEJ.js";
import {
  repositoryName,
  validateTag
} from "./chunk-ZMMS22VM.js";
import "./chunk-VRUUYRFZ.js";
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
  const {
    store: from,
    reference: sourceReference,
    result: verified
  } = await verification.verify(source);
  const digest = verified.digest;
  log.info(`${source} is ${digest}; verified (${verified.format}, Flux ${verified.fluxVersion})`);
  let client = from;
  let reference = sourceReference;
  if (inputs.toRepository) {
    const target = `${inputs.toRepository.replace(/^oci:\/\//, "").replace(/\/+$/, "")}@${digest}`;
    const { copyArtifact } = await import("./copy-COXQB2DH.js");
    const there = await verification.target(target);
    await copyArtifact(from, there.store, digest, (line) => log.info(line));
    const again = await verification.verify(`oci://${target}`);
    log.info(`${target}: verified again after the copy (${again.result.format})`);
    client = again.store;
    reference = again.reference;
  }
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
//# sourceMappingURL=promote-RBBIVYDU.js.map
