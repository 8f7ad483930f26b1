import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { startProxy, type CountingProxy } from '../../scripts/lib/proxy.js'
import { startRegistryProcess, type RegistryProcess } from '../../scripts/lib/registry.js'
import { runCliInProcess } from '../support/in-process.js'
import { runTool, tool } from '../support/tools.js'
import { removeTempDirs, tempDir, writeTree } from '../support/tree.js'

/**
 * A repository with immutable tags, as ECR's IMMUTABLE setting makes it: the
 * real registry behind a proxy that refuses, as ECR does (400 TAG_INVALID),
 * any write to a tag that already exists. A rerun on the same digest is
 * fine; moving a tag is an error that names it.
 */

let registry: RegistryProcess
let proxy: CountingProxy
let workspace: string
const written = new Set<string>()

beforeAll(async () => {
  registry = await startRegistryProcess(tool('docker-registry'))
  proxy = await startProxy(registry.host, {
    tap: ({ phase, method, path, status }) => {
      const tag = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(path)
      if (method !== 'PUT' || !tag || tag[2]?.startsWith('sha256:')) return 'continue'
      const key = `${tag[1]}:${tag[2]}`
      if (phase === 'response') {
        if (status === 201) written.add(key)
        return 'continue'
      }
      if (!written.has(key)) return 'continue'
      return {
        status: 400,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          errors: [
            {
              code: 'TAG_INVALID',
              message: `The image tag '${tag[2]}' already exists in the '${tag[1]}' repository and cannot be overwritten because the repository is immutable.`
            }
          ]
        })
      }
    }
  })
  workspace = await tempDir()
  await writeTree(workspace, { 'apps/podinfo/deploy.yaml': 'kind: Deployment\n' })
})
afterAll(async () => {
  await proxy?.stop()
  await registry?.stop()
  await removeTempDirs()
})

const publish = (tags: string[]) =>
  runCliInProcess(
    [
      'publish',
      'apps/podinfo',
      '--repository',
      `${proxy.host}/fleet/podinfo`,
      '--diff-tag',
      'latest',
      ...tags.flatMap(tag => ['--tag', tag])
    ],
    { SOURCE_DATE_EPOCH: '1700000000' },
    workspace
  )

describe('a registry with immutable tags', () => {
  it('accepts a rerun whose tags already hold the same digest', async () => {
    const first = await publish(['latest', '1.0.0'])
    expect(first.code).toBe(0)
    const again = await publish(['latest', '1.0.0'])
    expect(again.code).toBe(0)
    // The registry refused both tag writes; each tag was read and found on this digest.
    expect(proxy.requests.filter(r => r.status === 400)).toHaveLength(2)
    const [before] = JSON.parse(first.stdout) as { digest: string }[]
    const [after] = JSON.parse(again.stdout) as { digest: string; pushed: boolean }[]
    expect(after).toMatchObject({ digest: before?.digest, pushed: false })
  })

  it('refuses to report success when a tag would have to move, naming the tag and what it holds', async () => {
    await writeFile(join(workspace, 'apps/podinfo/deploy.yaml'), 'kind: Deployment # v2\n')
    const run = await publish(['latest', '2.0.0'])
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(
      /refused to move tag latest, which holds sha256:[0-9a-f]{64}, to sha256:[0-9a-f]{64}: its tags are immutable/
    )
    expect(run.stderr).toMatch(/fix: with immutable tags, tag each build uniquely/)
    // The unique tag did move (and says so); latest still holds the first build.
    const tags = await runTool('skopeo', [
      'list-tags',
      '--tls-verify=false',
      `docker://${registry.host}/fleet/podinfo`
    ])
    expect((JSON.parse(tags.stdout) as { Tags: string[] }).Tags.sort()).toEqual([
      '1.0.0',
      '2.0.0',
      'latest'
    ])
  })
})
