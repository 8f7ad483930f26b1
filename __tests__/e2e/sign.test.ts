import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { X509Certificate } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { startRegistry, type TestRegistry } from '../support/registry.js'
import { runAction, runProcess, visibleLog, type ActionRun } from '../support/runner.js'
import { startSigstoreStack, type SigstoreStack } from '../support/sigstore.js'
import { tool } from '../support/tools.js'
import {
  anchored,
  cosign3Verify as verifyWithCosign3,
  cosignVerify as verifyWithCosign
} from '../support/cosign.js'
import { removeTempDirs, tempDir, writeTree } from '../support/tree.js'

interface Artifact {
  component: string
  repository: string
  digest: string
  tags: string[]
  pushed: boolean
  signed: boolean
  signature: string
  rekorLogIndex: number
}

const SUBJECT = 'https://github.com/Org/Fleet/.github/workflows/publish.yml@refs/heads/main'
const ISSUER = 'https://token.actions.githubusercontent.com'

let stack: SigstoreStack
let registry: TestRegistry

beforeAll(async () => {
  ;[stack, registry] = await Promise.all([startSigstoreStack(), startRegistry('none')])
})
afterAll(async () => {
  await Promise.all([stack?.stop(), registry?.stop()])
  await removeTempDirs()
})

async function fleet(): Promise<string> {
  const workspace = await tempDir('workspace-')
  await writeTree(workspace, {
    'apps/podinfo/deploy.yaml': 'kind: Deployment\n',
    'apps/redis/deploy.yaml': 'kind: StatefulSet\n',
    'infra/cert-manager/release.yaml': 'kind: HelmRelease\n'
  })
  return workspace
}

function signingInputs(repository: string, extra: Record<string, string> = {}) {
  return {
    paths: 'apps/*\ninfra/cert-manager',
    repository,
    tags: 'latest,main-01234567',
    'diff-tag': 'latest',
    sign: 'keyless',
    'fulcio-url': stack.url,
    'rekor-url': stack.url,
    'trusted-root': stack.trustedRoot,
    ...extra
  }
}

const cosignVerify = (ref: string, subjectRegexp: string, issuer = ISSUER) =>
  verifyWithCosign(stack, ref, subjectRegexp, issuer)
const cosign3Verify = (ref: string, subjectRegexp: string) =>
  verifyWithCosign3(stack, ref, subjectRegexp)

/**
 * Watches every tag of the given repositories while a run goes on, recording
 * any moment a tag points at a digest without a .sig signature.
 */
function watchTags(repositories: string[]) {
  const violations: string[] = []
  let seen = 0
  let running = true
  const base = `http://${registry.host}`
  const accept = { accept: 'application/vnd.oci.image.manifest.v1+json' }
  const pass = async () => {
    for (const repository of repositories) {
      const list = await fetch(`${base}/v2/${repository}/tags/list`).then(r =>
        r.ok ? r.json() : { tags: [] }
      )
      for (const tag of ((list as { tags?: string[] }).tags ?? []).filter(
        t => !t.endsWith('.sig')
      )) {
        const head = await fetch(`${base}/v2/${repository}/manifests/${tag}`, {
          method: 'HEAD',
          headers: accept
        })
        const digest = head.headers.get('docker-content-digest')
        if (!digest) continue
        seen++
        const sig = await fetch(
          `${base}/v2/${repository}/manifests/${digest.replace(':', '-')}.sig`,
          { method: 'HEAD', headers: accept }
        )
        if (sig.status !== 200) violations.push(`${repository}:${tag} -> ${digest} unsigned`)
      }
    }
  }
  const loop = (async () => {
    while (running) {
      await pass()
      await new Promise(resolve => setTimeout(resolve, 5))
    }
  })()
  return {
    stop: async () => {
      running = false
      await loop
      // One look after the run has ended, so `seen` never depends on the loop's timing.
      await pass()
      return { violations, seen }
    }
  }
}

