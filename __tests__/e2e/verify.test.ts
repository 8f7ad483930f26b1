import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { startRegistry, type TestRegistry } from '../support/registry.js'
import { minimalEnv, runAction, runCli, runProcess } from '../support/runner.js'
import { startSigstoreStack, type SigstoreStack } from '../support/sigstore.js'
import {
  anchored,
  cosignKeyPair,
  cosignSign,
  cosignSignWithKey,
  cosign3Sign as signWithCosign3,
  cosign3Verify as verifyWithCosign3
} from '../support/cosign.js'
import { removeTempDirs, tempDir, writeTree } from '../support/tree.js'

/**
 * fleetpack verify decides as Flux's source-controller does, on artifacts
 * signed by fleetpack and by the real cosign, and explains its refusals.
 */

const ISSUER = 'https://token.actions.githubusercontent.com'
const PUBLISH = 'https://github.com/Org/Fleet/.github/workflows/publish.yml@refs/heads/main'
const RELEASE_REF = 'Org/Fleet/.github/workflows/release.yml@refs/tags/v1.0.0'

let stack: SigstoreStack
let foreign: SigstoreStack
let registry: TestRegistry
let workspace: string
let counter = 0

beforeAll(async () => {
  ;[stack, foreign, registry] = await Promise.all([
    startSigstoreStack(),
    startSigstoreStack(),
    startRegistry('none')
  ])
  workspace = await tempDir('workspace-')
})
afterAll(async () => {
  await Promise.all([stack?.stop(), foreign?.stop(), registry?.stop()])
  await removeTempDirs()
})

/** Publishes a fresh component with the action; returns repository and digest. */
async function publish(inputs: Record<string, string> = {}, claims: Record<string, unknown> = {}) {
  const name = `app-${++counter}`
  await writeTree(workspace, { [`apps/${name}/deploy.yaml`]: `kind: Deployment # ${name}\n` })
  const repository = `${registry.host}/verify/${name}`
  const run = await runAction(
    {
      paths: `apps/${name}`,
      repository,
      sign: 'keyless',
      'fulcio-url': stack.url,
      'rekor-url': stack.url,
      'trusted-root': stack.trustedRoot,
      ...inputs
    },
    { workspace, env: stack.runnerEnv(claims) }
  )
  if (run.code !== 0) throw new Error(`publishing failed:\n${run.stdout}`)
  return { repository, digest: run.outputs.digest as string }
}

function verify(ref: string, ...args: string[]) {
  return runCli(['verify', `oci://${ref}`, ...args], { env: minimalEnv() })
}

const identity = (subject: string, issuer = ISSUER) => [
  '--issuer-regexp',
  anchored(issuer),
  '--subject-regexp',
  anchored(subject)
]
const withRoot = (root = stack.trustedRoot) => ['--trusted-root', root]

