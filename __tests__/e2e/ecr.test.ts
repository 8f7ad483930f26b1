import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startProxy, type CountingProxy, type ProxyDecision } from '../../scripts/lib/proxy.js'
import { startRegistryProcess, type RegistryProcess } from '../../scripts/lib/registry.js'
import { startMoto, type Moto } from '../support/moto.js'
import { runCliInProcess } from '../support/in-process.js'
import { tool } from '../support/tools.js'
import { removeTempDirs, tempDir, writeTree } from '../support/tree.js'

/**
 * Publishing to Amazon ECR: the registry side is the real registry behind a
 * proxy that behaves as ECR does (Basic authentication with the token
 * GetAuthorizationToken issues, NAME_UNKNOWN for a repository that was not
 * created), and the ECR API is moto's, reached by the real AWS SDK.
 */

const TOKEN = `Basic ${Buffer.from('AWS:123456789012-auth-token').toString('base64')}`

let moto: Moto
let registry: RegistryProcess
let proxy: CountingProxy
let workspace: string
const authorizations = new Set<string>()

/** The repositories moto holds, by name, with their settings. */
async function repositories(): Promise<Map<string, Record<string, unknown>>> {
  const answer = await moto.ecr('DescribeRepositories', {})
  const list = (answer.repositories ?? []) as { repositoryName: string }[]
  return new Map(list.map(r => [r.repositoryName, r as Record<string, unknown>]))
}

beforeAll(async () => {
  ;[moto, registry] = await Promise.all([
    startMoto(),
    startRegistryProcess(tool('docker-registry'))
  ])
  proxy = await startProxy(registry.host, {
    // What ECR answers: a Basic challenge until the GetAuthorizationToken
    // credentials come, then NAME_UNKNOWN for a repository not created.
    tap: async ({ phase, path, authorization }): Promise<ProxyDecision> => {
      if (phase !== 'request') return 'continue'
      if (authorization) authorizations.add(authorization)
      if (authorization !== TOKEN)
        return {
          status: 401,
          headers: {
            'www-authenticate': `Basic realm="https://123456789012.dkr.ecr.eu-west-1.amazonaws.com/",service="ecr.amazonaws.com"`
          }
        }
      const name = /^\/v2\/(.+?)\/(?:blobs|manifests|tags|referrers)\//.exec(path)?.[1]
      if (name && !(await repositories()).has(name))
        return {
          status: 404,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            errors: [
              {
                code: 'NAME_UNKNOWN',
                message: `The repository with name '${name}' does not exist in the registry with id '123456789012'`
              }
            ]
          })
        }
      return 'continue'
    }
  })
  workspace = await tempDir()
  await writeTree(workspace, {
    'apps/podinfo/deploy.yaml': 'kind: Deployment\n',
    'apps/redis/deploy.yaml': 'kind: StatefulSet\n'
  })
}, 60_000)
afterAll(async () => {
  await Promise.all([proxy?.stop(), registry?.stop(), moto?.stop()])
  await removeTempDirs()
})

/**
 * The CLI in-process (so coverage sees the ECR code), with the AWS SDK's
 * environment set around it: the SDK reads its endpoint and credentials
 * from process.env.
 */
async function publish(extra: string[]) {
  const saved = process.env
  process.env = { ...saved, ...moto.env }
  try {
    return await runCliInProcess(
      [
        'publish',
        'apps/podinfo',
        'apps/redis',
        '--repository',
        `${proxy.host}/fleet/{name}`,
        '--diff-tag',
        'latest',
        '--provider',
        'aws',
        ...extra
      ],
      { ...moto.env, SOURCE_DATE_EPOCH: '1700000000' },
      workspace
    )
  } finally {
    process.env = saved
  }
}

describe('Amazon ECR', () => {
  it('refuses a push to a repository that does not exist, saying how to create it', async () => {
    const run = await publish([])
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(/NAME_UNKNOWN/)
    expect(run.stderr).toMatch(/create-repositories/)
    // The token came from the job's AWS credentials (provider: aws), not a login step.
    expect([...authorizations]).toEqual([TOKEN])
  })

  it('creates the missing repositories with scan-on-push and the tag mutability asked for, then publishes', async () => {
    const run = await publish([
      '--create-repositories',
      'true',
      '--ecr-tag-mutability',
      'IMMUTABLE'
    ])
    expect(run.stderr).toMatch(
      /created 2 repositories \(IMMUTABLE tags, scan on push\): fleet\/podinfo, fleet\/redis/
    )
    expect(run.code).toBe(0)
    const created = await repositories()
    for (const name of ['fleet/podinfo', 'fleet/redis'])
      expect(created.get(name)).toMatchObject({
        imageTagMutability: 'IMMUTABLE',
        imageScanningConfiguration: { scanOnPush: true }
      })
    const artifacts = JSON.parse(run.stdout) as { component: string; pushed: boolean }[]
    expect(artifacts.map(a => [a.component, a.pushed])).toEqual([
      ['podinfo', true],
      ['redis', true]
    ])
  })

  it('leaves existing repositories alone on the next run', async () => {
    const run = await publish(['--create-repositories', 'true'])
    expect(run.code).toBe(0)
    expect(run.stderr).not.toMatch(/created/)
    expect((await repositories()).get('fleet/redis')).toMatchObject({
      imageTagMutability: 'IMMUTABLE'
    })
  })
})
