import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parse as parseYaml } from 'yaml'
import { buildArtifact, hashTree } from '../../src/artifact/index.js'
import { opensslKeyPair } from '../support/cosign.js'
import { startFakeServer } from '../support/fake-server.js'
import { startRegistry, TEST_PASSWORD, TEST_USER, type TestRegistry } from '../support/registry.js'
import {
  PROJECT_ROOT,
  minimalEnv,
  parseOutputFile,
  runAction,
  runCli,
  runProcess
} from '../support/runner.js'
import { startSigstoreStack, type SigstoreStack } from '../support/sigstore.js'
import { removeTempDirs, tempDir, writeTree } from '../support/tree.js'

/**
 * The attacks of the trust review, each against the bundled action or CLI:
 * someone with push access to the registry, a co-tenant of a shared reusable
 * workflow, a hostile registry or its storage, a hostile file name. Each test
 * states the attack, then what fleetpack must (not) do.
 */

const ISSUER = 'https://token.actions.githubusercontent.com'
const SUBJECT = 'https://github.com/Org/Fleet/.github/workflows/publish.yml@refs/heads/main'
const anchored = (value: string) => `^${value.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json'

let stack: SigstoreStack
let registry: TestRegistry
let htpasswd: TestRegistry
beforeAll(async () => {
  ;[stack, registry, htpasswd] = await Promise.all([
    startSigstoreStack(),
    startRegistry('none'),
    startRegistry('htpasswd')
  ])
})
afterAll(async () => {
  await Promise.all([stack?.stop(), registry?.stop(), htpasswd?.stop()])
  await removeTempDirs()
})

const signing = () => ({
  sign: 'keyless',
  'fulcio-url': stack.url,
  'rekor-url': stack.url,
  'trusted-root': stack.trustedRoot
})

/** What an attacker with push access does by hand: blobs and a manifest, straight to the registry. */
async function pushRaw(repository: string, blobs: Buffer[], manifest: Buffer, tag: string) {
  const base = `http://${registry.host}/v2/${repository}`
  for (const blob of blobs) {
    const digest = `sha256:${createHash('sha256').update(blob).digest('hex')}`
    const start = await fetch(`${base}/blobs/uploads/`, { method: 'POST' })
    const location = new URL(start.headers.get('location') as string, base)
    location.searchParams.set('digest', digest)
    const put = await fetch(location, { method: 'PUT', body: blob })
    if (put.status !== 201) throw new Error(`blob upload: ${put.status}`)
  }
  const put = await fetch(`${base}/manifests/${tag}`, {
    method: 'PUT',
    headers: { 'content-type': OCI_MANIFEST },
    body: manifest
  })
  if (put.status !== 201) throw new Error(`manifest: ${put.status} ${await put.text()}`)
  return `sha256:${createHash('sha256').update(manifest).digest('hex')}`
}

/** fleetpack verify for the publishing workflow's exact identity, against the local stack. */
const verifyAs = (ref: string, ...extra: string[]) =>
  runCli(
    [
      'verify',
      ref,
      '--issuer-regexp',
      anchored(ISSUER),
      '--subject-regexp',
      anchored(SUBJECT),
      '--trusted-root',
      stack.trustedRoot,
      ...extra
    ],
    { env: minimalEnv() }
  )

const digestOf = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`

async function tagDigest(repository: string, tag: string): Promise<string | null> {
  const head = await fetch(`http://${registry.host}/v2/${repository}/manifests/${tag}`, {
    method: 'HEAD',
    headers: { accept: OCI_MANIFEST }
  })
  return head.headers.get('docker-content-digest')
}

