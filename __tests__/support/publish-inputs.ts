import type { PublishInputs } from '../../src/publish.js'

/**
 * The pipeline's inputs for an in-process publish of `apps/*` in
 * `workspace` into OCI layouts under `layout`, unsigned unless the
 * overrides say otherwise: what each in-process test changes is all it
 * writes.
 */
export function layoutInputs(
  workspace: string,
  layout: string,
  overrides: {
    build?: Partial<PublishInputs['build']>
    registry?: Partial<PublishInputs['registry']>
    signing?: PublishInputs['signing']
    env?: Record<string, string>
  } = {}
): PublishInputs {
  return {
    build: {
      paths: ['apps/*'],
      ignorePaths: [],
      annotations: {},
      source: 'https://github.com/Org/Fleet',
      revision: 'main@sha1:0123456789abcdef0123456789abcdef01234567',
      cwd: workspace,
      ...overrides.build
    },
    registry: {
      repository: 'registry.example/fleet/{name}',
      tags: ['latest'],
      diffTag: undefined,
      concurrency: 2,
      username: undefined,
      password: undefined,
      githubActor: undefined,
      githubToken: undefined,
      insecureRegistries: [],
      ...overrides.registry
    },
    signing: overrides.signing ?? { mode: 'none' },
    output: { ociLayout: layout },
    env: { SOURCE_DATE_EPOCH: '1767225600', ...overrides.env }
  }
}
