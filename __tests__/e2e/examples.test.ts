import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { cp, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parseAllDocuments, parse } from 'yaml'
import { startRegistry, type TestRegistry } from '../support/registry.js'
import { PROJECT_ROOT, minimalEnv, runAction, runCli } from '../support/runner.js'
import { startSigstoreStack, type SigstoreStack } from '../support/sigstore.js'
import { removeTempDirs, tempDir } from '../support/tree.js'

/**
 * The examples are what users copy, so they run here: the example workflows'
 * fleetpack inputs publish the example components on the local stack, and the
 * example OCIRepository verify blocks accept the result.
 */

const EXAMPLES = join(PROJECT_ROOT, 'examples')
const SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678'

let stack: SigstoreStack
let registry: TestRegistry

beforeAll(async () => {
  ;[stack, registry] = await Promise.all([startSigstoreStack(), startRegistry('none')])
})
afterAll(async () => {
  await Promise.all([stack?.stop(), registry?.stop()])
  await removeTempDirs()
})

/** The `with:` of the fleetpack step of an example workflow, with its expressions evaluated. */
async function fleetpackInputs(
  workflow: string,
  context: Record<string, string>
): Promise<Record<string, string>> {
  const parsed = parse(await readFile(join(EXAMPLES, 'workflows', workflow), 'utf8')) as {
    jobs: Record<string, { steps: { uses?: string; with?: Record<string, string> }[] }>
  }
  const step = Object.values(parsed.jobs)
    .flatMap(job => job.steps)
    .find(s => s.uses?.startsWith('fleetpack/fleetpack@'))
  if (!step?.with) throw new Error(`${workflow} has no fleetpack step`)
  return Object.fromEntries(
    Object.entries(step.with).map(([key, value]) => [
      key,
      String(value).replace(/\$\{\{\s*([\w.-]+)\s*\}\}/g, (_, expression: string) => {
        if (!(expression in context)) throw new Error(`${workflow}: no value for ${expression}`)
        return context[expression] as string
      })
    ])
  )
}

/** The matchOIDCIdentity entries of the OCIRepository `name` in an example Flux file. */
async function verifyBlock(file: string, name: string) {
  const docs = parseAllDocuments(await readFile(join(EXAMPLES, 'flux', file), 'utf8')).map(d =>
    d.toJS()
  ) as {
    metadata: { name: string }
    spec: { verify: { matchOIDCIdentity: { issuer: string; subject: string }[] } }
  }[]
  const doc = docs.find(d => d.metadata.name === name)
  if (!doc) throw new Error(`${file} has no OCIRepository ${name}`)
  return doc.spec.verify.matchOIDCIdentity.flatMap(id => [
    '--issuer-regexp',
    id.issuer,
    '--subject-regexp',
    id.subject
  ])
}

async function publishExample(
  workflow: string,
  context: Record<string, string>,
  claims: Record<string, unknown>,
  env: Record<string, string>
) {
  const workspace = await tempDir('example-repo-')
  await cp(EXAMPLES, workspace, { recursive: true })
  const inputs = await fleetpackInputs(workflow, context)
  const run = await runAction(
    {
      ...inputs,
      // The one change: the local registry stands in for ghcr.io.
      repository: `${registry.host}/example-org/apps/{name}`,
      'fulcio-url': stack.url,
      'rekor-url': stack.url,
      'trusted-root': stack.trustedRoot,
      sign: 'keyless'
    },
    {
      workspace,
      env: {
        GITHUB_REPOSITORY: 'example-org/apps',
        GITHUB_SHA: SHA,
        ...env,
        ...stack.runnerEnv(claims)
      }
    }
  )
  expect(run.stdout.match(/::error::.*/)?.[0]).toBeUndefined()
  expect(run.code).toBe(0)
  return JSON.parse(run.outputs.artifacts ?? '[]') as {
    component: string
    repository: string
    digest: string
    tags: string[]
  }[]
}

describe('the example workflows and Flux manifests', () => {
  it('publish-main.yml publishes the components that flux/apps.yaml then accepts', async () => {
    const artifacts = await publishExample(
      'publish-main.yml',
      {},
      {
        job_workflow_ref: 'example-org/apps/.github/workflows/publish-main.yml@refs/heads/main',
        repository: 'example-org/apps'
      },
      { GITHUB_REF_NAME: 'main' }
    )
    expect(artifacts.map(a => a.component).sort()).toEqual(['cert-manager', 'podinfo'])
    expect(artifacts[0]?.tags).toEqual(['latest', `main-${SHA.slice(0, 8)}`])
    const identity = await verifyBlock('apps.yaml', 'podinfo')
    for (const artifact of artifacts) {
      const result = await runCli(
        [
          'verify',
          `oci://${artifact.repository}:latest`,
          ...identity,
          '--trusted-root',
          stack.trustedRoot
        ],
        { env: minimalEnv() }
      )
      expect(result.stderr).toBe('')
      expect(result.code).toBe(0)
    }
  })

  it('publish-release.yml tags a release that the semver OCIRepository accepts, and the main one refuses', async () => {
    const artifacts = await publishExample(
      'publish-release.yml',
      {},
      {
        job_workflow_ref: 'example-org/apps/.github/workflows/publish-release.yml@refs/tags/v1.4.2',
        ref: 'refs/tags/v1.4.2'
      },
      { GITHUB_REF_NAME: 'v1.4.2', GITHUB_REF: 'refs/tags/v1.4.2' }
    )
    const podinfo = artifacts.find(a => a.component === 'podinfo')
    expect(podinfo?.tags).toEqual(['v1.4.2', 'latest-stable'])
    const ref = `oci://${podinfo?.repository}:v1.4.2`
    const stable = await runCli(
      [
        'verify',
        ref,
        ...(await verifyBlock('apps.yaml', 'podinfo-stable')),
        '--trusted-root',
        stack.trustedRoot
      ],
      { env: minimalEnv() }
    )
    expect(stable.code).toBe(0)
    const main = await runCli(
      [
        'verify',
        ref,
        ...(await verifyBlock('apps.yaml', 'podinfo')),
        '--trusted-root',
        stack.trustedRoot
      ],
      { env: minimalEnv() }
    )
    expect(main.code).toBe(1)
    expect(main.stderr).toContain(
      'it was signed on a tag (refs/tags/v1.4.2), but the subject expects a branch'
    )
  })
})