describe('a registry writer pairs this tree’s diffID with their own layer (diff-tag)', () => {
  /**
   * Builds are reproducible, so the diffID of the next publish is
   * predictable. The attacker pushes, at the diff-tag, a Flux manifest whose
   * config claims that diffID and whose layer holds their YAML.
   */
  async function plantForgery(workspace: string, repository: string): Promise<string> {
    const local = await hashTree(join(workspace, 'apps/podinfo'), { repositoryRoot: workspace })
    const evil = await tempDir('evil-')
    await writeTree(evil, { 'x/deploy.yaml': 'kind: Deployment # the attacker\n' })
    const built = await buildArtifact(join(evil, 'x'), {
      repositoryRoot: evil,
      outputPath: join(evil, 'layer.tgz'),
      metadata: { created: '2026-01-01T00:00:00Z' }
    })
    const config = Buffer.from(
      built.config.bytes.toString().replace(built.layer.diffId, local.diffId)
    )
    const layer = await readFile(built.layer.path)
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_MANIFEST,
        config: {
          mediaType: 'application/vnd.cncf.flux.config.v1+json',
          size: config.length,
          digest: digestOf(config)
        },
        layers: [
          {
            mediaType: 'application/vnd.cncf.flux.content.v1.tar+gzip',
            size: layer.length,
            digest: digestOf(layer)
          }
        ]
      })
    )
    return pushRaw(repository, [layer, config], manifest, 'latest')
  }

  it.each([
    ['signing keyless', true],
    ['unsigned', false]
  ])(
    '%s: the forgery is neither signed nor tagged; this build is published instead',
    async (_name, signed) => {
      const workspace = await tempDir('victim-')
      await writeTree(workspace, { 'apps/podinfo/deploy.yaml': 'kind: Deployment # ours\n' })
      const repository = `attack/diff-${signed ? 'signed' : 'unsigned'}`
      const forged = await plantForgery(workspace, repository)

      const run = await runAction(
        {
          paths: 'apps/podinfo',
          repository: `${registry.host}/${repository}`,
          'diff-tag': 'latest',
          tags: 'latest,v2',
          ...(signed ? signing() : {})
        },
        { workspace, env: stack.runnerEnv() }
      )
      expect(run.code).toBe(0)
      expect(run.stdout).toMatch(/latest claims this content, but .*; publishing this build/)
      const [artifact] = JSON.parse(run.outputs.artifacts ?? '[]') as {
        digest: string
        pushed: boolean
      }[]
      expect(artifact?.pushed).toBe(true)
      expect(artifact?.digest).not.toBe(forged)
      expect(await tagDigest(repository, 'latest')).toBe(artifact?.digest)
      expect(await tagDigest(repository, 'v2')).toBe(artifact?.digest)
      // Nothing was signed for the forged digest.
      expect(await tagDigest(repository, `${forged.replace(':', '-')}.sig`)).toBeNull()
    }
  )
})

