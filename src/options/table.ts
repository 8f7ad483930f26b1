/**
 * Every option of fleetpack, once: the action's inputs (action.yml and its
 * reading), the CLI's flags (parsing and per-command --help) and the
 * README's tables are generated from this table (scripts/docs.mjs writes
 * action.yml and README.md from it; `npm run docs:check` fails when they
 * drift). Where the action and the CLI must differ, the entry says how and
 * the help prints it.
 *
 * Plain data with no imports, so the docs script (Node, type stripping) reads
 * it as is.
 */

export type Command = 'build' | 'publish' | 'verify' | 'plan' | 'promote' | 'prune'

export interface OptionSpec {
  /** The commands (CLI) and modes (action) it belongs to. */
  commands: readonly Command[]
  /** text: one value; list: the action's lines (or commas), the CLI's repeated flag; boolean. */
  kind: 'text' | 'list' | 'boolean'
  /** A list also splits at commas (tags and hosts cannot contain one). */
  commas?: boolean
  /** Default of both the action and the CLI, unless one of them overrides it. */
  default?: string
  /** Masked in the runner's log, and never a CLI flag (process lists show flags). */
  secret?: boolean
  /** What it does, for action.yml, the README and (unless cli.help is set) the CLI help. */
  description: string
  /** The action input; absent for CLI-only options. */
  action?: { input: string; default?: string }
  /** The CLI's side; absent for action-only options. */
  cli?: {
    /** The long flag without "--"; absent with `positional` or `env`. */
    flag?: string
    short?: string
    /** Given as the command's positional arguments instead of a flag. */
    positional?: boolean
    /** Read from this environment variable instead of a flag (secrets). */
    env?: string
    /** The flag names a file whose content is the value (the action takes the content). */
    file?: boolean
    metavar?: string
    /** A CLI default that differs from the action's, with `note` saying why. */
    default?: string
    note?: string
    /** Shorter help than the description, where the description speaks of the action. */
    help?: string
  }
}

const PUBLISH = ['publish'] as const
const PUBLISH_AND_PLAN = ['publish', 'plan'] as const
const VERIFY = ['verify', 'promote'] as const
const VERIFY_AND_PLAN = ['verify', 'plan', 'promote'] as const
const BUILD_AND_PUBLISH = ['build', 'publish'] as const
const ALL_BUT_BUILD = ['publish', 'verify', 'plan', 'promote'] as const
const WITH_A_REGISTRY = ['publish', 'verify', 'plan', 'promote', 'prune'] as const