describe('keyless signing in the legacy cosign format', () => {
  let run: ActionRun
  let artifacts: Artifact[]
  let workspace: string
  let watched: { violations: string[]; seen: number }
  const repository = () => `${registry.host}/signed/{name}`

  beforeAll(async () => {
    workspace = await fleet()
    await stack.reset()
    const watcher = watchTags(['signed/podinfo', 'signed/redis', 'signed/cert-manager'])
    run = await runAction(signingInputs(repository()), { workspace, env: stack.runnerEnv() })
    watched = await watcher.stop()
    artifacts = JSON.parse(run.outputs.artifacts ?? '[]') as Artifact[]
  })

  it('signs every component and reports the identity, signature and Rekor entry', () => {
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.outputs.identity).toBe(SUBJECT)
    expect(run.outputs.issuer).toBe(ISSUER)
    expect(artifacts).toHaveLength(3)
    for (const artifact of artifacts) {
      expect(artifact.signed).toBe(true)
      expect(artifact.signature).toBe(
        `${artifact.repository}:${artifact.digest.replace(':', '-')}.sig`
      )
      expect(artifact.rekorLogIndex).toBeGreaterThanOrEqual(0)
    }
  })

  it('uses one Fulcio certificate and one token for the whole run, and one Rekor entry per artifact', async () => {
    const counters = await stack.counters()
    expect(counters.fulcio).toBe(1)
    expect(counters.idtoken).toBe(1)
    expect(counters.rekor).toBe(3)
  })

  it('never lets a tag point at an unsigned digest', () => {
    expect(watched.seen).toBeGreaterThan(0)
    expect(watched.violations).toEqual([])
  })

  it('is accepted by the real cosign 2.5 with anchored identities, as Flux <= 2.7 verifies', async () => {
    for (const artifact of artifacts) {
      const result = await cosignVerify(`${artifact.repository}:latest`, anchored(SUBJECT))
      expect(result.stderr).toMatch(
        /The code-signing certificate was verified using trusted certificate authority certificates/
      )
      expect(result.code).toBe(0)
      expect(JSON.parse(result.stdout)[0].critical.image['docker-manifest-digest']).toBe(
        artifact.digest
      )
    }
  })

  it('is accepted by the real cosign 3.1 with the stack trusted root', async () => {
    const artifact = artifacts[0] as Artifact
    const result = await cosign3Verify(
      `${artifact.repository}@${artifact.digest}`,
      anchored(SUBJECT)
    )
    expect(result.code).toBe(0)
  })

  it('is rejected by cosign for another workflow, another ref and another issuer', async () => {
    const ref = `${(artifacts[0] as Artifact).repository}:latest`
    const otherWorkflow = await cosignVerify(
      ref,
      anchored(SUBJECT.replace('publish.yml', 'release.yml'))
    )
    const otherRef = await cosignVerify(
      ref,
      anchored(SUBJECT.replace('refs/heads/main', 'refs/heads/dev'))
    )
    const otherIssuer = await cosignVerify(ref, anchored(SUBJECT), 'https://accounts.google.com')
    for (const result of [otherWorkflow, otherRef, otherIssuer]) {
      expect(result.code).not.toBe(0)
      expect(result.stderr).toMatch(/no matching signatures/)
    }
  })

  it('puts a ready-to-paste Flux verify block with escaped, anchored regexes in the job summary', () => {
    expect(run.summary).toContain(
      "- issuer: '^https:\\/\\/token\\.actions\\.githubusercontent\\.com$'"
    )
    expect(run.summary).toContain(
      "subject: '^https:\\/\\/github\\.com\\/Org\\/Fleet\\/\\.github\\/workflows\\/publish\\.yml@refs\\/heads\\/main$'"
    )
  })

  it('signs nothing again on an unchanged rerun that already has a valid signature', async () => {
    await stack.reset()
    const again = await runAction(signingInputs(repository()), {
      workspace,
      env: stack.runnerEnv()
    })
    expect(again.code).toBe(0)
    const rerun = JSON.parse(again.outputs.artifacts ?? '[]') as Artifact[]
    expect(rerun.map(a => [a.pushed, a.signed])).toEqual([
      [false, true],
      [false, true],
      [false, true]
    ])
    expect(rerun.map(a => a.rekorLogIndex)).toEqual(artifacts.map(a => a.rekorLogIndex))
    expect((await stack.counters()).rekor).toBe(0)
  })

  it('adds a signature for a new identity beside the old one, keeping both', async () => {
    await stack.reset()
    const release = 'Org/Fleet/.github/workflows/release.yml@refs/tags/v1.0.0'
    const again = await runAction(signingInputs(repository()), {
      workspace,
      env: stack.runnerEnv({ job_workflow_ref: release, ref: 'refs/tags/v1.0.0' })
    })
    expect(again.code).toBe(0)
    expect(again.outputs.identity).toBe(`https://github.com/${release}`)
    const ref = `${(artifacts[0] as Artifact).repository}:latest`
    expect((await cosignVerify(ref, anchored(SUBJECT))).code).toBe(0)
    expect((await cosignVerify(ref, anchored(`https://github.com/${release}`))).code).toBe(0)
  })

  it('writes the Fulcio chain in the chain annotation, as cosign does', async () => {
    const artifact = artifacts[0] as Artifact
    const sig = (await (
      await fetch(
        `http://${registry.host}/v2/${artifact.repository.split('/').slice(1).join('/')}/manifests/${artifact.digest.replace(':', '-')}.sig`,
        { headers: { accept: 'application/vnd.oci.image.manifest.v1+json' } }
      )
    ).json()) as { layers: { annotations: Record<string, string> }[] }
    const annotations = sig.layers[0]?.annotations ?? {}
    const chain = annotations['dev.sigstore.cosign/chain'] ?? ''
    const blocks = (pem: string) =>
      pem.match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g) ?? []
    const der = (block: string) =>
      Buffer.from(block.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64')
    // The stack's Fulcio chain (its root) is what issued the certificate.
    const root = await readFile(join(stack.dir, 'fulcio-root.pem'), 'utf8')
    expect(blocks(chain).map(der)).toEqual(blocks(root).map(der))
    const leaf = new X509Certificate(
      der(blocks(annotations['dev.sigstore.cosign/certificate'] ?? '')[0] ?? '')
    )
    expect(leaf.checkIssued(new X509Certificate(der(blocks(chain)[0] ?? '')))).toBe(true)
  })

  it('is rejected by cosign once the signature layer is tampered with', async () => {
    const artifact = artifacts[2] as Artifact
    const base = `http://${registry.host}/v2/${artifact.repository.slice(registry.host.length + 1)}`
    const sigTag = `${artifact.digest.replace(':', '-')}.sig`
    const accept = { accept: 'application/vnd.oci.image.manifest.v1+json' }
    const manifest = (await (
      await fetch(`${base}/manifests/${sigTag}`, { headers: accept })
    ).json()) as {
      layers: { annotations: Record<string, string> }[]
    }
    for (const layer of manifest.layers) {
      const signature = Buffer.from(
        layer.annotations['dev.cosignproject.cosign/signature'] as string,
        'base64'
      )
      signature[8] = (signature[8] as number) ^ 0x01
      layer.annotations['dev.cosignproject.cosign/signature'] = signature.toString('base64')
    }
    const put = await fetch(`${base}/manifests/${sigTag}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
      body: JSON.stringify(manifest)
    })
    expect(put.status).toBe(201)
    const result = await cosignVerify(`${artifact.repository}:latest`, anchored(SUBJECT))
    expect(result.code).not.toBe(0)
    expect(result.stderr).toMatch(/no matching signatures/)
  })

  it('keeps tokens and secrets out of the log', () => {
    expect(visibleLog(run)).not.toMatch(/eyJ[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{20,}/)
  })
})

describe('when signing cannot happen', () => {
  it('fails before any upload when the job lacks id-token: write', async () => {
    const workspace = await fleet()
    const run = await runAction(signingInputs(`${registry.host}/no-oidc/{name}`), { workspace })
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(/::error::missing "id-token" permission/)
    expect(run.stdout).toMatch(/fix: add "permissions: id-token: write" to the job/)
    const tags = await fetch(`http://${registry.host}/v2/no-oidc/podinfo/tags/list`)
    expect(tags.status).toBe(404)
  })

  it('fails with Rekor down without moving any tag, and a rerun completes the signatures', async () => {
    const workspace = await fleet()
    await stack.reset()
    await stack.fail('rekor', 1000)
    const failed = await runAction(signingInputs(`${registry.host}/rekor-down/{name}`), {
      workspace,
      env: stack.runnerEnv()
    })
    expect(failed.code).toBe(1)
    expect(failed.stdout).toMatch(/could not sign and log the signature/)
    for (const name of ['podinfo', 'redis', 'cert-manager']) {
      const list = await fetch(`http://${registry.host}/v2/rekor-down/${name}/tags/list`)
      const tags = list.ok ? (((await list.json()) as { tags?: string[] }).tags ?? []) : []
      expect(tags.filter(t => !t.endsWith('.sig'))).toEqual([])
    }

    await stack.reset()
    const rerun = await runAction(signingInputs(`${registry.host}/rekor-down/{name}`), {
      workspace,
      env: stack.runnerEnv()
    })
    expect(rerun.code).toBe(0)
    const artifacts = JSON.parse(rerun.outputs.artifacts ?? '[]') as Artifact[]
    expect(artifacts.every(a => a.signed)).toBe(true)
    const result = await cosignVerify(`${artifacts[0]?.repository}:latest`, anchored(SUBJECT))
    expect(result.code).toBe(0)
  })
})