describe('a co-tenant of the reusable workflow forges the certificate annotation', () => {
  it('is refused by verify --source-repository: the annotation must be exactly one PEM certificate', async () => {
    const workspace = await tempDir('cotenant-')
    // The victim's run leaves a certificate with the victim's claims in the registry.
    await writeTree(workspace, { 'apps/victim/deploy.yaml': 'kind: Deployment # victim\n' })
    const victim = await runAction(
      { paths: 'apps/victim', repository: `${registry.host}/attack/victim`, ...signing() },
      { workspace, env: stack.runnerEnv() }
    )
    expect(victim.code).toBe(0)
    const victimSig = await readSig('attack/victim', victim.outputs.digest as string)
    const victimPem = victimSig.layers[0]?.annotations['dev.sigstore.cosign/certificate'] as string

    // The attacker signs their own artifact with the same workflow identity
    // but their own repository: a certificate whose base64 ends in '=' lets
    // a lenient decoder stop there, and read the victim's PEM behind it.
    await writeTree(workspace, { 'apps/evil/deploy.yaml': 'kind: Deployment # attacker\n' })
    let attack: { digest: string; sig: SigManifest; pem: string } | undefined
    for (let i = 0; i < 8 && !attack; i++) {
      const run = await runAction(
        { paths: 'apps/evil', repository: `${registry.host}/attack/evil-${i}`, ...signing() },
        {
          workspace,
          env: stack.runnerEnv({ repository: `Evil/Repo${'x'.repeat(i)}`, repository_id: '999' })
        }
      )
      expect(run.code).toBe(0)
      const digest = run.outputs.digest as string
      const sig = await readSig(`attack/evil-${i}`, digest)
      const pem = sig.layers[0]?.annotations['dev.sigstore.cosign/certificate'] as string
      const base64 = pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '')
      if (base64.endsWith('=')) attack = { digest, sig, pem: `attack/evil-${i}` }
    }
    expect(attack).toBeDefined()
    const { digest, sig, pem: repository } = attack as NonNullable<typeof attack>
    const layer = sig.layers[0] as SigManifest['layers'][number]
    const attackerBase64 = (layer.annotations['dev.sigstore.cosign/certificate'] ?? '')
      .replace(/-----[^-]+-----/g, '')
      .replace(/\s+/g, '')
    layer.annotations['dev.sigstore.cosign/certificate'] =
      `-----BEGIN CERTIFICATE-----${attackerBase64}\n${victimPem}`
    await pushRaw(
      repository,
      [],
      Buffer.from(JSON.stringify(sig)),
      `${digest.replace(':', '-')}.sig`
    )

    const verify = await verifyAs(
      `oci://${registry.host}/${repository}@${digest}`,
      '--source-repository',
      'Org/Fleet'
    )
    expect(verify.code).toBe(1)
    expect(verify.stderr).toMatch(/the certificate annotation is not exactly one PEM certificate/)
  })

  it('cannot pre-sign a victim’s predictable digest so that the victim’s run counts it as its own', async () => {
    const workspace = await tempDir('presign-')
    await writeTree(workspace, { 'apps/app/deploy.yaml': 'kind: Deployment # predictable\n' })
    const inputs = {
      paths: 'apps/app',
      repository: `${registry.host}/attack/presign`,
      ...signing()
    }
    // Same tree, same GitHub context, same digest; the attacker's token names another repository.
    // The created time too: outside a git work tree it is "now" unless SOURCE_DATE_EPOCH says.
    const when = { SOURCE_DATE_EPOCH: '1767225600' }
    const attacker = await runAction(inputs, {
      workspace,
      env: { ...stack.runnerEnv({ repository: 'Evil/Repo', repository_id: '999' }), ...when }
    })
    expect(attacker.code).toBe(0)
    const victim = await runAction(inputs, { workspace, env: { ...stack.runnerEnv(), ...when } })
    expect(victim.code).toBe(0)
    expect(victim.outputs.digest).toBe(attacker.outputs.digest)
    expect(victim.stdout).not.toMatch(/already signed/)
    expect(victim.stdout).toMatch(/legacy: signed /)

    const verify = await verifyAs(
      `oci://${registry.host}/attack/presign@${victim.outputs.digest}`,
      '--source-repository',
      'Org/Fleet',
      '--source-repository-id',
      '123456'
    )
    expect(verify.stderr).toBe('')
    expect(verify.code).toBe(0)

    // The repository ID is what survives a repository deleted and its name taken again.
    const recreated = await verifyAs(
      `oci://${registry.host}/attack/presign@${victim.outputs.digest}`,
      '--source-repository-id',
      '777'
    )
    expect(recreated.code).toBe(1)
    expect(recreated.stderr).toMatch(
      /repository ID is 999, not 777|repository ID is 123456, not 777/
    )
  })
})

interface SigManifest {
  layers: { digest: string; annotations: Record<string, string> }[]
}

async function readSig(repository: string, digest: string): Promise<SigManifest> {
  const response = await fetch(
    `http://${registry.host}/v2/${repository}/manifests/${digest.replace(':', '-')}.sig`,
    { headers: { accept: OCI_MANIFEST } }
  )
  return (await response.json()) as SigManifest
}

describe('a registry whose storage redirect asks for credentials', () => {
  it('gets none: a 401 from another origin is not the registry’s challenge', async () => {
    const collector = await startFakeServer((_req, res) => res.writeHead(200).end('{"token":"t"}'))
    const storage = await startFakeServer((_req, res) =>
      res.writeHead(401, { 'www-authenticate': `Bearer realm="${collector.origin}/token"` }).end()
    )
    const fake = await startFakeServer((req, res) => {
      if (req.url === '/v2/') return void res.writeHead(200).end()
      // Every read goes to "storage" on another origin.
      res.writeHead(307, { location: `${storage.origin}${req.url}` }).end()
    })
    try {
      const workspace = await tempDir('redirect-')
      const run = await runAction(
        {
          mode: 'verify',
          references: `oci://${fake.host}/org/app:latest`,
          'issuer-regexp': anchored(ISSUER),
          'subject-regexp': anchored(SUBJECT),
          'trusted-root': stack.trustedRoot,
          username: 'me',
          password: 'registry-password-123'
        },
        { workspace }
      )
      expect(run.code).toBe(1)
      expect(run.stdout).toMatch(
        new RegExp(
          `${storage.origin.replace(/[.]/g, '\\.')} asked for credentials .* after ${fake.origin.replace(/[.]/g, '\\.')} redirected there`
        )
      )
      expect(collector.requests).toEqual([])
      for (const request of storage.requests) expect(request.headers.authorization).toBeUndefined()
    } finally {
      await Promise.all([collector.close(), storage.close(), fake.close()])
    }
  })
})

