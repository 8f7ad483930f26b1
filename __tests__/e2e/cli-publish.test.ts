import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import { join } from 'node:path'
import { startRegistry, type TestRegistry } from '../support/registry.js'
import { minimalEnv, runCli } from '../support/runner.js'
import { runTool } from '../support/tools.js'
import { removeTempDirs, tempDir, writeTree } from '../support/tree.js'

const sha256 = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`

let registry: TestRegistry
let repo: string
beforeAll(async () => {
  registry = await startRegistry('none')
  repo = await tempDir()
  await writeTree(repo, {
    'apps/podinfo/deploy.yaml': 'kind: Deployment\n',
    'infra/cert-manager/release.yaml': 'kind: HelmRelease\n'
  })
})
afterAll(async () => {
  await registry?.stop()
  await removeTempDirs()
})

describe('fleetpack publish', () => {
  it('writes an OCI image layout per component that skopeo reads, and prints the artifacts', async () => {
    const layout = join(repo, 'layout')
    const result = await runCli(
      [
        'publish',
        'apps/podinfo',
        'infra/cert-manager',
        '--repository',
        'example.com/fleet/{name}',
        '--tag',
        'v1',
        '--tag',
        'latest',
        '--oci-layout',
        layout
      ],
      { cwd: repo }
    )
    expect(result.code).toBe(0)
    const artifacts = JSON.parse(result.stdout) as {
      component: string
      digest: string
      url: string
      tags: string[]
    }[]
    expect(artifacts.map(a => a.component)).toEqual(['podinfo', 'cert-manager'])
    for (const artifact of artifacts) {
      expect(artifact.url).toBe(`oci://example.com/fleet/${artifact.component}@${artifact.digest}`)
      for (const tag of ['v1', 'latest']) {
        const raw = await runTool('skopeo', [
          'inspect',
          '--raw',
          `oci:${join(layout, artifact.component)}:${tag}`
        ])
        expect(sha256(raw.stdout)).toBe(artifact.digest)
      }
    }
  })

  it('pushes to a registry and skips unchanged content with --diff-tag', async () => {
    const args = [
      'publish',
      'apps/podinfo',
      '--repository',
      `${registry.host}/apps/podinfo`,
      '--diff-tag',
      'latest'
    ]
    const env = minimalEnv({ SOURCE_DATE_EPOCH: '1700000000' })
    const first = JSON.parse((await runCli(args, { cwd: repo, env })).stdout)
    const second = JSON.parse((await runCli(args, { cwd: repo, env })).stdout)
    expect(first[0].pushed).toBe(true)
    expect(second[0]).toEqual({ ...first[0], pushed: false })
    const raw = await runTool('skopeo', [
      'inspect',
      '--raw',
      '--tls-verify=false',
      `docker://${registry.host}/apps/podinfo:latest`
    ])
    expect(sha256(raw.stdout)).toBe(first[0].digest)
  })

  it('refuses a password on the command line and explains where it goes', async () => {
    const result = await runCli(
      ['publish', 'apps/podinfo', '--repository', `${registry.host}/a`, '--username', 'u'],
      { cwd: repo }
    )
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(
      /FLEETPACK_PASSWORD is empty\n {2}fix: pass the password in the FLEETPACK_PASSWORD environment variable/
    )
  })
})
