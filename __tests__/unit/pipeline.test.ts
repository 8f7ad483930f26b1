import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { generateKeyPairSync } from 'node:crypto'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { LayoutStore } from '../../src/oci/layout.js'
import { publish, type PublishInputs, type PublishLogger } from '../../src/publish.js'
import { loadTrustMaterial, verifyArtifact } from '../../src/verify/index.js'
import { runCliInProcess } from '../support/in-process.js'
import { layoutInputs } from '../support/publish-inputs.js'
import { startSigstoreStack, type SigstoreStack } from '../support/sigstore.js'
import { removeTempDirs, tempDir, writeTree } from '../support/tree.js'

/**
 * The publish pipeline in-process, on OCI image layouts and the local
 * Sigstore stack (its own process, over HTTP): build → store → sign → read
 * back and verify → tags, and the CLI's main() on the same pipeline.
 */

const SUBJECT = 'https://github.com/Org/Fleet/.github/workflows/publish.yml@refs/heads/main'
const ISSUER = 'https://token.actions.githubusercontent.com'
const exactly = (value: string) => `^${value.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`

let stack: SigstoreStack
beforeAll(async () => {
  stack = await startSigstoreStack()
})
afterAll(async () => {
  await stack?.stop()
  await removeTempDirs()
})

const quiet: PublishLogger & { lines: string[] } = {
  lines: [],
  info: m => void quiet.lines.push(m),
  warning: m => void quiet.lines.push(`warning: ${m}`),
  debug: () => undefined,
  group: (title, lines) => void quiet.lines.push(title, ...lines),
  secret: () => undefined
}

async function fleet(): Promise<string> {
  const workspace = await tempDir('pipeline-')
  await writeTree(workspace, {
    'apps/podinfo/deploy.yaml': 'kind: Deployment\n',
    'apps/redis/deploy.yaml': 'kind: StatefulSet\n'
  })
  return workspace
}

function inputs(
  workspace: string,
  layout: string,
  extra: { diffTag?: string; sign?: 'keyless'; signatureFormat?: 'legacy' | 'both' } = {}
): PublishInputs {
  const sigstore = {
    format: extra.signatureFormat ?? 'legacy',
    fulcioUrl: stack.url,
    rekorUrl: stack.url,
    trustedRoot: stack.trustedRoot
  } as const
  return layoutInputs(workspace, layout, {
    registry: { tags: ['latest', 'stable'], diffTag: extra.diffTag },
    signing: { mode: extra.sign ?? 'none', ...sigstore },
    env: stack.runnerEnv()
  })
}

describe('publish() into OCI layouts, unsigned', () => {
  it('stores one artifact per component, tagged, and finds it unchanged through diff-tag', async () => {
    const workspace = await fleet()
    const layout = await tempDir('layout-')
    const first = await publish(inputs(workspace, layout), quiet)
    expect(first.artifacts.map(a => [a.component, a.pushed, a.signed])).toEqual([
      ['podinfo', true, false],
      ['redis', true, false]
    ])
    const index = JSON.parse(await readFile(join(layout, 'podinfo/index.json'), 'utf8')) as {
      manifests: { digest: string; annotations?: Record<string, string> }[]
    }
    const tags = index.manifests.map(m => [
      m.annotations?.['org.opencontainers.image.ref.name'],
      m.digest
    ])
    expect(tags).toEqual(
      expect.arrayContaining([
        ['latest', first.artifacts[0]?.digest],
        ['stable', first.artifacts[0]?.digest]
      ])
    )

    const again = await publish(inputs(workspace, layout, { diffTag: 'latest' }), quiet)
    expect(again.artifacts.map(a => [a.digest, a.pushed])).toEqual(
      first.artifacts.map(a => [a.digest, false])
    )

    await writeFile(join(workspace, 'apps/redis/deploy.yaml'), 'kind: StatefulSet # v2\n')
    const changed = await publish(inputs(workspace, layout, { diffTag: 'latest' }), quiet)
    expect(changed.artifacts.map(a => a.pushed)).toEqual([false, true])
    expect(changed.artifacts[1]?.digest).not.toBe(first.artifacts[1]?.digest)
  })
})

