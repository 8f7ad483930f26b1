import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startRegistry, type TestRegistry } from '../support/registry.js'
import { runAction } from '../support/runner.js'
import { runTool } from '../support/tools.js'
import { removeTempDirs, tempDir, writeTree } from '../support/tree.js'

let registry: TestRegistry
beforeAll(async () => {
  registry = await startRegistry('none')
})
afterAll(async () => {
  await registry?.stop()
  await removeTempDirs()
})

describe('a component that cannot be built', () => {
  it('fails the step naming it, after publishing the others, which are still reported', async () => {
    const workspace = await tempDir()
    await writeTree(workspace, {
      'apps/good/a.yaml': 'a',
      'apps/bad/creds': { link: '/etc/passwd' },
      'apps/zzz/b.yaml': 'b'
    })
    const run = await runAction(
      { paths: 'apps/*', repository: `${registry.host}/apps/{name}` },
      { workspace }
    )
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(
      /::error::1 of 3 components failed:%0A {2}bad \(apps\/bad\): .*apps\/bad\/creds is a symlink to \/etc\/passwd, outside the repository root/
    )
    const artifacts = JSON.parse(run.outputs.artifacts ?? '[]') as { component: string }[]
    expect(artifacts.map(a => a.component)).toEqual(['good', 'zzz'])
    expect(run.summary).toContain('Failed')
    // The good components really are in the registry; the bad one left nothing.
    await runTool('skopeo', [
      'inspect',
      '--raw',
      '--tls-verify=false',
      `docker://${registry.host}/apps/good:latest`
    ])
    await expect(
      runTool('skopeo', [
        'inspect',
        '--raw',
        '--tls-verify=false',
        `docker://${registry.host}/apps/bad:latest`
      ])
    ).rejects.toThrow(/manifest unknown|not found/i)
  })

  it('fails before any upload when a listed path does not exist', async () => {
    const workspace = await tempDir()
    await writeTree(workspace, { 'apps/good/a.yaml': 'a' })
    const run = await runAction(
      { paths: 'apps/good\napps/missing', repository: `${registry.host}/apps/{name}` },
      { workspace }
    )
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(
      /::error::paths: "apps\/missing" does not exist%0A {2}fix: paths are relative to the working directory/
    )
    expect(run.stdout).not.toMatch(/publishing/)
  })

  it('says which input is missing', async () => {
    const workspace = await tempDir()
    const run = await runAction({}, { workspace })
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(
      /::error::input "paths" is required and was not given%0A {2}fix: add it under "with:"/
    )
  })
})