describe('fleetpack verify on what fleetpack signs', () => {
  let legacy: { repository: string; digest: string }
  beforeAll(async () => {
    legacy = await publish()
  })

  it('accepts the expected identity and prints what verified', async () => {
    const result = await verify(`${legacy.repository}:latest`, ...identity(PUBLISH), ...withRoot())
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    const json = JSON.parse(result.stdout)
    expect(json).toMatchObject({ digest: legacy.digest, format: 'legacy' })
    expect(json.signatures).toEqual([
      { identity: PUBLISH, issuer: ISSUER, rekorLogIndex: expect.any(Number) }
    ])
  })

  it('accepts by digest too', async () => {
    const result = await verify(
      `${legacy.repository}@${legacy.digest}`,
      ...identity(PUBLISH),
      ...withRoot()
    )
    expect(result.code).toBe(0)
  })

  it('rejects another subject, saying what it found and what it expected', async () => {
    const result = await verify(
      `${legacy.repository}:latest`,
      ...identity(PUBLISH.replace('publish', 'deploy')),
      ...withRoot()
    )
    expect(result.code).toBe(1)
    expect(result.stderr).toContain(
      `found ${PUBLISH} from ${ISSUER} [repository Org/Fleet (ID 123456), ref refs/heads/main]: identity not expected`
    )
    expect(result.stderr).toContain('expected issuer ^https:\\/\\/token')
  })

  it('rejects another issuer, naming the issuer found', async () => {
    const result = await verify(
      `${legacy.repository}:latest`,
      ...identity(PUBLISH, 'https://accounts.google.com'),
      ...withRoot()
    )
    expect(result.code).toBe(1)
    expect(result.stderr).toContain(`the issuer is ${ISSUER}`)
  })

  it('rejects a certificate from a foreign root', async () => {
    const result = await verify(
      `${legacy.repository}:latest`,
      ...identity(PUBLISH),
      ...withRoot(foreign.trustedRoot)
    )
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/invalid: /)
  })

  it('rejects an unsigned artifact', async () => {
    const unsigned = await publish({ sign: 'none' })
    const result = await verify(
      `${unsigned.repository}:latest`,
      ...identity(PUBLISH),
      ...withRoot()
    )
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('found no signature')
    expect(result.stderr).toContain('the artifact has no signature')
  })

  it('rejects a signature copied from another digest', async () => {
    const other = await publish()
    const base = (repo: string) => `http://${repo.replace(registry.host, `${registry.host}/v2`)}`
    const accept = { accept: 'application/vnd.oci.image.manifest.v1+json' }
    const sig = await (
      await fetch(`${base(legacy.repository)}/manifests/${legacy.digest.replace(':', '-')}.sig`, {
        headers: accept
      })
    ).text()
    // The .sig image of another digest, with its blobs, in the other repository.
    for (const layer of [
      ...(JSON.parse(sig) as { layers: { digest: string }[] }).layers,
      (JSON.parse(sig) as { config: { digest: string } }).config
    ]) {
      const blob = Buffer.from(
        await (await fetch(`${base(legacy.repository)}/blobs/${layer.digest}`)).arrayBuffer()
      )
      const start = await fetch(`${base(other.repository)}/blobs/uploads/`, { method: 'POST' })
      const location = start.headers.get('location') as string
      await fetch(`${location}&digest=${layer.digest}`, {
        method: 'PUT',
        body: blob,
        headers: { 'content-type': 'application/octet-stream' }
      })
    }
    const put = await fetch(
      `${base(other.repository)}/manifests/${other.digest.replace(':', '-')}.sig`,
      {
        method: 'PUT',
        headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
        body: sig
      }
    )
    expect(put.status).toBe(201)
    const result = await verify(
      `${other.repository}@${other.digest}`,
      ...identity(PUBLISH),
      ...withRoot()
    )
    expect(result.code).toBe(1)
    expect(result.stderr).toContain(`payload signs ${legacy.digest}, not ${other.digest}`)
  })

  it('warns about an unanchored, unescaped identity even when it verifies', async () => {
    const result = await verify(
      `${legacy.repository}:latest`,
      '--issuer-regexp',
      ISSUER,
      '--subject-regexp',
      'github.com/Org/Fleet',
      ...withRoot()
    )
    expect(result.code).toBe(0)
    expect(result.stderr).toContain(
      'is not anchored (^...$): Flux accepts any identity that merely contains a match'
    )
    expect(result.stderr).toContain('has an unescaped "." that matches any character')

    // --strict makes the same warnings fail the verification.
    const strict = await verify(
      `${legacy.repository}:latest`,
      '--issuer-regexp',
      ISSUER,
      '--subject-regexp',
      'github.com/Org/Fleet',
      ...withRoot(),
      '--strict'
    )
    expect(strict.code).toBe(1)
    expect(strict.stderr).toMatch(/verifies, but with warnings \(--strict\)/)
    expect(strict.stderr).toContain('is not anchored (^...$)')
  })

  it('refuses several identities when a bundle is present, as Flux does', async () => {
    const bundled = await publish({ 'signature-format': 'bundle' })
    const one = await verify(`${bundled.repository}:latest`, ...identity(PUBLISH), ...withRoot())
    expect(one.code).toBe(0)
    expect(JSON.parse(one.stdout).format).toBe('bundle')
    const two = await verify(
      `${bundled.repository}:latest`,
      ...identity(PUBLISH),
      ...identity(`https://github.com/${RELEASE_REF}`),
      ...withRoot()
    )
    expect(two.code).toBe(1)
    expect(two.stderr).toContain('refuses with more than one identity')
  })

  it('verifies key-based signatures with --key, and rejects another key', async () => {
    const [a, b] = await Promise.all([cosignKeyPair('pw'), cosignKeyPair('pw')])
    const signed = await publish({
      sign: 'key',
      'cosign-key': await readFile(a.key, 'utf8'),
      'cosign-password': a.password,
      'tlog-upload': 'false'
    })
    expect((await verify(`${signed.repository}:latest`, '--key', a.pub)).code).toBe(0)
    const wrong = await verify(`${signed.repository}:latest`, '--key', b.pub)
    expect(wrong.code).toBe(1)
    expect(wrong.stderr).toContain('signature does not verify with the key')
  })
})

