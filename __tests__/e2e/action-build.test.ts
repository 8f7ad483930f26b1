import { afterAll, describe, expect, it } from '@jest/globals'
import { runAction } from '../support/runner.js'
import { removeTempDirs, tempDir, writeTree } from '../support/tree.js'

afterAll(removeTempDirs)

describe('the bundled action, run as a runner runs it', () => {
  it('builds every listed component and reports them in outputs and the job summary', async () => {
    const workspace = await tempDir()
    await writeTree(workspace, {
      'apps/podinfo/deploy.yaml': 'kind: Deployment\n',
      'infra/controllers/helm.yaml': 'kind: HelmRelease\n',
      'infra/controllers/extra.yaml': 'kind: Namespace\n'
    })
    const run = await runAction(
      {
        paths: 'apps/podinfo\n# infra next\ninfra/controllers\n',
        annotations: 'com.example/team=platform'
      },
      { workspace }
    )
    expect(run.code).toBe(0)
    const artifacts = JSON.parse(run.outputs.artifacts ?? '[]')
    expect(artifacts).toHaveLength(2)
    expect(artifacts[0]).toMatchObject({ component: 'podinfo', path: 'apps/podinfo', files: 1 })
    expect(artifacts[1]).toMatchObject({
      component: 'controllers',
      path: 'infra/controllers',
      files: 2
    })
    for (const artifact of artifacts) expect(artifact.digest).toMatch(/^sha256:[0-9a-f]{64}$/)
    expect(run.outputs.digest).toBeUndefined()
    expect(run.summary).toContain(artifacts[0].digest)
    expect(run.summary).toContain('controllers')
    expect(run.stdout).toContain('::group::podinfo (apps/podinfo)')
  })

  it('fails the step naming every failing component, after building the others', async () => {
    const workspace = await tempDir()
    await writeTree(workspace, {
      'apps/good/a.yaml': 'a',
      'apps/bad/creds': { link: '/etc/passwd' }
    })
    const run = await runAction({ paths: 'apps/bad\napps/missing\napps/good' }, { workspace })
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(/::error::2 of 3 components failed/)
    expect(run.stdout).toMatch(
      /bad \(apps\/bad\): .*apps\/bad\/creds is a symlink to \/etc\/passwd/
    )
    expect(run.stdout).toMatch(/missing \(apps\/missing\): apps\/missing does not exist/)
    expect(run.stdout).toContain('::group::good (apps/good)')
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