describe('registry text and file names that look like workflow commands', () => {
  it('stay text: an error body with ::warning and ::set-output lines makes no command', async () => {
    const fake = await startFakeServer((req, res) =>
      req.method === 'HEAD'
        ? res.writeHead(404).end()
        : res.writeHead(403, { 'content-type': 'application/json' }).end(
            JSON.stringify({
              errors: [
                {
                  code: 'DENIED',
                  message: 'denied\n::warning title=x::pwned\n::set-output name=digest::sha256:evil'
                }
              ]
            })
          )
    )
    try {
      const workspace = await tempDir('commands-')
      await writeTree(workspace, { 'apps/podinfo/a.yaml': 'a' })
      const run = await runAction(
        { paths: 'apps/podinfo', repository: `${fake.host}/org/{name}` },
        { workspace }
      )
      expect(run.code).toBe(1)
      expect(run.stdout).toMatch(/denied\\x0a::warning title=x::pwned/)
      expect(run.stdout).not.toMatch(/^\s*::warning/m)
      expect(run.stdout).not.toMatch(/^\s*::set-output/m)
      expect(run.outputs.digest).toBeUndefined()
    } finally {
      await fake.close()
    }
  })

  it('refuses a file whose name holds a line break and a command', async () => {
    const workspace = await tempDir('names-')
    await writeTree(workspace, { 'apps/podinfo/a.yaml': 'a' })
    await writeFile(join(workspace, 'apps/podinfo', 'x\n::error title=pwned::y'), 'x')
    const run = await runAction(
      { paths: 'apps/podinfo', repository: `${registry.host}/attack/names` },
      { workspace }
    )
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(/x\\x0a::error title=pwned::y has a control character/)
    expect(run.stdout).not.toMatch(/^\s*::error title=pwned/m)
  })
})

describe('a registry that answers with endless bodies', () => {
  it('is cut off at the manifest limit, whatever Content-Length says', async () => {
    const fake = await startFakeServer((req, res) => {
      if (req.url === '/v2/') return void res.writeHead(200).end()
      // Chunked: no Content-Length to check up front. 64 MiB of JSON-ish junk.
      res.writeHead(200, {
        'content-type': OCI_MANIFEST,
        'docker-content-digest': 'sha256:' + '0'.repeat(64)
      })
      const chunk = Buffer.alloc(1024 * 1024, 0x20)
      let sent = 0
      const more = () => {
        while (sent < 64) {
          sent++
          if (!res.write(chunk)) return void res.once('drain', more)
        }
        res.end()
      }
      res.on('error', () => undefined)
      more()
    })
    try {
      const verify = await verifyAs(`oci://${fake.host}/org/app:latest`)
      expect(verify.code).toBe(1)
      expect(verify.stderr).toMatch(/larger than 4194304 bytes/)
    } finally {
      await fake.close()
    }
  })
})

describe('paths that lead out of the workspace on a runner', () => {
  it('are refused before any upload, naming the path', async () => {
    const outside = await tempDir('outside-')
    await writeTree(outside, { 'secrets/.docker/config.json': '{"auths":{}}' })
    const workspace = await tempDir('workspace-')
    await writeTree(workspace, { 'apps/podinfo/a.yaml': 'a' })
    const relativeOut = join('..', outside.split('/').pop() as string, 'secrets')
    const run = await runAction(
      { paths: relativeOut, repository: `${registry.host}/attack/outside` },
      { workspace }
    )
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(/paths: ".*secrets" is outside the workspace/)
    const tags = await fetch(`http://${registry.host}/v2/attack/outside/tags/list`)
    expect(tags.status).toBe(404)
  })
})

