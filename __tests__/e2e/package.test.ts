import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { CLI_ENTRY, PROJECT_ROOT, minimalEnv, runProcess } from '../support/runner.js'
import { removeTempDirs, tempDir, writeTree } from '../support/tree.js'

/**
 * The CLI as users install it: `npm pack` of this repository, installed
 * into an empty directory (offline: the package bundles everything and
 * depends on nothing), then run through the `fleetpack` bin npm links.
 */

/** npm itself: the one running the tests when there is one, else npm on PATH. */
function npm(args: string[], cwd: string) {
  const cli = process.env.npm_execpath
  return cli && cli.endsWith('.js')
    ? runProcess(process.execPath, [cli, ...args], { cwd, env: process.env })
    : runProcess('npm', args, { cwd, env: process.env })
}

let installed: string
let bin: string
beforeAll(async () => {
  const packed = await tempDir('pack-')
  const pack = await npm(['pack', '--json', '--pack-destination', packed], PROJECT_ROOT)
  if (pack.code !== 0) throw new Error(`npm pack failed:\n${pack.stderr}`)
  const [tarball] = JSON.parse(pack.stdout) as { filename: string }[]
  const filename = tarball?.filename
  installed = await tempDir('install-')
  const install = await npm(
    ['install', '--offline', '--no-audit', '--no-fund', join(packed, filename ?? '')],
    installed
  )
  if (install.code !== 0)
    throw new Error(`npm install of the packed CLI failed:\n${install.stderr}`)
  bin = join(installed, 'node_modules/.bin/fleetpack')
}, 120_000)
afterAll(removeTempDirs)

/** Runs the installed bin as a shell would: by its shebang, with this Node first on PATH. */
const fleetpack = (args: string[], cwd = installed) =>
  runProcess(bin, args, {
    cwd,
    env: minimalEnv({ PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}` })
  })

describe('the published package', () => {
  it('installs with no dependencies and prints its version', async () => {
    const manifest = JSON.parse(
      await readFile(join(installed, 'node_modules/fleetpack/package.json'), 'utf8')
    ) as { version: string; dependencies?: object }
    expect(manifest.dependencies).toBeUndefined()
    const version = await fleetpack(['--version'])
    expect(version).toMatchObject({ code: 0, stdout: `fleetpack ${manifest.version}\n` })
  })

  it('builds the same artifact as the repository’s own dist/', async () => {
    const tree = await tempDir('tree-')
    await writeTree(tree, { 'apps/podinfo/deploy.yaml': 'kind: Deployment\n' })
    const env = minimalEnv({ SOURCE_DATE_EPOCH: '1700000000' })
    const fromPackage = await runProcess(
      bin,
      ['build', 'apps/podinfo', '--output', 'a.tgz', '--source', 's', '--revision', 'r'],
      { cwd: tree, env: { ...env, PATH: `${dirname(process.execPath)}:${env.PATH ?? ''}` } }
    )
    const fromRepository = await runProcess(
      process.execPath,
      [CLI_ENTRY, 'build', 'apps/podinfo', '--output', 'b.tgz', '--source', 's', '--revision', 'r'],
      { cwd: tree, env }
    )
    expect(fromPackage.code).toBe(0)
    const a = JSON.parse(fromPackage.stdout) as { manifestDigest: string; digest: string }
    const b = JSON.parse(fromRepository.stdout) as { manifestDigest: string; digest: string }
    expect(a.digest).toBe(b.digest)
    expect(a.manifestDigest).toBe(b.manifestDigest)
  })
})