export const OPTIONS = {
  mode: {
    commands: ALL_BUT_BUILD,
    kind: 'text',
    default: 'publish',
    description:
      'publish (default): build, push, sign and tag the paths. verify: check the references as Flux would (references, issuer-regexp/subject-regexp or cosign-public-key). plan: say which paths would change against diff-tag, with read access only, and give a job matrix over those (outputs plan, matrix, changed). promote: verify the one reference as Flux would, then put the to tags on that exact digest.',
    action: { input: 'mode' }
  },
  paths: {
    commands: PUBLISH_AND_PLAN,
    kind: 'list',
    description:
      'Directories (or globs) to publish, one per line (`#` starts a comment). Each becomes one artifact. Required in publish mode.',
    action: { input: 'paths' },
    cli: { positional: true, metavar: '<dir>...' }
  },
  repository: {
    commands: PUBLISH_AND_PLAN,
    kind: 'text',
    description:
      "Target repository. With several components it must contain `{name}`, replaced by each directory's name. Default `ghcr.io/<owner>/<repo>/{name}`, lowercased.",
    action: { input: 'repository' },
    cli: {
      flag: 'repository',
      metavar: '<ref>',
      help: 'target repository; with several directories it must contain {name} (required outside GitHub Actions)'
    }
  },
  tags: {
    commands: PUBLISH,
    kind: 'list',
    commas: true,
    default: 'latest',
    description:
      'Tags to apply after the push, one per line or comma-separated. Templates: {sha} (or {sha:8}), {branch}, {tag} (the git tag), {version}, {major}, {minor}, {patch} (of a version tag such as v1.2.3) and {name} (the component), e.g. main-{sha:8} or {major}.{minor}.',
    action: { input: 'tags' },
    cli: {
      flag: 'tag',
      metavar: '<tag>',
      help: 'tag to apply after the push (repeatable; templates as for the action: {sha:8}, {branch}, {version}, {major}.{minor}, {name}, …)'
    }
  },
  diffTag: {
    commands: PUBLISH_AND_PLAN,
    kind: 'text',
    description:
      'When this tag already holds the same content (compared by uncompressed digest, then proven), nothing is uploaded, the tags are put again on that digest, and it is reported with `pushed` false.',
    action: { input: 'diff-tag' },
    cli: {
      flag: 'diff-tag',
      metavar: '<tag>',
      help: 'skip the upload when this tag already holds the same content'
    }
  },
  releaseTagPattern: {
    commands: PUBLISH,
    kind: 'text',
    description:
      'Component releases: on a tag push whose tag has this form, e.g. `{name}/v*` for podinfo/v1.2.3, publish only the component it names, with the `*` as {version}; a tag naming no component fails. Other runs publish every component.',
    action: { input: 'release-tag-pattern' },
    cli: {
      flag: 'release-tag-pattern',
      metavar: '<pattern>',
      help: 'on a tag such as podinfo/v1.2.3 ({name}/v*), publish only the component it names'
    }
  },
  validate: {
    commands: PUBLISH,
    kind: 'boolean',
    default: 'false',
    description:
      'Before uploading a component, extract the built artifact and run `kustomize build` on it (when it has a kustomization.yaml), then validate-command; a failure stops that component with the tool’s error in the log and the summary.',
    action: { input: 'validate' },
    cli: { flag: 'validate', metavar: 'true|false' }
  },
  validateCommand: {
    commands: PUBLISH,
    kind: 'text',
    description:
      'With validate: a shell command run in the extracted artifact, with the kustomize build output on stdin, e.g. `kubeconform -strict -summary -`.',
    action: { input: 'validate-command' },
    cli: { flag: 'validate-command', metavar: '<command>' }
  },
  createRepositories: {
    commands: PUBLISH,
    kind: 'boolean',
    default: 'false',
    description:
      "Create each component's repository before publishing when it does not exist (Amazon ECR, which refuses pushes to missing repositories), with scan-on-push and ecr-tag-mutability, using the job's AWS credentials.",
    action: { input: 'create-repositories' },
    cli: { flag: 'create-repositories', metavar: 'true|false' }
  },
  ecrTagMutability: {
    commands: PUBLISH,
    kind: 'text',
    default: 'MUTABLE',
    description:
      'With create-repositories: MUTABLE or IMMUTABLE tags for the repositories it creates (with IMMUTABLE, tag each build uniquely).',
    action: { input: 'ecr-tag-mutability' },
    cli: { flag: 'ecr-tag-mutability', metavar: 'MUTABLE|IMMUTABLE' }
  },
  provider: {
    commands: WITH_A_REGISTRY,
    kind: 'text',
    default: 'generic',
    description:
      "generic (default): credentials from the inputs, docker's config or github-token. aws: the registry token from ECR's GetAuthorizationToken with the job's AWS credentials (aws-actions/configure-aws-credentials), no login step needed.",
    action: { input: 'provider' },
    cli: { flag: 'provider', metavar: 'generic|aws' }
  },
  ignorePaths: {
    commands: ['build', 'publish', 'plan'],
    kind: 'list',
    description:
      "Extra ignore patterns (gitignore syntax, one per line), added to Flux's default exclusions and every .sourceignore.",
    action: { input: 'ignore-paths' },
    cli: {
      flag: 'ignore-path',
      metavar: '<pattern>',
      help: "leave out matching paths (gitignore syntax; repeatable; added to Flux's defaults)"
    }
  },
  annotations: {
    commands: BUILD_AND_PUBLISH,
    kind: 'list',
    description:
      'Manifest annotations, one `key=value` per line. They override the created, source and revision annotations.',
    action: { input: 'annotations' },
    cli: {
      flag: 'annotation',
      metavar: '<key=value>',
      help: 'set a manifest annotation (repeatable)'
    }
  },
  source: {
    commands: BUILD_AND_PUBLISH,
    kind: 'text',
    description:
      'The org.opencontainers.image.source annotation. Default the repository URL from the GitHub context.',
    action: { input: 'source' },
    cli: {
      flag: 'source',
      metavar: '<url>',
      help: 'org.opencontainers.image.source (default: GitHub context or git origin)'
    }
  },
  revision: {
    commands: BUILD_AND_PUBLISH,
    kind: 'text',
    description:
      'The org.opencontainers.image.revision annotation. Default `<ref-name>@sha1:<sha>` from the GitHub context.',
    action: { input: 'revision' },
    cli: {
      flag: 'revision',
      metavar: '<ref@sha1:sha>',
      help: 'org.opencontainers.image.revision (default: GitHub context or git HEAD)'
    }
  },
  output: {
    commands: ['build'],
    kind: 'text',
    description: 'Where build writes the layer (a .tgz).',
    cli: { flag: 'output', short: 'o', metavar: '<file.tgz>' }
  },
  repositoryRoot: {
    commands: ['build'],
    kind: 'text',
    description:
      'Symlinks must stay inside this directory. Default: the enclosing git work tree (on a runner, publishing is confined to the workspace).',
    cli: { flag: 'repository-root', metavar: '<dir>' }
  },
  ociLayout: {
    commands: PUBLISH,
    kind: 'text',
    description: 'Write an OCI image layout per component under this directory instead of pushing.',
    cli: { flag: 'oci-layout', metavar: '<dir>' }
  },
  concurrency: {
    commands: PUBLISH_AND_PLAN,
    kind: 'text',
    default: '8',
    description: 'How many components are published at once.',
    action: { input: 'concurrency' },
    cli: { flag: 'concurrency', metavar: '<n>' }
  },
  username: {
    commands: WITH_A_REGISTRY,
    kind: 'text',
    description:
      "Registry username. Without it, credentials come from docker's config (docker/login-action), then for ghcr.io from github-token.",
    action: { input: 'username' },
    cli: {
      flag: 'username',
      metavar: '<user>',
      help: "registry user, with the password in FLEETPACK_PASSWORD (default: docker's config)"
    }
  },
  password: {
    commands: WITH_A_REGISTRY,
    kind: 'text',
    secret: true,
    description: 'Registry password or token (pass a secret).',
    action: { input: 'password' },
    cli: { env: 'FLEETPACK_PASSWORD' }
  },
  githubToken: {
    commands: PUBLISH_AND_PLAN,
    kind: 'text',
    secret: true,
    description:
      'Token for ghcr.io when no other credentials are configured (the job needs `packages: write`).',
    action: { input: 'github-token', default: '${{ github.token }}' }
  },
  insecureRegistries: {
    commands: WITH_A_REGISTRY,
    kind: 'list',
    commas: true,
    description:
      'Registries reached over plain HTTP, one per line (loopback always is). Never use for registries on a network.',
    action: { input: 'insecure-registries' },
    cli: {
      flag: 'insecure-registry',
      metavar: '<host>',
      help: 'allow plain HTTP to this registry (repeatable; loopback always is)'
    }
  },
  sign: {
    commands: PUBLISH,
    kind: 'text',
    default: 'keyless',
    description:
      'keyless (default): sign each artifact with the workflow identity (Fulcio certificate from the OIDC token, Rekor entry), in the cosign format every Flux version verifies; the job needs `permissions: id-token: write`. key: sign with a cosign key pair (cosign-key, cosign-password); the default when a key is given. none: publish unsigned.',
    // Empty in action.yml: the runner would pass a declared default as if
    // given, and a given cosign-key must be able to make key the default.
    action: { input: 'sign', default: '' },
    cli: {
      flag: 'sign',
      metavar: 'keyless|key|none',
      default: 'none',
      note: 'outside a workflow there is no identity to sign with (keyless takes SIGSTORE_ID_TOKEN, or a GitHub runner’s OIDC token); with --key, key',
      help: 'keyless: sign with the OIDC token; key: with --key; none: unsigned'
    }
  },
  signatureFormat: {
    commands: PUBLISH,
    kind: 'text',
    default: 'legacy',
    description:
      "legacy (default): cosign's sha256-<hex>.sig tag, verified by every Flux version with matchOIDCIdentity, with any number of identities. bundle: a Sigstore bundle stored as an OCI referrer (cosign 3, Flux >= 2.8). both: write both; Flux >= 2.8 then verifies only the bundle, with one identity.",
    action: { input: 'signature-format' },
    cli: {
      flag: 'signature-format',
      metavar: 'legacy|bundle|both',
      help: "cosign's .sig, a Sigstore bundle referrer, or both"
    }
  },
  cosignKey: {
    commands: PUBLISH,
    kind: 'text',
    secret: true,
    description:
      'For sign: key, the content of cosign.key from `cosign generate-key-pair` (pass a secret), or a PKCS#8 private key PEM.',
    action: { input: 'cosign-key' },
    cli: {
      flag: 'key',
      file: true,
      metavar: '<cosign.key>',
      help: 'sign with this cosign key (password in COSIGN_PASSWORD)'
    }
  },
  cosignPassword: {
    commands: PUBLISH,
    kind: 'text',
    secret: true,
    description: 'For sign: key, the password of cosign-key (pass a secret).',
    action: { input: 'cosign-password' },
    cli: { env: 'COSIGN_PASSWORD' }
  },
  provenance: {
    commands: PUBLISH,
    kind: 'boolean',
    default: 'false',
    description:
      'Attach SLSA v1 build provenance to each artifact (workflow, ref, repository, commit, run), signed with the run’s keyless certificate, as a Sigstore bundle referrer. A bundle referrer puts Flux >= 2.8 on its bundle path, which allows one matchOIDCIdentity entry; this bundle, of the same identity, is what it then verifies, so clusters accept the artifact with the identity the summary prints.',
    action: { input: 'provenance' },
    cli: { flag: 'provenance', metavar: 'true|false' }
  },
  githubAttestations: {
    commands: PUBLISH,
    kind: 'boolean',
    default: 'false',
    description:
      'With provenance: also record it with GitHub’s artifact attestations API, so `gh attestation verify oci://<repository>@<digest> --owner <owner>` finds it. The job needs `permissions: attestations: write`; github-token is used.',
    action: { input: 'github-attestations' }
  },
  tlogUpload: {
    commands: PUBLISH,
    kind: 'boolean',
    default: 'true',
    description:
      'For sign: key, whether signatures are also logged in Rekor. Keyless signatures always are.',
    action: { input: 'tlog-upload' },
    cli: { flag: 'tlog-upload', metavar: 'true|false' }
  },
  fulcioUrl: {
    commands: PUBLISH,
    kind: 'text',
    default: 'https://fulcio.sigstore.dev',
    description: 'Fulcio URL, for a private Sigstore deployment.',
    action: { input: 'fulcio-url' },
    cli: { flag: 'fulcio-url', metavar: '<url>' }
  },
  rekorUrl: {
    commands: PUBLISH,
    kind: 'text',
    default: 'https://rekor.sigstore.dev',
    description: 'Rekor (v1) URL, for a private Sigstore deployment.',
    action: { input: 'rekor-url' },
    cli: { flag: 'rekor-url', metavar: '<url>' }
  },
  tsaUrl: {
    commands: PUBLISH,
    kind: 'text',
    description: 'An RFC 3161 timestamp authority whose timestamp is added to bundles.',
    action: { input: 'tsa-url' },
    cli: { flag: 'tsa-url', metavar: '<url>' }
  },
  trustedRoot: {
    commands: ALL_BUT_BUILD,
    kind: 'text',
    description:
      "Path of a trusted_root.json to verify signatures against, for a private Sigstore deployment. Default the public-good roots, through Sigstore's TUF repository.",
    action: { input: 'trusted-root' },
    cli: {
      flag: 'trusted-root',
      metavar: '<file>',
      help: 'trusted_root.json to verify against (default: public-good, through TUF)'
    }
  },
  references: {
    commands: VERIFY,
    kind: 'list',
    description:
      'The artifacts to verify, one per line: oci://repository:tag or oci://repository@digest.',
    action: { input: 'references' },
    cli: { positional: true, metavar: 'oci://<repo>:<tag>|@<digest>' }
  },
  issuerRegexp: {
    commands: VERIFY_AND_PLAN,
    kind: 'list',
    description:
      'One issuer regexp per matchOIDCIdentity entry, one per line, paired with subject-regexp.',
    action: { input: 'issuer-regexp' },
    cli: {
      flag: 'issuer-regexp',
      metavar: '<re>',
      help: 'the issuer of one matchOIDCIdentity entry (repeatable, paired with --subject-regexp)'
    }
  },
  subjectRegexp: {
    commands: VERIFY_AND_PLAN,
    kind: 'list',
    description:
      'One subject regexp per matchOIDCIdentity entry, one per line, paired with issuer-regexp.',
    action: { input: 'subject-regexp' },
    cli: {
      flag: 'subject-regexp',
      metavar: '<re>',
      help: 'the subject of one matchOIDCIdentity entry (repeatable, paired with --issuer-regexp)'
    }
  },
  cosignPublicKey: {
    commands: VERIFY,
    kind: 'text',
    description: 'The content of cosign.pub, to verify key-based signatures instead of identities.',
    action: { input: 'cosign-public-key' },
    cli: {
      flag: 'key',
      file: true,
      metavar: '<cosign.pub>',
      help: 'verify key-based signatures with this public key instead of identities'
    }
  },
  sourceRepository: {
    commands: VERIFY_AND_PLAN,
    kind: 'text',
    description:
      "Also require the signing run's repository (owner/repo; the caller's, for a reusable workflow).",
    action: { input: 'source-repository' },
    cli: { flag: 'source-repository', metavar: '<owner/repo>' }
  },
  sourceRepositoryId: {
    commands: VERIFY,
    kind: 'text',
    description:
      "Also require the signing run's repository ID (the number GitHub never reuses, from the certificate's extension 1.3.6.1.4.1.57264.1.15): protects against a repository deleted and its name taken again.",
    action: { input: 'source-repository-id' },
    cli: { flag: 'source-repository-id', metavar: '<id>' }
  },
  sourceRef: {
    commands: VERIFY,
    kind: 'text',
    description: "Also require the signing run's ref, e.g. refs/heads/main.",
    action: { input: 'source-ref' },
    cli: { flag: 'source-ref', metavar: '<ref>' }
  },
  fluxVersion: {
    commands: VERIFY,
    kind: 'text',
    description:
      "The Flux version (2.7, 2.8 or 2.9) whose verdict decides; every generation's verdict is reported. Default: the newest.",
    action: { input: 'flux-version' },
    cli: { flag: 'flux-version', metavar: '2.7|2.8|2.9' }
  },
  to: {
    commands: ['promote'],
    kind: 'list',
    commas: true,
    description:
      'The tags to put on the source artifact once it verified, in its repository, e.g. stable.',
    action: { input: 'to' },
    cli: { flag: 'to', metavar: '<tag>', help: 'a tag to put on the verified digest (repeatable)' }
  },
  pruneRepository: {
    commands: ['prune'],
    kind: 'list',
    description: 'The repository to prune: oci://registry/repository.',
    cli: { positional: true, metavar: 'oci://<repo>' }
  },
  keep: {
    commands: ['prune'],
    kind: 'text',
    default: '10',
    description:
      'How many matching tags to keep, newest first by their created annotation. That annotation is what each artifact claims: anyone who can push could claim to be newest, so read the dry run before --yes.',
    cli: { flag: 'keep', metavar: '<n>' }
  },
  match: {
    commands: ['prune'],
    kind: 'text',
    default: '*',
    description:
      'Only tags matching this pattern (* and ?) are pruned; the others are never touched.',
    cli: { flag: 'match', metavar: '<pattern>' }
  },
  protect: {
    commands: ['prune'],
    kind: 'list',
    default: 'latest',
    description: 'Tags never pruned, nor what they point at (repeatable patterns).',
    cli: { flag: 'protect', metavar: '<pattern>' }
  },
  yes: {
    commands: ['prune'],
    kind: 'boolean',
    default: 'false',
    description: 'Delete: without it, prune only prints what it would delete.',
    cli: { flag: 'yes' }
  },
  toRepository: {
    commands: ['promote'],
    kind: 'text',
    description:
      'Promote into this repository instead (oci://registry/repository, another registry too): the artifact is copied there with its signatures and referrers and verified there again before the tags move.',
    action: { input: 'to-repository' },
    cli: { flag: 'to-repository', metavar: 'oci://<repo>' }
  },
  jobs: {
    commands: ['plan'],
    kind: 'text',
    default: '20',
    description:
      'The most matrix entries the plan spreads the changed components over (each entry gets a `paths` list; GitHub allows 256 jobs per matrix).',
    action: { input: 'jobs' },
    cli: { flag: 'jobs', metavar: '<n>' }
  },
  strict: {
    commands: VERIFY,
    kind: 'boolean',
    default: 'false',
    description:
      'Fail on warnings too (unanchored or missing identities, an attestation counted as a signature).',
    action: { input: 'strict' },
    cli: { flag: 'strict' }
  }
} as const satisfies Record<string, OptionSpec>

export type OptionId = keyof typeof OPTIONS

/** The commands, with what their positional arguments are and what they do. */
export const COMMANDS: Record<Command, { summary: string; arguments: string }> = {
  build: {
    arguments: '<dir>',
    summary: 'archive <dir> as a Flux artifact layer and print its digests as JSON'
  },
  publish: {
    arguments: '<dir>...',
    summary:
      'build each directory and push it (signed, then tagged), printing the artifacts as JSON'
  },
  verify: {
    arguments: 'oci://<repo>:<tag>|@<digest>',
    summary: "verify as Flux's source-controller does, printing what verified as JSON"
  },
  promote: {
    arguments: 'oci://<repo>:<tag>|@<digest>',
    summary:
      'verify the artifact as Flux would (the identities its clusters use), then put the --to tags on that exact digest'
  },
  prune: {
    arguments: 'oci://<repo>',
    summary:
      'keep the newest --keep tags matching --match, and (with --yes) delete the other artifacts with their signatures and referrers; a dry run without --yes'
  },
  plan: {
    arguments: '<dir>...',
    summary:
      'say which directories would change against --diff-tag (content downloaded and hashed; with identities, signature verified as Flux would), with read access only, and print the plan and a job matrix over the changed ones as JSON'
  }
}