describe('publish() with keyless signing against the local Sigstore stack', () => {
  it('signs both formats with one certificate, and the signatures verify as Flux decides', async () => {
    await stack.reset()
    const workspace = await fleet()
    const layout = await tempDir('layout-')
    const published = await publish(
      inputs(workspace, layout, { sign: 'keyless', signatureFormat: 'both' }),
      quiet
    )
    expect(published.identity).toEqual({ subject: SUBJECT, issuer: ISSUER })
    expect(published.artifacts.every(a => a.signed)).toBe(true)
    expect((await stack.counters()).fulcio).toBe(1)

    const trust = await loadTrustMaterial(stack.trustedRoot)
    for (const artifact of published.artifacts) {
      const store = new LayoutStore(join(layout, artifact.component))
      const verified = await verifyArtifact(store, artifact.digest, {
        identities: [{ issuer: exactly(ISSUER), subject: exactly(SUBJECT) }],
        trust
      })
      expect(verified.format).toBe('bundle') // bundles exist: Flux >= 2.8 takes that path
      expect(verified.signatures[0]?.identity).toBe(SUBJECT)

      const wrong = await verifyArtifact(store, artifact.digest, {
        identities: [{ issuer: exactly(ISSUER), subject: exactly(SUBJECT.replace('main', 'dev')) }],
        trust
      }).catch((e: unknown) => e)
      expect((wrong as Error).message).toMatch(/identit/)
    }
  })

  it('finds its own signature on a rerun and signs nothing again', async () => {
    const workspace = await fleet()
    const layout = await tempDir('layout-')
    const signed = inputs(workspace, layout, { sign: 'keyless', diffTag: 'latest' })
    await publish(signed, quiet)
    await stack.reset()
    const rerun = await publish(signed, quiet)
    expect(rerun.artifacts.map(a => [a.pushed, a.signed])).toEqual([
      [false, true],
      [false, true]
    ])
    // No new signature: nothing logged in Rekor. (Knowing its own identity still costs one certificate.)
    expect((await stack.counters()).rekor).toBe(0)
  })
})

describe('the CLI in-process', () => {
  it('prints usage for --help and exits 2 without a command', async () => {
    expect((await runCliInProcess(['--help'])).code).toBe(0)
    const none = await runCliInProcess([])
    expect(none.code).toBe(2)
    expect(none.stdout).toMatch(/usage: fleetpack <command>/)
  })

  it('prints one command’s usage for <command> --help, and the version', async () => {
    for (const command of ['build', 'publish', 'verify']) {
      const help = await runCliInProcess([command, '--help'])
      expect(help.code).toBe(0)
      expect(help.stdout).toMatch(
        new RegExp(`^usage: fleetpack ${command} \\[options\\]\\n\\n  ${command} `)
      )
      for (const other of ['build', 'publish', 'verify'].filter(c => c !== command))
        expect(help.stdout).not.toContain(`\n  ${other} `)
    }
    const verifyHelp = (await runCliInProcess(['verify', '-h'])).stdout
    expect(verifyHelp).toContain('--flux-version')
    expect(verifyHelp).not.toContain('--oci-layout')
    // In-process the bundler's version constant is absent: the sources say "dev".
    expect(await runCliInProcess(['--version'])).toMatchObject({
      code: 0,
      stdout: 'fleetpack dev\n'
    })
  })

  it('names an unknown command and an unknown option', async () => {
    const unknown = await runCliInProcess(['deploy'])
    expect([unknown.code, unknown.stderr]).toEqual([
      1,
      expect.stringMatching(/unknown command "deploy"/)
    ])
    const option = await runCliInProcess(['build', '--frobnicate'])
    expect(option.code).toBe(1)
    expect(option.stderr).toMatch(/--frobnicate/)
  })

  it('builds a layer and publishes a key-signed layout', async () => {
    const workspace = await fleet()
    const built = await runCliInProcess([
      'build',
      join(workspace, 'apps/podinfo'),
      '-o',
      join(workspace, 'podinfo.tgz'),
      '--repository-root',
      workspace
    ])
    expect(built.code).toBe(0)
    expect(JSON.parse(built.stdout)).toMatchObject({
      files: 1,
      digest: expect.stringMatching(/^sha256:/)
    })

    const key = join(workspace, 'cosign.key')
    await writeFile(
      key,
      generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
        .privateKey.export({ format: 'pem', type: 'pkcs8' })
        .toString()
    )
    const layout = await tempDir('layout-')
    const published = await runCliInProcess(
      [
        'publish',
        join(workspace, 'apps/podinfo'),
        join(workspace, 'apps/redis'),
        '--repository',
        'registry.example/fleet/{name}',
        '--oci-layout',
        layout,
        '--key',
        key,
        '--tlog-upload',
        'false'
      ],
      { SOURCE_DATE_EPOCH: '1767225600' }
    )
    expect(published.stderr).not.toMatch(/error/)
    expect(published.code).toBe(0)
    const artifacts = JSON.parse(published.stdout) as { component: string; signed: boolean }[]
    expect(artifacts.map(a => [a.component, a.signed])).toEqual([
      ['podinfo', true],
      ['redis', true]
    ])
  })
})
