import { createRequire as __fleetpackCreateRequire } from 'node:module';
const require = __fleetpackCreateRequire(import.meta.url);
import {
  checkReleaseTagPattern,
  checkTagTemplates,
  defaultRepositoryTemplate,
  requestTimeoutMs
} from "./chunk-ENRAOMV4.js";
import {
  parseFluxVersion
} from "./chunk-QHBVXJ5H.js";
import {
  InputError
} from "./chunk-H43LIEXV.js";

// src/inputs.ts
function parseList(text, { commas = false } = {}) {
  return text.split(commas ? /[\n,]/ : /\n/).map((line) => line.replace(/(^|\s)#.*$/, "").trim()).filter((line) => line !== "");
}
function parseAnnotations(lines, inputName) {
  const annotations = {};
  for (const line of lines) {
    const eq = line.indexOf("=");
    const key = eq < 0 ? "" : line.slice(0, eq).trim();
    if (eq < 0 || key === "") {
      throw new InputError(`${inputName}: "${line}" is not a key=value pair`, {
        hint: `write one annotation per line, e.g. org.opencontainers.image.description=My app`
      });
    }
    if (!/^[A-Za-z0-9][A-Za-z0-9._/-]*$/.test(key)) {
      throw new InputError(`${inputName}: "${key}" is not a valid annotation key`, {
        hint: 'use a reverse-DNS key such as org.example.team (letters, digits, ".", "-", "_", "/")'
      });
    }
    annotations[key] = line.slice(eq + 1).trim();
  }
  return annotations;
}
function parseConcurrency(value, inputName) {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64) {
    throw new InputError(`${inputName}: "${value}" is not a number from 1 to 64`, {
      hint: "set how many components are published at once, e.g. 8"
    });
  }
  return n;
}
function parseSignMode(value, inputName) {
  if (value === "keyless" || value === "key" || value === "none") return value;
  throw new InputError(`${inputName}: "${value}" is not keyless, key or none`, {
    hint: "use keyless to sign with the workflow identity, key to sign with a cosign key pair, or none to publish unsigned"
  });
}
function parseBoolean(value, inputName) {
  if (/^(true|yes|1)$/i.test(value)) return true;
  if (/^(false|no|0)$/i.test(value)) return false;
  throw new InputError(`${inputName}: "${value}" is not true or false`, {
    hint: `set ${inputName}: true or ${inputName}: false`
  });
}
function parseSignatureFormat(value, inputName) {
  if (value === "legacy" || value === "bundle" || value === "both") return value;
  throw new InputError(`${inputName}: "${value}" is not legacy, bundle or both`, {
    hint: "legacy works with every Flux version and several identities; bundle needs Flux >= 2.8 and one identity"
  });
}

// src/options/read.ts
import { parseArgs } from "node:util";

// src/options/table.ts
var PUBLISH = ["publish"];
var PUBLISH_AND_PLAN = ["publish", "plan"];
var VERIFY = ["verify", "promote"];
var VERIFY_AND_PLAN = ["verify", "plan", "promote"];
var BUILD_AND_PUBLISH = ["build", "publish"];
var ALL_BUT_BUILD = ["publish", "verify", "plan", "promote"];
var WITH_A_REGISTRY = ["publish", "verify", "plan", "promote", "prune"];
var OPTIONS = {
  mode: {
    commands: ALL_BUT_BUILD,
    kind: "text",
    default: "publish",
    description: "publish (default): build, push, sign and tag the paths. verify: check the references as Flux would (references, issuer-regexp/subject-regexp or cosign-public-key). plan: say which paths would change against diff-tag, with read access only, and give a job matrix over those (outputs plan, matrix, changed). promote: verify the one reference as Flux would, then put the to tags on that exact digest.",
    action: { input: "mode" }
  },
  paths: {
    commands: PUBLISH_AND_PLAN,
    kind: "list",
    description: "Directories (or globs) to publish, one per line (`#` starts a comment). Each becomes one artifact. Required in publish mode.",
    action: { input: "paths" },
    cli: { positional: true, metavar: "<dir>..." }
  },
  repository: {
    commands: PUBLISH_AND_PLAN,
    kind: "text",
    description: "Target repository. With several components it must contain `{name}`, replaced by each directory's name. Default `ghcr.io/<owner>/<repo>/{name}`, lowercased.",
    action: { input: "repository" },
    cli: {
      flag: "repository",
      metavar: "<ref>",
      help: "target repository; with several directories it must contain {name} (required outside GitHub Actions)"
    }
  },
  tags: {
    commands: PUBLISH,
    kind: "list",
    commas: true,
    default: "latest",
    description: "Tags to apply after the push, one per line or comma-separated. Templates: {sha} (or {sha:8}), {branch}, {tag} (the git tag), {version}, {major}, {minor}, {patch} (of a version tag such as v1.2.3) and {name} (the component), e.g. main-{sha:8} or {major}.{minor}.",
    action: { input: "tags" },
    cli: {
      flag: "tag",
      metavar: "<tag>",
      help: "tag to apply after the push (repeatable; templates as for the action: {sha:8}, {branch}, {version}, {major}.{minor}, {name}, \u2026)"
    }
  },
  diffTag: {
    commands: PUBLISH_AND_PLAN,
    kind: "text",
    description: "When this tag already holds the same content (compared by uncompressed digest, then proven), nothing is uploaded, the tags are put again on that digest, and it is reported with `pushed` false.",
    action: { input: "diff-tag" },
    cli: {
      flag: "diff-tag",
      metavar: "<tag>",
      help: "skip the upload when this tag already holds the same content"
    }
  },
  releaseTagPattern: {
    commands: PUBLISH,
    kind: "text",
    description: "Component releases: on a tag push whose tag has this form, e.g. `{name}/v*` for podinfo/v1.2.3, publish only the component it names, with the `*` as {version}; a tag naming no component fails. Other runs publish every component.",
    action: { input: "release-tag-pattern" },
    cli: {
      flag: "release-tag-pattern",
      metavar: "<pattern>",
      help: "on a tag such as podinfo/v1.2.3 ({name}/v*), publish only the component it names"
    }
  },
  validate: {
    commands: PUBLISH,
    kind: "boolean",
    default: "false",
    description: "Before uploading a component, extract the built artifact and run `kustomize build` on it (when it has a kustomization.yaml), then validate-command; a failure stops that component with the tool\u2019s error in the log and the summary.",
    action: { input: "validate" },
    cli: { flag: "validate", metavar: "true|false" }
  },
  validateCommand: {
    commands: PUBLISH,
    kind: "text",
    description: "With validate: a shell command run in the extracted artifact, with the kustomize build output on stdin, e.g. `kubeconform -strict -summary -`.",
    action: { input: "validate-command" },
    cli: { flag: "validate-command", metavar: "<command>" }
  },
  createRepositories: {
    commands: PUBLISH,
    kind: "boolean",
    default: "false",
    description: "Create each component's repository before publishing when it does not exist (Amazon ECR, which refuses pushes to missing repositories), with scan-on-push and ecr-tag-mutability, using the job's AWS credentials.",
    action: { input: "create-repositories" },
    cli: { flag: "create-repositories", metavar: "true|false" }
  },
  ecrTagMutability: {
    commands: PUBLISH,
    kind: "text",
    default: "MUTABLE",
    description: "With create-repositories: MUTABLE or IMMUTABLE tags for the repositories it creates (with IMMUTABLE, tag each build uniquely).",
    action: { input: "ecr-tag-mutability" },
    cli: { flag: "ecr-tag-mutability", metavar: "MUTABLE|IMMUTABLE" }
  },
  provider: {
    commands: WITH_A_REGISTRY,
    kind: "text",
    default: "generic",
    description: "generic (default): credentials from the inputs, docker's config or github-token. aws: the registry token from ECR's GetAuthorizationToken with the job's AWS credentials (aws-actions/configure-aws-credentials), no login step needed.",
    action: { input: "provider" },
    cli: { flag: "provider", metavar: "generic|aws" }
  },
  ignorePaths: {
    commands: ["build", "publish", "plan"],
    kind: "list",
    description: "Extra ignore patterns (gitignore syntax, one per line), added to Flux's default exclusions and every .sourceignore.",
    action: { input: "ignore-paths" },
    cli: {
      flag: "ignore-path",
      metavar: "<pattern>",
      help: "leave out matching paths (gitignore syntax; repeatable; added to Flux's defaults)"
    }
  },
  annotations: {
    commands: BUILD_AND_PUBLISH,
    kind: "list",
    description: "Manifest annotations, one `key=value` per line. They override the created, source and revision annotations.",
    action: { input: "annotations" },
    cli: {
      flag: "annotation",
      metavar: "<key=value>",
      help: "set a manifest annotation (repeatable)"
    }
  },
  source: {
    commands: BUILD_AND_PUBLISH,
    kind: "text",
    description: "The org.opencontainers.image.source annotation. Default the repository URL from the GitHub context.",
    action: { input: "source" },
    cli: {
      flag: "source",
      metavar: "<url>",
      help: "org.opencontainers.image.source (default: GitHub context or git origin)"
    }
  },
  revision: {
    commands: BUILD_AND_PUBLISH,
    kind: "text",
    description: "The org.opencontainers.image.revision annotation. Default `<ref-name>@sha1:<sha>` from the GitHub context.",
    action: { input: "revision" },
    cli: {
      flag: "revision",
      metavar: "<ref@sha1:sha>",
      help: "org.opencontainers.image.revision (default: GitHub context or git HEAD)"
    }
  },
  output: {
    commands: ["build"],
    kind: "text",
    description: "Where build writes the layer (a .tgz).",
    cli: { flag: "output", short: "o", metavar: "<file.tgz>" }
  },
  repositoryRoot: {
    commands: ["build"],
    kind: "text",
    description: "Symlinks must stay inside this directory. Default: the enclosing git work tree (on a runner, publishing is confined to the workspace).",
    cli: { flag: "repository-root", metavar: "<dir>" }
  },
  ociLayout: {
    commands: PUBLISH,
    kind: "text",
    description: "Write an OCI image layout per component under this directory instead of pushing.",
    cli: { flag: "oci-layout", metavar: "<dir>" }
  },
  concurrency: {
    commands: PUBLISH_AND_PLAN,
    kind: "text",
    default: "8",
    description: "How many components are published at once.",
    action: { input: "concurrency" },
    cli: { flag: "concurrency", metavar: "<n>" }
  },
  username: {
    commands: WITH_A_REGISTRY,
    kind: "text",
    description: "Registry username. Without it, credentials come from docker's config (docker/login-action), then for ghcr.io from github-token.",
    action: { input: "username" },
    cli: {
      flag: "username",
      metavar: "<user>",
      help: "registry user, with the password in FLEETPACK_PASSWORD (default: docker's config)"
    }
  },
  password: {
    commands: WITH_A_REGISTRY,
    kind: "text",
    secret: true,
    description: "Registry password or token (pass a secret).",
    action: { input: "password" },
    cli: { env: "FLEETPACK_PASSWORD" }
  },
  githubToken: {
    commands: PUBLISH_AND_PLAN,
    kind: "text",
    secret: true,
    description: "Token for ghcr.io when no other credentials are configured (the job needs `packages: write`).",
    action: { input: "github-token", default: "${{ github.token }}" }
  },
  insecureRegistries: {
    commands: WITH_A_REGISTRY,
    kind: "list",
    commas: true,
    description: "Registries reached over plain HTTP, one per line (loopback always is). Never use for registries on a network.",
    action: { input: "insecure-registries" },
    cli: {
      flag: "insecure-registry",
      metavar: "<host>",
      help: "allow plain HTTP to this registry (repeatable; loopback always is)"
    }
  },
  sign: {
    commands: PUBLISH,
    kind: "text",
    default: "keyless",
    description: "keyless (default): sign each artifact with the workflow identity (Fulcio certificate from the OIDC token, Rekor entry), in the cosign format every Flux version verifies; the job needs `permissions: id-token: write`. key: sign with a cosign key pair (cosign-key, cosign-password); the default when a key is given. none: publish unsigned.",
    // Empty in action.yml: the runner would pass a declared default as if
    // given, and a given cosign-key must be able to make key the default.
    action: { input: "sign", default: "" },
    cli: {
      flag: "sign",
      metavar: "keyless|key|none",
      default: "none",
      note: "outside a workflow there is no identity to sign with (keyless takes SIGSTORE_ID_TOKEN, or a GitHub runner\u2019s OIDC token); with --key, key",
      help: "keyless: sign with the OIDC token; key: with --key; none: unsigned"
    }
  },
  signatureFormat: {
    commands: PUBLISH,
    kind: "text",
    default: "legacy",
    description: "legacy (default): cosign's sha256-<hex>.sig tag, verified by every Flux version with matchOIDCIdentity, with any number of identities. bundle: a Sigstore bundle stored as an OCI referrer (cosign 3, Flux >= 2.8). both: write both; Flux >= 2.8 then verifies only the bundle, with one identity.",
    action: { input: "signature-format" },
    cli: {
      flag: "signature-format",
      metavar: "legacy|bundle|both",
      help: "cosign's .sig, a Sigstore bundle referrer, or both"
    }
  },
  cosignKey: {
    commands: PUBLISH,
    kind: "text",
    secret: true,
    description: "For sign: key, the content of cosign.key from `cosign generate-key-pair` (pass a secret), or a PKCS#8 private key PEM.",
    action: { input: "cosign-key" },
    cli: {
      flag: "key",
      file: true,
      metavar: "<cosign.key>",
      help: "sign with this cosign key (password in COSIGN_PASSWORD)"
    }
  },
  cosignPassword: {
    commands: PUBLISH,
    kind: "text",
    secret: true,
    description: "For sign: key, the password of cosign-key (pass a secret).",
    action: { input: "cosign-password" },
    cli: { env: "COSIGN_PASSWORD" }
  },
  provenance: {
    commands: PUBLISH,
    kind: "boolean",
    default: "false",
    description: "Attach SLSA v1 build provenance to each artifact (workflow, ref, repository, commit, run), signed with the run\u2019s keyless certificate, as a Sigstore bundle referrer. A bundle referrer puts Flux >= 2.8 on its bundle path, which allows one matchOIDCIdentity entry; this bundle, of the same identity, is what it then verifies, so clusters accept the artifact with the identity the summary prints.",
    action: { input: "provenance" },
    cli: { flag: "provenance", metavar: "true|false" }
  },
  githubAttestations: {
    commands: PUBLISH,
    kind: "boolean",
    default: "false",
    description: "With provenance: also record it with GitHub\u2019s artifact attestations API, so `gh attestation verify oci://<repository>@<digest> --owner <owner>` finds it. The job needs `permissions: attestations: write`; github-token is used.",
    action: { input: "github-attestations" }
  },
  tlogUpload: {
    commands: PUBLISH,
    kind: "boolean",
    default: "true",
    description: "For sign: key, whether signatures are also logged in Rekor. Keyless signatures always are.",
    action: { input: "tlog-upload" },
    cli: { flag: "tlog-upload", metavar: "true|false" }
  },
  fulcioUrl: {
    commands: PUBLISH,
    kind: "text",
    default: "https://fulcio.sigstore.dev",
    description: "Fulcio URL, for a private Sigstore deployment.",
    action: { input: "fulcio-url" },
    cli: { flag: "fulcio-url", metavar: "<url>" }
  },
  rekorUrl: {
    commands: PUBLISH,
    kind: "text",
    default: "https://rekor.sigstore.dev",
    description: "Rekor (v1) URL, for a private Sigstore deployment.",
    action: { input: "rekor-url" },
    cli: { flag: "rekor-url", metavar: "<url>" }
  },
  tsaUrl: {
    commands: PUBLISH,
    kind: "text",
    description: "An RFC 3161 timestamp authority whose timestamp is added to bundles.",
    action: { input: "tsa-url" },
    cli: { flag: "tsa-url", metavar: "<url>" }
  },
  trustedRoot: {
    commands: ALL_BUT_BUILD,
    kind: "text",
    description: "Path of a trusted_root.json to verify signatures against, for a private Sigstore deployment. Default the public-good roots, through Sigstore's TUF repository.",
    action: { input: "trusted-root" },
    cli: {
      flag: "trusted-root",
      metavar: "<file>",
      help: "trusted_root.json to verify against (default: public-good, through TUF)"
    }
  },
  references: {
    commands: VERIFY,
    kind: "list",
    description: "The artifacts to verify, one per line: oci://repository:tag or oci://repository@digest.",
    action: { input: "references" },
    cli: { positional: true, metavar: "oci://<repo>:<tag>|@<digest>" }
  },
  issuerRegexp: {
    commands: VERIFY_AND_PLAN,
    kind: "list",
    description: "One issuer regexp per matchOIDCIdentity entry, one per line, paired with subject-regexp.",
    action: { input: "issuer-regexp" },
    cli: {
      flag: "issuer-regexp",
      metavar: "<re>",
      help: "the issuer of one matchOIDCIdentity entry (repeatable, paired with --subject-regexp)"
    }
  },
  subjectRegexp: {
    commands: VERIFY_AND_PLAN,
    kind: "list",
    description: "One subject regexp per matchOIDCIdentity entry, one per line, paired with issuer-regexp.",
    action: { input: "subject-regexp" },
    cli: {
      flag: "subject-regexp",
      metavar: "<re>",
      help: "the subject of one matchOIDCIdentity entry (repeatable, paired with --issuer-regexp)"
    }
  },
  cosignPublicKey: {
    commands: VERIFY,
    kind: "text",
    description: "The content of cosign.pub, to verify key-based signatures instead of identities.",
    action: { input: "cosign-public-key" },
    cli: {
      flag: "key",
      file: true,
      metavar: "<cosign.pub>",
      help: "verify key-based signatures with this public key instead of identities"
    }
  },
  sourceRepository: {
    commands: VERIFY_AND_PLAN,
    kind: "text",
    description: "Also require the signing run's repository (owner/repo; the caller's, for a reusable workflow).",
    action: { input: "source-repository" },
    cli: { flag: "source-repository", metavar: "<owner/repo>" }
  },
  sourceRepositoryId: {
    commands: VERIFY,
    kind: "text",
    description: "Also require the signing run's repository ID (the number GitHub never reuses, from the certificate's extension 1.3.6.1.4.1.57264.1.15): protects against a repository deleted and its name taken again.",
    action: { input: "source-repository-id" },
    cli: { flag: "source-repository-id", metavar: "<id>" }
  },
  sourceRef: {
    commands: VERIFY,
    kind: "text",
    description: "Also require the signing run's ref, e.g. refs/heads/main.",
    action: { input: "source-ref" },
    cli: { flag: "source-ref", metavar: "<ref>" }
  },
  fluxVersion: {
    commands: VERIFY,
    kind: "text",
    description: "The Flux version (2.7, 2.8 or 2.9) whose verdict decides; every generation's verdict is reported. Default: the newest.",
    action: { input: "flux-version" },
    cli: { flag: "flux-version", metavar: "2.7|2.8|2.9" }
  },
  to: {
    commands: ["promote"],
    kind: "list",
    commas: true,
    description: "The tags to put on the source artifact once it verified, in its repository, e.g. stable.",
    action: { input: "to" },
    cli: { flag: "to", metavar: "<tag>", help: "a tag to put on the verified digest (repeatable)" }
  },
  pruneRepository: {
    commands: ["prune"],
    kind: "list",
    description: "The repository to prune: oci://registry/repository.",
    cli: { positional: true, metavar: "oci://<repo>" }
  },
  keep: {
    commands: ["prune"],
    kind: "text",
    default: "10",
    description: "How many matching tags to keep, newest first by their created annotation. That annotation is what each artifact claims: anyone who can push could claim to be newest, so read the dry run before --yes.",
    cli: { flag: "keep", metavar: "<n>" }
  },
  match: {
    commands: ["prune"],
    kind: "text",
    default: "*",
    description: "Only tags matching this pattern (* and ?) are pruned; the others are never touched.",
    cli: { flag: "match", metavar: "<pattern>" }
  },
  protect: {
    commands: ["prune"],
    kind: "list",
    default: "latest",
    description: "Tags never pruned, nor what they point at (repeatable patterns).",
    cli: { flag: "protect", metavar: "<pattern>" }
  },
  yes: {
    commands: ["prune"],
    kind: "boolean",
    default: "false",
    description: "Delete: without it, prune only prints what it would delete.",
    cli: { flag: "yes" }
  },
  toRepository: {
    commands: ["promote"],
    kind: "text",
    description: "Promote into this repository instead (oci://registry/repository, another registry too): the artifact is copied there with its signatures and referrers and verified there again before the tags move.",
    action: { input: "to-repository" },
    cli: { flag: "to-repository", metavar: "oci://<repo>" }
  },
  jobs: {
    commands: ["plan"],
    kind: "text",
    default: "20",
    description: "The most matrix entries the plan spreads the changed components over (each entry gets a `paths` list; GitHub allows 256 jobs per matrix).",
    action: { input: "jobs" },
    cli: { flag: "jobs", metavar: "<n>" }
  },
  strict: {
    commands: VERIFY,
    kind: "boolean",
    default: "false",
    description: "Fail on warnings too (unanchored or missing identities, an attestation counted as a signature).",
    action: { input: "strict" },
    cli: { flag: "strict" }
  }
};
var COMMANDS = {
  build: {
    arguments: "<dir>",
    summary: "archive <dir> as a Flux artifact layer and print its digests as JSON"
  },
  publish: {
    arguments: "<dir>...",
    summary: "build each directory and push it (signed, then tagged), printing the artifacts as JSON"
  },
  verify: {
    arguments: "oci://<repo>:<tag>|@<digest>",
    summary: "verify as Flux's source-controller does, printing what verified as JSON"
  },
  promote: {
    arguments: "oci://<repo>:<tag>|@<digest>",
    summary: "verify the artifact as Flux would (the identities its clusters use), then put the --to tags on that exact digest"
  },
  prune: {
    arguments: "oci://<repo>",
    summary: "keep the newest --keep tags matching --match, and (with --yes) delete the other artifacts with their signatures and referrers; a dry run without --yes"
  },
  plan: {
    arguments: "<dir>...",
    summary: "say which directories would change against --diff-tag (content downloaded and hashed; with identities, signature verified as Flux would), with read access only, and print the plan and a job matrix over the changed ones as JSON"
  }
};

// src/options/read.ts
function optionsOf(command, surface) {
  return Object.entries(OPTIONS).filter(
    ([, spec]) => spec.commands.includes(command) && spec[surface]
  );
}
function optionName(id, surface) {
  const spec = OPTIONS[id];
  if (surface === "action") return spec.action?.input ?? id;
  if (spec.cli?.flag) return `--${spec.cli.flag}`;
  if (spec.cli?.env) return spec.cli.env;
  return spec.cli?.metavar ?? id;
}
function readActionOptions(mode, getInput) {
  const values = {};
  for (const [id, spec] of optionsOf(mode, "action")) {
    const input = spec.action?.input;
    const text = getInput(input);
    if (text !== "") values[id] = valueOf(spec, text, input);
  }
  return values;
}
function readCliOptions(command, args, env) {
  const specs = optionsOf(command, "cli");
  const flags = {};
  for (const [, spec] of specs) {
    const flag = spec.cli?.flag;
    if (!flag) continue;
    flags[flag] = {
      type: spec.kind === "boolean" && !spec.cli?.metavar ? "boolean" : "string",
      ...spec.kind === "list" ? { multiple: true } : {},
      ...spec.cli?.short ? { short: spec.cli.short } : {}
    };
  }
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options: flags, allowPositionals: true, strict: true });
  } catch (error) {
    throw unknownOptionError(command, error, Object.keys(flags));
  }
  const values = {};
  for (const [id, spec] of specs) {
    const cli = spec.cli;
    if (cli.positional) continue;
    if (cli.env) {
      const text = env[cli.env] ?? "";
      if (text !== "") values[id] = valueOf(spec, text, cli.env);
      continue;
    }
    const given = parsed.values[cli.flag];
    if (typeof given === "boolean") values[id] = given;
    else if (Array.isArray(given)) values[id] = given.map(String);
    else if (typeof given === "string") values[id] = valueOf(spec, given, `--${cli.flag}`);
  }
  const positional = specs.find(([, spec]) => spec.cli?.positional);
  if (positional) values[positional[0]] = parsed.positionals;
  return { values, positionals: parsed.positionals };
}
function defaultOf(id, surface) {
  const spec = OPTIONS[id];
  return surface === "cli" ? spec.cli?.default ?? spec.default : spec.default;
}
function valueOf(spec, text, name) {
  if (spec.kind === "list") return parseList(text, { commas: spec.commas === true });
  if (spec.kind === "boolean") return parseBoolean(text || "false", name);
  return text;
}
function unknownOptionError(command, error, flags) {
  const code = String(error?.code);
  if (!code.startsWith("ERR_PARSE_ARGS")) return error;
  const message = error.message;
  const unknown = /Unknown option '(?:--)?([^']+)'/.exec(message)?.[1];
  const nearest = unknown ? closest(unknown, flags) : void 0;
  return new InputError(`${command}: ${message.split(".")[0]}`, {
    hint: nearest ? `did you mean --${nearest}? (fleetpack ${command} --help lists every option)` : `fleetpack ${command} --help lists every option`
  });
}
function closest(word, candidates) {
  let best;
  for (const candidate of candidates) {
    const distance = candidate.startsWith(word) || word.startsWith(candidate) ? 1 : editDistance(word, candidate);
    if (distance <= 2 && (!best || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate;
}
function editDistance(a, b) {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(
        above + 1,
        row[j - 1] + 1,
        diagonal + (a[i - 1] === b[j - 1] ? 0 : 1)
      );
      diagonal = above;
    }
  }
  return row[b.length];
}
function usage() {
  const commands = Object.keys(COMMANDS).map(commandBlock).join("\n");
  return `usage: fleetpack <command> [options]
       fleetpack --version

commands:
${commands}`;
}
function commandUsage(command) {
  return `usage: fleetpack ${command} [options]

${commandBlock(command)}`;
}
var HELP_WIDTH = 100;
var FLAG_COLUMN = 34;
function commandBlock(command) {
  const { arguments: args, summary } = COMMANDS[command];
  const lines = [`  ${command} ${args}`, ...wrap(summary, HELP_WIDTH - 6).map((l) => `      ${l}`)];
  const environment = [];
  for (const [, spec] of optionsOf(command, "cli")) {
    const cli = spec.cli;
    if (cli.positional) continue;
    const defaultText = cli.default ?? spec.default;
    const differs = cli.note ? `; the action's is ${spec.default}: ${cli.note}` : "";
    const help = [
      cli.help ?? spec.description,
      defaultText && spec.kind !== "boolean" ? `(default ${defaultText}${differs})` : ""
    ].filter(Boolean).join(" ");
    if (cli.env) {
      environment.push(`    ${cli.env}: ${spec.description}`);
      continue;
    }
    const name = `--${cli.flag}${cli.short ? `, -${cli.short}` : ""}${cli.metavar ? ` ${cli.metavar}` : ""}`;
    const wrapped = wrap(help, HELP_WIDTH - FLAG_COLUMN - 2);
    const first = `    ${name}`;
    lines.push(
      first.length < FLAG_COLUMN ? `${first.padEnd(FLAG_COLUMN)}${wrapped[0] ?? ""}` : `${first}
${" ".repeat(FLAG_COLUMN)}${wrapped[0] ?? ""}`,
      ...wrapped.slice(1).map((l) => `${" ".repeat(FLAG_COLUMN)}${l}`)
    );
  }
  if (environment.length > 0) lines.push("    environment:", ...environment.map((l) => `  ${l}`));
  return `${lines.join("\n")}
`;
}
function wrap(text, width) {
  const lines = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

// src/options/inputs.ts
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
async function toPublishInputs(values, context) {
  const get = reader(values, context);
  for (const id of ["password", "githubToken", "cosignKey", "cosignPassword"])
    if (get.text(id)) context.onSecret?.(get.text(id));
  const { paths, repository } = componentsOf(get, context, "publish");
  const username = get.text("username");
  const password = get.text("password");
  if (context.surface === "cli" && username && !password) {
    throw new InputError("--username is set but FLEETPACK_PASSWORD is empty", {
      hint: "pass the password in the FLEETPACK_PASSWORD environment variable (never as a flag: flags show in process lists)"
    });
  }
  const key = await get.content("cosignKey");
  if (key) for (const line of keyLines(key)) context.onSecret?.(line);
  const sign = signMode(get, key !== void 0);
  const diffTag = get.text("diffTag");
  const releaseTagPattern = get.text("releaseTagPattern");
  const ociLayout = get.text("ociLayout");
  if (get.boolean("provenance") && sign !== "keyless")
    throw new InputError(`${get.name("provenance")} needs keyless signing (sign is ${sign})`, {
      hint: "provenance is signed with the workflow identity: set sign: keyless, or leave provenance off"
    });
  const format = parseSignatureFormat(
    get.text("signatureFormat") ?? "",
    get.name("signatureFormat")
  );
  const sigstore = {
    tsaUrl: get.text("tsaUrl"),
    fulcioUrl: get.text("fulcioUrl"),
    rekorUrl: get.text("rekorUrl"),
    trustedRoot: get.text("trustedRoot")
  };
  return {
    build: {
      paths,
      ignorePaths: get.list("ignorePaths"),
      annotations: parseAnnotations(get.list("annotations"), get.name("annotations")),
      source: get.text("source"),
      revision: get.text("revision"),
      validate: get.boolean("validate") || get.text("validateCommand") ? { command: get.text("validateCommand"), timeoutMs: 10 * 6e4 } : void 0
    },
    registry: {
      repository,
      tags: checkTagTemplates(get.list("tags"), get.name("tags")),
      diffTag: diffTag === void 0 ? void 0 : checkTagTemplates([diffTag], get.name("diffTag"))[0],
      createRepositories: get.boolean("createRepositories") ? {
        mutability: ecrMutability(
          get.text("ecrTagMutability") ?? "",
          get.name("ecrTagMutability")
        )
      } : void 0,
      provider: registryProvider(get.text("provider") ?? "", get.name("provider")),
      releaseTagPattern: releaseTagPattern === void 0 ? void 0 : checkReleaseTagPattern(releaseTagPattern, get.name("releaseTagPattern")),
      concurrency: parseConcurrency(get.text("concurrency") ?? "", get.name("concurrency")),
      username,
      password: username || context.surface === "action" ? password : void 0,
      githubActor: context.surface === "action" ? context.env.GITHUB_ACTOR : void 0,
      githubToken: get.text("githubToken"),
      insecureRegistries: get.list("insecureRegistries")
    },
    signing: sign === "key" ? {
      mode: "key",
      key: { text: key ?? "", password: get.text("cosignPassword") ?? "" },
      tlogUpload: get.boolean("tlogUpload"),
      format,
      ...sigstore
    } : {
      mode: sign,
      format,
      provenance: get.boolean("provenance"),
      githubAttestations: attestationsTarget(get, context),
      ...sigstore
    },
    output: {
      ociLayout: ociLayout === void 0 ? void 0 : resolve(ociLayout),
      workDir: context.surface === "action" ? context.env.RUNNER_TEMP : void 0
    },
    env: context.env
  };
}
async function toVerifyInputs(values, context) {
  const get = reader(values, context);
  if (get.text("password")) context.onSecret?.(get.text("password"));
  const references = get.list("references");
  if (references.length === 0) {
    throw new InputError(`input "references" is required and was not given`, {
      code: "input-missing",
      hint: "list the artifacts to verify, e.g. oci://ghcr.io/org/fleet/apps:latest"
    });
  }
  const issuers = get.list("issuerRegexp");
  const subjects = get.list("subjectRegexp");
  if (issuers.length !== subjects.length) {
    throw new InputError(
      `${get.name("issuerRegexp")} has ${issuers.length} ${context.surface === "action" ? "lines" : "values"} and ${get.name("subjectRegexp")} ${subjects.length}`,
      { hint: "give them in pairs, one pair per matchOIDCIdentity entry, in the same order" }
    );
  }
  const fluxVersion = get.text("fluxVersion");
  return {
    references,
    identities: issuers.map((issuer, i) => ({ issuer, subject: subjects[i] })),
    publicKey: await get.content("cosignPublicKey"),
    trustedRoot: get.text("trustedRoot"),
    sourceRepository: get.text("sourceRepository"),
    sourceRepositoryId: get.text("sourceRepositoryId"),
    sourceRef: get.text("sourceRef"),
    fluxVersion: fluxVersion === void 0 ? void 0 : parseFluxVersion(fluxVersion, get.name("fluxVersion")),
    strict: get.boolean("strict"),
    insecureRegistries: get.list("insecureRegistries"),
    username: get.text("username"),
    password: get.text("password"),
    timeoutMs: requestTimeoutMs(context.env),
    provider: registryProvider(get.text("provider") ?? "", get.name("provider")),
    onSecret: context.onSecret
  };
}
function componentsOf(get, context, command) {
  const action = context.surface === "action";
  const paths = get.list("paths");
  if (paths.length === 0) {
    throw new InputError(
      action ? 'input "paths" is required and was not given' : `${command} needs at least one directory`,
      {
        code: "input-missing",
        hint: action ? 'add it under "with:" in the workflow step: list the directories to publish, one per line, e.g. apps/podinfo' : `name the directories, e.g. fleetpack ${command} apps/podinfo --repository ghcr.io/org/fleet/{name}`
      }
    );
  }
  const repository = get.text("repository") ?? defaultRepositoryTemplate(context.env);
  if (!repository) {
    throw new InputError(
      action ? 'input "repository" is required outside GitHub Actions' : `${command} needs --repository <ref>`,
      {
        code: "input-missing",
        hint: `set ${get.name("repository")}, e.g. ghcr.io/org/fleet/{name}`
      }
    );
  }
  return { paths, repository };
}
function signMode(get, hasKey) {
  const given = get.explicit("sign");
  if (given === void 0 && hasKey) return "key";
  return parseSignMode(get.text("sign") ?? "", get.name("sign"));
}
function keyLines(key) {
  return key.split("\n").map((line) => line.trim()).filter((line) => line.length >= 8 && !line.startsWith("-----"));
}
function reader(values, context) {
  const name = (id) => optionName(id, context.surface);
  const value = (id) => values[id] ?? valueOf(OPTIONS[id], defaultOf(id, context.surface) ?? "", name(id));
  const text = (id) => {
    const v = value(id);
    return typeof v === "string" && v !== "" ? v : void 0;
  };
  return {
    name,
    text,
    list: (id) => {
      const v = value(id);
      return Array.isArray(v) ? v : [];
    },
    boolean: (id) => value(id) === true,
    /** Only what the user gave (to tell "sign: keyless" from nothing given). */
    explicit: (id) => values[id],
    /** A key: the action's input is its content, the CLI's flag names its file. */
    content: async (id) => {
      const path = text(id);
      if (path === void 0 || context.surface === "action") return path;
      return readFile(path, "utf8").catch((cause) => {
        throw new InputError(`${name(id)}: cannot read ${path}`, {
          hint: "give the path of the key file",
          cause
        });
      });
    }
  };
}
function toPlanInputs(values, context) {
  const get = reader(values, context);
  for (const id of ["password", "githubToken"])
    if (get.text(id)) context.onSecret?.(get.text(id));
  const { paths, repository } = componentsOf(get, context, "plan");
  const issuers = get.list("issuerRegexp");
  const subjects = get.list("subjectRegexp");
  if (issuers.length !== subjects.length) {
    throw new InputError(
      `${get.name("issuerRegexp")} and ${get.name("subjectRegexp")} must come in pairs`,
      { hint: "give one of each per matchOIDCIdentity entry, in the same order" }
    );
  }
  const diffTag = get.text("diffTag");
  const jobs = Number(get.text("jobs"));
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > 256) {
    throw new InputError(
      `${get.name("jobs")}: "${get.text("jobs") ?? ""}" is not a number from 1 to 256`,
      {
        hint: "set how many matrix entries the changed components are spread over, e.g. 20"
      }
    );
  }
  const username = get.text("username");
  return {
    build: {
      paths,
      ignorePaths: get.list("ignorePaths"),
      annotations: {},
      source: void 0,
      revision: void 0
    },
    registry: {
      repository,
      diffTag: diffTag === void 0 ? void 0 : checkTagTemplates([diffTag], get.name("diffTag"))[0],
      concurrency: parseConcurrency(get.text("concurrency") ?? "", get.name("concurrency")),
      username,
      password: username || context.surface === "action" ? get.text("password") : void 0,
      githubActor: context.surface === "action" ? context.env.GITHUB_ACTOR : void 0,
      githubToken: get.text("githubToken"),
      insecureRegistries: get.list("insecureRegistries"),
      provider: registryProvider(get.text("provider") ?? "", get.name("provider"))
    },
    verify: {
      identities: issuers.map((issuer, i) => ({ issuer, subject: subjects[i] })),
      trustedRoot: get.text("trustedRoot"),
      sourceRepository: get.text("sourceRepository")
    },
    jobs,
    env: context.env
  };
}
function ecrMutability(value, name) {
  const upper = value.toUpperCase();
  if (upper === "MUTABLE" || upper === "IMMUTABLE") return upper;
  throw new InputError(`${name}: "${value}" is not MUTABLE or IMMUTABLE`, {
    hint: "MUTABLE lets tags such as latest move; IMMUTABLE refuses to move any tag"
  });
}
function registryProvider(value, name) {
  if (value === "generic" || value === "aws") return value;
  throw new InputError(`${name}: "${value}" is not generic or aws`, {
    hint: "use aws for Amazon ECR with the job's AWS credentials, else leave it out"
  });
}
function toPruneInputs(values, context) {
  const get = reader(values, context);
  const [repository, ...extra] = get.list("pruneRepository");
  if (repository === void 0 || extra.length > 0)
    throw new InputError("prune takes exactly one repository", {
      code: "input-missing",
      hint: 'e.g. fleetpack prune oci://ghcr.io/org/fleet/podinfo --match "main-*" --keep 20'
    });
  const keep = Number(get.text("keep"));
  if (!Number.isInteger(keep) || keep < 0)
    throw new InputError(
      `${get.name("keep")}: "${get.text("keep") ?? ""}" is not a number of tags`,
      {
        hint: "e.g. --keep 20 (0 keeps none of the matching tags)"
      }
    );
  const username = get.text("username");
  return {
    repository,
    match: get.text("match") ?? "*",
    protect: get.list("protect"),
    keep,
    delete: get.boolean("yes"),
    username,
    password: username ? get.text("password") : void 0,
    insecureRegistries: get.list("insecureRegistries"),
    provider: registryProvider(get.text("provider") ?? "", get.name("provider")),
    timeoutMs: requestTimeoutMs(context.env)
  };
}
function attestationsTarget(get, context) {
  if (!get.boolean("githubAttestations")) return void 0;
  const token = get.text("githubToken");
  const repository = context.env.GITHUB_REPOSITORY;
  if (!get.boolean("provenance") || !token || !repository)
    throw new InputError(
      `${get.name("githubAttestations")} needs provenance: true, github-token and a GitHub Actions run`,
      { hint: "set provenance: true, and run it in a workflow whose job may write attestations" }
    );
  return { apiUrl: context.env.GITHUB_API_URL ?? "https://api.github.com", repository, token };
}

export {
  parseAnnotations,
  readActionOptions,
  readCliOptions,
  usage,
  commandUsage,
  toPublishInputs,
  toVerifyInputs,
  toPlanInputs,
  toPruneInputs
};
//# sourceMappingURL=chunk-2HJJIPTG.js.map
