import { createRequire as __fleetpackCreateRequire } from 'node:module';
const require = __fleetpackCreateRequire(import.meta.url);
import {
  checkIdentities,
  verifyArtifact
} from "./chunk-JV7DJJ7A.js";
import {
  RegistryPool
} from "./chunk-5BMK2G7T.js";
import {
  loadTrustMaterial
} from "./chunk-4PIXAMPO.js";
import {
  parseManifestReference
} from "./chunk-ZMMS22VM.js";
import {
  FleetpackError,
  VerificationError,
  describeError
} from "./chunk-H43LIEXV.js";

// src/verify/run.ts
import { createPublicKey } from "node:crypto";
async function prepareVerification(inputs, access = "pull") {
  checkIdentities(inputs.identities);
  const publicKey = inputs.publicKey ? createPublicKey(inputs.publicKey) : void 0;
  const trust = publicKey ? void 0 : await loadTrustMaterial(inputs.trustedRoot);
  const registries = new RegistryPool({
    username: inputs.username,
    password: inputs.password,
    insecureRegistries: inputs.insecureRegistries,
    access,
    provider: inputs.provider,
    timeoutMs: inputs.timeoutMs,
    onSecret: inputs.onSecret ?? (() => void 0)
  });
  return {
    async target(text) {
      const reference = parseManifestReference(text, "to-repository");
      return { store: await registries.repository(reference), reference };
    },
    async verify(text) {
      const reference = parseManifestReference(text, "reference");
      const store = await registries.repository(reference);
      const digest = reference.digest ?? await store.headManifest(reference.tag ?? "latest");
      if (!digest)
        throw new VerificationError(`${text} does not exist`, {
          hint: "check the repository and tag"
        });
      const result = await verifyArtifact(store, digest, {
        identities: inputs.identities,
        publicKey,
        trust,
        sourceRepository: inputs.sourceRepository,
        sourceRepositoryId: inputs.sourceRepositoryId,
        sourceRef: inputs.sourceRef,
        fluxVersion: inputs.fluxVersion,
        strict: inputs.strict
      });
      return { store, reference, result };
    }
  };
}
async function verifyReferences(inputs) {
  for (const text of inputs.references) parseManifestReference(text, "reference");
  const verification = await prepareVerification(inputs);
  const results = [];
  const failures = [];
  for (const text of inputs.references) {
    try {
      results.push({ reference: text, ...(await verification.verify(text)).result });
    } catch (error) {
      failures.push(`${text}: ${describeError(error)}`);
    }
  }
  if (failures.length > 0) {
    throw new FleetpackError(
      inputs.references.length === 1 ? failures[0] : `${failures.length} of ${inputs.references.length} artifacts did not verify:
${failures.join("\n")}`
    );
  }
  return results;
}

export {
  prepareVerification,
  verifyReferences
};
//# sourceMappingURL=chunk-5L7B7GMG.js.map