describe('explanations for the classic identity mistakes', () => {
  it('recognises a reusable workflow, and --source-repository checks the caller', async () => {
    const claims = {
      job_workflow_ref: 'Org/shared/.github/workflows/sign.yml@refs/heads/main',
      workflow_ref: 'Org/Fleet/.github/workflows/publish.yml@refs/heads/main'
    }
    const signed = await publish({}, claims)
    const callerIdentity = await verify(
      `${signed.repository}:latest`,
      ...identity(PUBLISH),
      ...withRoot()
    )
    expect(callerIdentity.code).toBe(1)
    expect(callerIdentity.stderr).toContain(
      'the signature was made inside the reusable workflow https://github.com/Org/shared/.github/workflows/sign.yml@refs/heads/main, called by https://github.com/Org/Fleet/.github/workflows/publish.yml@refs/heads/main'
    )

    const reusable = identity(
      'https://github.com/Org/shared/.github/workflows/sign.yml@refs/heads/main'
    )
    expect(
      (
        await verify(
          `${signed.repository}:latest`,
          ...reusable,
          ...withRoot(),
          '--source-repository',
          'Org/Fleet',
          '--source-ref',
          'refs/heads/main'
        )
      ).code
    ).toBe(0)
    const otherCaller = await verify(
      `${signed.repository}:latest`,
      ...reusable,
      ...withRoot(),
      '--source-repository',
      'Evil/Fork'
    )
    expect(otherCaller.code).toBe(1)
    expect(otherCaller.stderr).toContain('the run belongs to Org/Fleet, not Evil/Fork')
  })

  it('recognises a tag where a branch was expected', async () => {
    const signed = await publish({}, { job_workflow_ref: RELEASE_REF, ref: 'refs/tags/v1.0.0' })
    const result = await verify(
      `${signed.repository}:latest`,
      ...identity('https://github.com/Org/Fleet/.github/workflows/release.yml@refs/heads/main'),
      ...withRoot()
    )
    expect(result.code).toBe(1)
    expect(result.stderr).toContain(
      'it was signed on a tag (refs/tags/v1.0.0), but the subject expects a branch'
    )
  })
})

describe('interoperability with the real cosign', () => {
  it('accepts a legacy keyless signature made by cosign 2.5', async () => {
    const unsigned = await publish({ sign: 'none' })
    const signed = await cosignSign(stack, `${unsigned.repository}@${unsigned.digest}`)
    expect(signed.code).toBe(0)
    const result = await verify(
      `${unsigned.repository}:latest`,
      ...identity(PUBLISH),
      ...withRoot()
    )
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout).format).toBe('legacy')
  })

  it('accepts a key-based signature made by cosign 2.5', async () => {
    const unsigned = await publish({ sign: 'none' })
    const keys = await cosignKeyPair('pw')
    const signed = await cosignSignWithKey(keys, `${unsigned.repository}@${unsigned.digest}`)
    expect(signed.code).toBe(0)
    expect((await verify(`${unsigned.repository}:latest`, '--key', keys.pub)).code).toBe(0)
  })

  const cosign3Sign = (ref: string, claims: Record<string, unknown> = {}) =>
    signWithCosign3(stack, ref, claims)
  const cosign3Verify = (ref: string, subject: string) =>
    verifyWithCosign3(stack, ref, anchored(subject))

  it('accepts a bundle signature made by cosign 3.1', async () => {
    const unsigned = await publish({ sign: 'none' })
    const signed = await cosign3Sign(`${unsigned.repository}@${unsigned.digest}`)
    expect(signed.stderr).not.toMatch(/Error/)
    expect(signed.code).toBe(0)
    const result = await verify(
      `${unsigned.repository}:latest`,
      ...identity(PUBLISH),
      ...withRoot()
    )
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout).format).toBe('bundle')
  })

  it("reaches cosign 3.1's verdict on a good legacy signature next to a bundle from another identity", async () => {
    const artifact = await publish() // legacy, publish.yml
    const ref = `${artifact.repository}@${artifact.digest}`
    expect(
      (await cosign3Sign(ref, { job_workflow_ref: RELEASE_REF, ref: 'refs/tags/v1.0.0' })).code
    ).toBe(0)

    const publishCosign = await cosign3Verify(ref, PUBLISH)
    const publishOurs = await verify(ref, ...identity(PUBLISH), ...withRoot())
    expect(publishCosign.code).not.toBe(0) // cosign 3 (and Flux >= 2.8) look only at the bundle
    expect(publishOurs.code).toBe(1)
    expect(publishOurs.stderr).toContain('no bundle signature')

    const releaseCosign = await cosign3Verify(ref, `https://github.com/${RELEASE_REF}`)
    const releaseOurs = await verify(
      ref,
      ...identity(`https://github.com/${RELEASE_REF}`),
      ...withRoot()
    )
    expect(releaseCosign.code).toBe(0)
    expect(releaseOurs.code).toBe(0)
  })
})

