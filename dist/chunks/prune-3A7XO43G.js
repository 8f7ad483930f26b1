import { createRequire as __fleetpackCreateRequire } from 'node:module';
const require = __fleetpackCreateRequire(import.meta.url);
import {
  RegistryPool
} from "./chunk-5BMK2G7T.js";
import {
  RegistryError
} from "./chunk-5JHJT3VO.js";
import {
  listReferrers,
  signatureTag
} from "./chunk-6FXZJEEJ.js";
import {
  parseRepository,
  repositoryName
} from "./chunk-ZMMS22VM.js";
import "./chunk-VRUUYRFZ.js";
import {
  InputError
} from "./chunk-H43LIEXV.js";
import "./chunk-DC45UNIC.js";

// src/prune.ts
function tagMatches(tag, pattern) {
  const regex = pattern.split("").map((c) => c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")).join("");
  return new RegExp(`^${regex}$`).test(tag);
}
var SIGNATURE_TAG = /^sha256-[0-9a-f]{64}(\.(sig|att|sbom))?$/;
async function prune(inputs, log) {
  if (!Number.isInteger(inputs.keep) || inputs.keep < 0)
    throw new InputError(`keep: "${inputs.keep}" is not a number of tags`, {
      hint: "e.g. --keep 10"
    });
  const text = inputs.repository.replace(/^oci:\/\//, "");
  const repository = parseRepository(text, "repository");
  const registries = new RegistryPool({
    username: inputs.username,
    password: inputs.password,
    insecureRegistries: inputs.insecureRegistries,
    access: inputs.delete ? "push" : "pull",
    provider: inputs.provider,
    timeoutMs: inputs.timeoutMs,
    onSecret: () => void 0
  });
  const client = await registries.repository(repository);
  const tags = (await client.listTags()).filter((tag) => !SIGNATURE_TAG.test(tag));
  const protectedTag = (tag) => inputs.protect.some((pattern) => tagMatches(tag, pattern));
  const candidates = tags.filter((tag) => tagMatches(tag, inputs.match) && !protectedTag(tag));
  const untouched = tags.filter((tag) => !candidates.includes(tag));
  const described = /* @__PURE__ */ new Map();
  await Promise.all(
    tags.map(async (tag) => {
      const manifest = await client.getManifest(tag);
      if (!manifest) return;
      let created;
      try {
        const parsed = JSON.parse(manifest.bytes.toString());
        const value = parsed.annotations?.["org.opencontainers.image.created"];
        created = typeof value === "string" ? value : void 0;
      } catch {
        created = void 0;
      }
      described.set(tag, { digest: manifest.digest, created });
    })
  );
  const newestFirst = candidates.filter((tag) => described.has(tag)).sort((a, b) => {
    const ca = described.get(a)?.created ?? "";
    const cb = described.get(b)?.created ?? "";
    return ca === cb ? b.localeCompare(a) : cb.localeCompare(ca);
  });
  const kept = newestFirst.slice(0, inputs.keep);
  const pruned = newestFirst.slice(inputs.keep);
  const staying = new Set([...kept, ...untouched].flatMap((tag) => described.get(tag)?.digest ?? []));
  const byDigest = /* @__PURE__ */ new Map();
  for (const tag of pruned) {
    const digest = described.get(tag)?.digest;
    if (staying.has(digest)) continue;
    byDigest.set(digest, [...byDigest.get(digest) ?? [], tag]);
  }
  const deleted = [];
  for (const [digest, tagsOfDigest] of byDigest) {
    deleted.push({
      digest,
      tags: tagsOfDigest.sort(),
      created: described.get(tagsOfDigest[0])?.created,
      with: await companions(client, digest)
    });
  }
  const plan = {
    repository: repositoryName(repository),
    kept: [...kept, ...untouched].sort(),
    deleted,
    applied: false
  };
  log.info(
    `${plan.repository}: keep ${plan.kept.length} tags, ${inputs.delete ? "delete" : "would delete"} ${deleted.length} artifacts (${deleted.reduce((n, d) => n + d.tags.length, 0)} tags)`
  );
  if (!inputs.delete) return plan;
  for (const artifact of deleted) {
    for (const digest of [...artifact.with, artifact.digest]) {
      try {
        await client.deleteManifest(digest);
      } catch (error) {
        if (error instanceof RegistryError && (error.status === 405 || error.registryCode === "UNSUPPORTED"))
          throw new RegistryError(
            `${plan.repository}'s registry does not allow deleting manifests`,
            {
              cause: error,
              hint: "enable deletion on the registry (distribution: storage.delete.enabled), or prune with its own retention rules"
            }
          );
        throw error;
      }
    }
    log.info(
      `deleted ${artifact.tags.join(", ")} (${artifact.digest}) and ${artifact.with.length} signature and referrer manifests`
    );
  }
  return { ...plan, applied: true };
}
async function companions(client, digest) {
  const found = [];
  const signature = await client.getManifest(signatureTag(digest));
  if (signature) found.push(signature.digest);
  const tagged = await listReferrers(client, digest, false);
  found.push(...tagged.entries.map((entry) => entry.digest));
  if (tagged.index) found.push(tagged.index);
  if (await client.supportsReferrersApi()) {
    const listed = await listReferrers(client, digest, true);
    for (const entry of listed.entries) if (!found.includes(entry.digest)) found.push(entry.digest);
  }
  return found;
}
export {
  prune,
  tagMatches
};
//# sourceMappingURL=prune-3A7XO43G.js.map
