/**
 * SLSA v1 build provenance for an artifact built by a GitHub workflow, in
 * the shape actions/attest-build-provenance gives it (build type
 * https://actions.github.io/buildtypes/workflow/v1), so the tools that read
 * GitHub's attestations read fleetpack's: which workflow, at which ref, from
 * which repository and commit, in which run, built this digest.
 */

type Env = Readonly<Record<string, string | undefined>>

export const GITHUB_WORKFLOW_BUILD_TYPE = 'https://actions.github.io/buildtypes/workflow/v1'

/** The predicate, from the runner's environment; undefined outside GitHub Actions. */
export function provenancePredicate(env: Env): object | undefined {
  const server = env.GITHUB_SERVER_URL ?? 'https://github.com'
  const repository = env.GITHUB_REPOSITORY
  const workflowRef = env.GITHUB_WORKFLOW_REF
  const sha = env.GITHUB_SHA
  if (!repository || !workflowRef || !sha) return undefined
  const [workflowPath, ref] = workflowRef.replace(`${repository}/`, '').split('@')
  return {
    buildDefinition: {
      buildType: GITHUB_WORKFLOW_BUILD_TYPE,
      externalParameters: {
        workflow: {
          ref: ref ?? env.GITHUB_REF,
          repository: `${server}/${repository}`,
          path: workflowPath
        }
      },
      internalParameters: {
        github: {
          event_name: env.GITHUB_EVENT_NAME,
          repository_id: env.GITHUB_REPOSITORY_ID,
          repository_owner_id: env.GITHUB_REPOSITORY_OWNER_ID,
          runner_environment: env.RUNNER_ENVIRONMENT
        }
      },
      resolvedDependencies: [
        { uri: `git+${server}/${repository}@${env.GITHUB_REF ?? ''}`, digest: { gitCommit: sha } }
      ]
    },
    runDetails: {
      builder: { id: `${server}/${workflowRef}` },
      metadata: {
        invocationId: `${server}/${repository}/actions/runs/${env.GITHUB_RUN_ID ?? ''}/attempts/${env.GITHUB_RUN_ATTEMPT ?? '1'}`
      }
    }
  }
}
