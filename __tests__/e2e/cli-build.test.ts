import { afterAll, describe, expect, it } from '@jest/globals'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { PROJECT_ROOT, runCli } from '../support/runner.js'
import {
  removeTempDirs,
  sha256File,
  sha256Uncompressed,
  tarNames,
  tempDir,
  writeTree
} from '../support/tree.js'

afterAll(removeTempDirs)

describe('fleetpack --version', () => {
  it('prints the version of the package it was bundled from', async () => {
    const { version } = JSON.parse(await readFile(join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
      version: string
    }
    const result = await runCli(['--version'])
    expect(result).toMatchObject({ code: 0, stdout: `fleetpack ${version}\n` })
  })
})

describe('fleetpack build', () => {
  it('writes the layer and prints its digests as one JSON object', async () => {
    const repo = await tempDir()
    await writeTree(repo, {
      'apps/podinfo/deploy.yaml': 'kind: Deployment\n',
      'apps/podinfo/svc.yaml': 'kind: Service\n',
      'apps/podinfo/logo.png': 'ignored by default'
    })
    const output = join(repo, 'podinfo.tgz')
    const result = await runCli(
      ['build', 'apps/podinfo', '--output', output, '--annotation', 'com.example/team=apps'],
      {
        cwd: repo
      }
    )
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    const json = JSON.parse(result.stdout)
    expect(json).toMatchObject({
      digest: sha256File(output),
      diffId: sha256Uncompressed(output),
      files: 2,
      mediaType: 'application/vnd.cncf.flux.content.v1.tar+gzip'
    })
    expect(json.size).toBeGreaterThan(0)
    expect(json.manifestDigest).toMatch(/^sha256:[0-9a-f]{64}$/)
    expect(json.annotations['com.example/team']).toBe('apps')
    expect(tarNames(output)).toEqual(['.', 'deploy.yaml', 'svc.yaml'])
  })

  it('gives the same digests when run twice with SOURCE_DATE_EPOCH', async () => {
    const repo = await tempDir()
    await writeTree(repo, { 'infra/controllers/a.yaml': 'a' })
    const env = { PATH: process.env.PATH, SOURCE_DATE_EPOCH: '1700000000' }
    const first = await runCli(['build', 'infra/controllers', '-o', 'one.tgz'], { cwd: repo, env })
    const second = await runCli(['build', 'infra/controllers', '-o', 'two.tgz'], { cwd: repo, env })
    const [a, b] = [JSON.parse(first.stdout), JSON.parse(second.stdout)]
    expect(b.digest).toBe(a.digest)
    expect(b.manifestDigest).toBe(a.manifestDigest)
    expect(a.annotations['org.opencontainers.image.created']).toBe('2023-11-14T22:13:20Z')
  })

  it.each([
    [['build', 'nope', '-o', 'x.tgz'], /nope does not exist\n {2}fix: check the path/],
    [['build', 'apps'], /build needs --output <file.tgz>/],
    [
      ['build', 'apps', '-o', 'x.tgz', '--annotation', 'novalue'],
      /--annotation: "novalue" is not a key=value pair/
    ],
    [['publish-everything'], /unknown command "publish-everything"/],
    [['build', 'apps', '-o', 'x.tgz', '--frobnicate'], /Unknown option '--frobnicate'/]
  ])('fails on %j with a message on stderr and a non-zero exit', async (args, message) => {
    const repo = await tempDir()
    await writeTree(repo, { 'apps/a.yaml': 'a' })
    const result = await runCli(args, { cwd: repo })
    expect(result.code).toBe(1)
    expect(result.stdout).toBe('')
    expect(result.stderr).toMatch(message)
  })
})