describe('a junk layer pushed into the .sig image', () => {
  it('hides no valid signature from verify --key, and publishing goes on', async () => {
    const workspace = await tempDir('junk-')
    await writeTree(workspace, { 'apps/podinfo/a.yaml': 'a' })
    const { key: keyFile, pub } = opensslKeyPair(workspace, 'cosign')
    const inputs = {
      paths: 'apps/podinfo',
      repository: `${registry.host}/attack/junk`,
      sign: 'key',
      'cosign-key': await readFile(keyFile, 'utf8'),
      'tlog-upload': 'false',
      'diff-tag': 'latest'
    }
    const first = await runAction(inputs, { workspace })
    expect(first.code).toBe(0)
    const digest = first.outputs.digest as string
    // Someone with push access puts a junk layer first.
    const sig = await readSig('attack/junk', digest)
    const junk = Buffer.from('not json at all')
    const configBlob = Buffer.from('{}')
    const forged = {
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: {
        mediaType: 'application/vnd.oci.image.config.v1+json',
        size: 2,
        digest: digestOf(configBlob)
      },
      layers: [
        {
          mediaType: 'application/vnd.dev.cosign.simplesigning.v1+json',
          size: junk.length,
          digest: digestOf(junk),
          annotations: {
            'dev.cosignproject.cosign/signature': 'AAAA',
            'dev.sigstore.cosign/bundle': '{not json'
          }
        },
        ...sig.layers
      ]
    }
    await pushRaw(
      'attack/junk',
      [junk, configBlob],
      Buffer.from(JSON.stringify(forged)),
      `${digest.replace(':', '-')}.sig`
    )

    const verify = await runCli(
      ['verify', `oci://${registry.host}/attack/junk@${digest}`, '--key', pub],
      { env: minimalEnv() }
    )
    expect(verify.stderr).toBe('')
    expect(verify.code).toBe(0)
    const again = await runAction(inputs, { workspace })
    expect(again.code).toBe(0)
    expect(again.stdout).toMatch(/legacy: already signed/)
  })
})

describe('a registry host spelled in capitals or with its default port', () => {
  it('still gets its credentials', async () => {
    const workspace = await tempDir('spelling-')
    await writeTree(workspace, { 'apps/podinfo/a.yaml': 'a' })
    const run = await runAction(
      {
        paths: 'apps/podinfo',
        repository: `${htpasswd.host.replace('127.0.0.1', 'LOCALHOST')}/attack/{name}`,
        username: TEST_USER,
        password: TEST_PASSWORD
      },
      { workspace }
    )
    expect(run.stdout.match(/::error::.*/)?.[0]).toBeUndefined()
    expect(run.code).toBe(0)
  })
})

describe('the reusable workflow’s merge step', () => {
  /** The merge job's shell step, run as the runner runs it, over the given artifacts files. */
  async function merge(files: Record<string, string>) {
    const workflow = parseYaml(
      await readFile(join(PROJECT_ROOT, '.github/workflows/publish.yml'), 'utf8')
    ) as { jobs: Record<string, { steps: { run?: string; id?: string }[] }> }
    const script = workflow.jobs.merge?.steps.find(step => step.id === 'merge')?.run
    if (!script) throw new Error('publish.yml has no merge step')
    const dir = await tempDir('merge-')
    for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content)
    const output = join(dir, 'output')
    await writeFile(output, '')
    const result = await runProcess(
      'bash',
      ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script],
      { cwd: dir, env: { ...minimalEnv(), GITHUB_OUTPUT: output } }
    )
    expect(result.stderr).toBe('')
    return parseOutputFile(await readFile(output, 'utf8'))
  }

  it('keeps a value from a publish job that holds a line break and an output of its own inside one output', async () => {
    // A component name or tag cannot hold these, but the merge must not rely on that.
    const hostile = [{ component: 'a\nartifacts=[]\nevil=1', tags: ['::error::x'] }]
    const outputs = await merge({
      'artifacts-0.json': JSON.stringify(hostile),
      'artifacts-1.json': JSON.stringify([{ component: 'b' }])
    })
    expect(Object.keys(outputs)).toEqual(['artifacts'])
    expect(JSON.parse(outputs.artifacts ?? '')).toEqual([...hostile, { component: 'b' }])
  })

  it('gives an empty list when the plan found nothing to publish', async () => {
    expect(await merge({})).toEqual({ artifacts: '[]' })
  })
})