describe('the README "Verify like Flux" section', () => {
  it('runs as written', async () => {
    const readme = await readFile(join(import.meta.dirname, '../../README.md'), 'utf8')
    const section = readme.split('## Verify like Flux')[1]?.split('\n## ')[0] ?? ''
    const script = /```sh\n([\s\S]*?)```/.exec(section)?.[1]
    expect(script).toBeDefined()
    const artifact = await publish()
    const dir = await tempDir('readme-')
    const shim = join(dir, 'fleetpack')
    await writeFile(
      shim,
      `#!/bin/sh\nexec "${process.execPath}" "${join(import.meta.dirname, '../../dist/cli.js')}" "$@"\n`,
      { mode: 0o755 }
    )
    // Strict mode inside the script: bash reads /etc/bash.bashrc first when its stdin is a socket.
    const result = await runProcess('bash', ['-c', `set -euo pipefail\n${script as string}`], {
      env: {
        PATH: `${dir}:${process.env.PATH}`,
        HOME: dir,
        ARTIFACT: `oci://${artifact.repository}:latest`,
        TRUSTED_ROOT: stack.trustedRoot,
        ORG_REPO: 'Org/Fleet'
      }
    })
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
  })
})

describe('the action in mode: verify', () => {
  it('verifies each reference and reports them, failing on any that does not verify', async () => {
    const good = await publish()
    const unsigned = await publish({ sign: 'none' })
    const inputs = {
      mode: 'verify',
      'issuer-regexp': anchored(ISSUER),
      'subject-regexp': anchored(PUBLISH),
      'trusted-root': stack.trustedRoot
    }
    const ok = await runAction(
      { ...inputs, references: `oci://${good.repository}:latest` },
      { workspace }
    )
    expect(ok.code).toBe(0)
    const verified = JSON.parse(ok.outputs.verified ?? '[]') as { digest: string; format: string }[]
    expect(verified).toEqual([expect.objectContaining({ digest: good.digest, format: 'legacy' })])
    expect(ok.summary).toContain(good.digest)

    const mixed = await runAction(
      {
        ...inputs,
        references: `oci://${good.repository}:latest\noci://${unsigned.repository}:latest`
      },
      { workspace }
    )
    expect(mixed.code).toBe(1)
    expect(mixed.stdout).toMatch(
      /::error::1 of 2 artifacts did not verify:%0Aoci:\/\/127\.0\.0\.1:\d+\/verify\/app-\d+:latest: no legacy signature/
    )
  })

  it('follows the verdict of the Flux version given, and reports every generation', async () => {
    const bundled = await publish({ 'signature-format': 'bundle' })
    const inputs = {
      mode: 'verify',
      references: `oci://${bundled.repository}:latest`,
      'issuer-regexp': anchored(ISSUER),
      'subject-regexp': anchored(PUBLISH),
      'trusted-root': stack.trustedRoot
    }
    const newest = await runAction(inputs, { workspace })
    expect(newest.code).toBe(0)
    const [result] = JSON.parse(newest.outputs.verified ?? '[]') as {
      fluxVersion: string
      flux: { flux: string; verdict: string }[]
    }[]
    expect(result?.fluxVersion).toBe('2.9')
    expect(result?.flux.map(v => `${v.flux} ${v.verdict}`)).toEqual([
      '2.7 rejects',
      '2.8 accepts',
      '2.9 accepts'
    ])
    expect(newest.summary).toContain('Flux 2.7')

    const old = await runAction({ ...inputs, 'flux-version': '2.7' }, { workspace })
    expect(old.code).toBe(1)
    expect(old.stdout).toMatch(
      /Flux 2\.7 rejects \(legacy\): no legacy \.sig signature: Flux 2\.7 does not read Sigstore bundles/
    )
  })
})