describe('the Sigstore bundle format (cosign 3, Flux >= 2.8)', () => {
  it('stores a bundle referrer that cosign 3.1 verifies and cosign 2.5 does not see', async () => {
    const workspace = await fleet()
    await stack.reset()
    const run = await runAction(
      signingInputs(`${registry.host}/bundle/{name}`, { 'signature-format': 'bundle' }),
      {
        workspace,
        env: stack.runnerEnv()
      }
    )
    expect(run.stdout.match(/::error::.*/)?.[0]).toBeUndefined()
    expect(run.code).toBe(0)
    const artifacts = JSON.parse(run.outputs.artifacts ?? '[]') as Artifact[]
    const artifact = artifacts[0] as Artifact
    expect(artifact.signature).toMatch(new RegExp(`^${artifact.repository}@sha256:[0-9a-f]{64}$`))
    expect(run.stdout).toContain('referrers: the sha256-<hex> tag (no referrers API)')

    const ref = `${artifact.repository}@${artifact.digest}`
    expect((await cosign3Verify(ref, anchored(SUBJECT))).code).toBe(0)
    const otherWorkflow = await cosign3Verify(
      ref,
      anchored(SUBJECT.replace('publish.yml', 'release.yml'))
    )
    expect(otherWorkflow.code).not.toBe(0)
    const legacyOnly = await cosignVerify(ref, anchored(SUBJECT))
    expect(legacyOnly.code).not.toBe(0)
    expect(legacyOnly.stderr).toMatch(/no signatures found/)

    // An independent reader finds the referrer through the fallback tag, with its artifact type.
    const discovered = await runProcess(
      tool('oras'),
      [
        'discover',
        '--plain-http',
        '--format',
        'json',
        '--artifact-type',
        'application/vnd.dev.sigstore.bundle.v0.3+json',
        ref
      ],
      { env: { PATH: process.env.PATH, HOME: await tempDir('oras-home-') } }
    )
    expect(discovered.code).toBe(0)
    expect(discovered.stdout).toContain(artifact.signature.split('@')[1])
  })

  it('writes both formats when asked, so cosign 2.5 and cosign 3.1 both verify', async () => {
    const workspace = await fleet()
    const run = await runAction(
      signingInputs(`${registry.host}/both/{name}`, { 'signature-format': 'both' }),
      {
        workspace,
        env: stack.runnerEnv()
      }
    )
    expect(run.code).toBe(0)
    const artifact = (JSON.parse(run.outputs.artifacts ?? '[]') as Artifact[])[0] as Artifact
    const ref = `${artifact.repository}@${artifact.digest}`
    expect((await cosignVerify(ref, anchored(SUBJECT))).code).toBe(0)
    expect((await cosign3Verify(ref, anchored(SUBJECT))).code).toBe(0)

    // Rerun: both signatures are found valid, nothing is signed again.
    await stack.reset()
    const again = await runAction(
      signingInputs(`${registry.host}/both/{name}`, { 'signature-format': 'both' }),
      {
        workspace,
        env: stack.runnerEnv()
      }
    )
    expect(again.code).toBe(0)
    expect((await stack.counters()).rekor).toBe(0)
  })

  it('adds an RFC 3161 timestamp from tsa-url, which cosign 3.1 verifies against the trusted root', async () => {
    const workspace = await fleet()
    await stack.reset()
    const run = await runAction(
      signingInputs(`${registry.host}/tsa/{name}`, {
        'signature-format': 'bundle',
        'tsa-url': stack.url
      }),
      { workspace, env: stack.runnerEnv() }
    )
    expect(run.code).toBe(0)
    expect((await stack.counters()).tsa).toBe(3)
    const artifact = (JSON.parse(run.outputs.artifacts ?? '[]') as Artifact[])[0] as Artifact
    const result = await verifyWithCosign3(
      stack,
      `${artifact.repository}@${artifact.digest}`,
      anchored(SUBJECT),
      ['--use-signed-timestamps']
    )
    expect(result.stderr).not.toMatch(/Error/)
    expect(result.code).toBe(0)
  })

  it('refuses the bundle format with a key, before any upload', async () => {
    const run = await runAction(
      {
        paths: 'apps/podinfo',
        repository: `${registry.host}/bundle-key/podinfo`,
        sign: 'key',
        'cosign-key': 'x',
        'signature-format': 'bundle'
      },
      { workspace: await fleet() }
    )
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(/signature-format: bundle needs keyless signing/)
  })
})
