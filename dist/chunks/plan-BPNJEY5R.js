import { createRequire as __fleetpackCreateRequire } from 'node:module';
const require = __fleetpackCreateRequire(import.meta.url);
import {
  configDiffId,
  contentProof,
  expandTags,
  fluxArtifact,
  hashTree,
  parseSemver,
  refContext,
  repositoryRootFor,
  requestTimeoutMs,
  resolveComponents
} from "./chunk-2I3VKOQQ.js";
import "./chunk-5YV43N7O.js";
import {
  verifyArtifact
} from "./chunk-ZN4UUJRD.js";
import "./chunk-QHBVXJ5H.js";
import {
  RegistryPool
} from "./chunk-J5R3XMT4.js";
import "./chunk-5JHJT3VO.js";
import {
  loadTrustMaterial
} from "./chunk-22AJPLDN.js";
import "./chunk-CNOSMJYR.js";
import {
  repositoryName
} from "./chunk-RXVVTKVU.js";
import {
  describeError
} from "./chunk-H43LIEXV.js";
import "./chunk-DC45UNIC.js";

// src/plan.ts
import { resolve } from "node:path";
async function plan(inputs, log) {
  const cwd = inputs.build.cwd ?? process.cwd();
  const env = inputs.env ?? process.env;
  const components = await resolveComponents(inputs.build.paths, inputs.registry.repository, {
    cwd
  });
  const ref = await refContext(cwd, env);
  const version = ref.tag ? parseSemver(ref.tag) : void 0;
  const trust = inputs.verify.identities.length > 0 ? await loadTrustMaterial(inputs.verify.trustedRoot) : void 0;
  const registries = new RegistryPool({
    username: inputs.registry.username,
    password: inputs.registry.password,
    githubActor: inputs.registry.githubActor,
    githubToken: inputs.registry.githubToken,
    insecureRegistries: inputs.registry.insecureRegistries,
    access: "pull",
    provider: inputs.registry.provider,
    env,
    timeoutMs: requestTimeoutMs(env),
    onSecret: () => void 0
  });
  const planned = new Array(components.length);
  let next = 0;
  const worker = async () => {
    while (next < components.length) {
      const index = next++;
      const component = components[index];
      const diffTag = inputs.registry.diffTag ? expandTags(
        [inputs.registry.diffTag],
        { ref, version, name: component.name },
        "diff-tag"
      )[0] : void 0;
      let decision;
      try {
        decision = diffTag ? await decide(component, diffTag, { cwd, registries, trust, inputs }) : { changed: true, reason: "no diff-tag to compare with" };
      } catch (error) {
        decision = { changed: true, reason: `not compared: ${describeError(error)}` };
      }
      planned[index] = {
        component: component.name,
        path: component.path,
        repository: repositoryName(component.repository),
        ...decision
      };
    }
  };
  await Promise.all(
    Array.from(
      { length: Math.max(1, Math.min(inputs.registry.concurrency, components.length)) },
      worker
    )
  );
  const changed = planned.filter((p) => p.changed);
  log.info(
    `${changed.length} of ${planned.length} component${planned.length === 1 ? "" : "s"} would change`
  );
  return { components: planned, matrix: matrixOf(changed, inputs.jobs) };
}
async function decide(component, diffTag, context) {
  const client = await context.registries.repository(component.repository);
  const remote = await client.getManifest(diffTag);
  if (!remote) return { changed: true, reason: `new: nothing at ${diffTag}` };
  const candidate = fluxArtifact(remote);
  const remoteDiffId = candidate && await configDiffId(client, candidate.config);
  if (!candidate || !remoteDiffId)
    return { changed: true, reason: `${diffTag} holds no Flux artifact fleetpack can compare` };
  const dir = resolve(context.cwd, component.path);
  const local = await hashTree(dir, {
    repositoryRoot: repositoryRootFor(dir),
    ignorePatterns: context.inputs.build.ignorePaths
  });
  if (local.diffId !== remoteDiffId) return { changed: true, reason: "content differs" };
  const unproven = await contentProof(client, candidate.layer, local);
  if (unproven) return { changed: true, reason: `${diffTag} claims this content, but ${unproven}` };
  if (!context.trust) return { changed: false, reason: `unchanged: ${diffTag} holds this content` };
  try {
    await verifyArtifact(client, remote.digest, {
      identities: context.inputs.verify.identities,
      trust: context.trust,
      sourceRepository: context.inputs.verify.sourceRepository
    });
  } catch (error) {
    return {
      changed: true,
      reason: `${diffTag} holds this content without a signature the identities accept (${describeError(error).split("\n")[0]})`
    };
  }
  return { changed: false, reason: `unchanged: ${diffTag} holds this content, signed` };
}
function matrixOf(changed, jobs) {
  const count = Math.min(Math.max(1, jobs), changed.length);
  const include = [];
  for (let job = 0; job < count; job++) {
    const mine = changed.filter((_, i) => i % count === job);
    include.push({
      job,
      paths: mine.map((p) => p.path).join("\n"),
      components: mine.map((p) => p.component).join(", ")
    });
  }
  return { include };
}
export {
  plan
};
//# sourceMappingURL=plan-BPNJEY5R.js.map
