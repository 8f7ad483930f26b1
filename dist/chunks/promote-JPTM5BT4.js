import { createRequire as __fleetpackCreateRequire } from 'node:module';
const require = __fleetpackCreateRequire(import.meta.url);
import {
  checkIdentities,
  verifyArtifact
} from "./chunk-FICJDNQS.js";
import "./chunk-QHBVXJ5H.js";
import {
  RegistryPool
} from "./chunk-J5R3XMT4.js";
import "./chunk-5JHJT3VO.js";
import {
  loadTrustMaterial
} from "./chunk-43YUV5HG.js";
import "./chunk-356CTSXO.js";
import {
  parseManifestReference,
  repositoryName,
  validateTag
} from "./chunk-RXVVTKVU.js";
import {
  InputError,
  VerificationError
} from "./chunk-H43LIEXV.js";
import "./chunk-DC45UNIC.js";

// src/promote.ts
import { createPublicKey } from "node:crypto";
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
  const reference = parseManifestReference(source, "reference");
  checkIdentities(inputs.identities);
  const publicKey = inputs.publicKey ? createPublicKey(inputs.publicKey) : void 0;
  const trust = publicKey ? void 0 : await loadTrustMaterial(inputs.trustedRoot);
  const registries = new RegistryPool({
    username: inputs.username,
    password: inputs.password,
    insecureRegistries: inputs.insecureRegistries,
    access: "push",
    provider: inputs.provider,
    timeoutMs: inputs.timeoutMs,
    onSecret: inputs.onSecret ?? (() => void 0)
  });
  const client = await registries.repository(reference);
  const digest = reference.digest ?? await client.headManifest(reference.tag ?? "latest");
  if (!digest)
    throw new VerificationError(`${source} does not exist`, {
      hint: "check the repository and tag"
    });
  const verified = await verifyArtifact(client, digest, {
    identities: inputs.identities,
    publicKey,
    trust,
    sourceRepository: inputs.sourceRepository,
    sourceRepositoryId: inputs.sourceRepositoryId,
    sourceRef: inputs.sourceRef,
    fluxVersion: inputs.fluxVersion,
    strict: inputs.strict
  });
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
//# sourceMappingURL=promote-JPTM5BT4.js.map
