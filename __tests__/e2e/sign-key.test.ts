import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { generateKeyPairSync } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { startRegistry, type TestRegistry } from '../support/registry.js'
import { runAction, visibleLog } from '../support/runner.js'
import { startSigstoreStack, type SigstoreStack } from '../support/sigstore.js'
import {
  cosignKeyPair,
  cosignVerifyKey as verifyKey,
  type CosignKeyPair
} from '../support/cosign.js'
import { removeTempDirs, tempDir, writeTree } from '../support/tree.js'

const PASSWORD = 'test-password-42'

let registry: TestRegistry
let stack: SigstoreStack
let keys: CosignKeyPair
let otherKeys: CosignKeyPair

const cosignVerifyKey = (ref: string, pub: string, logged: boolean) =>
  verifyKey(stack, ref, pub, logged)

beforeAll(async () => {
  ;[registry, stack, keys, otherKeys] = await Promise.all([
    startRegistry('none'),
    startSigstoreStack(),
    cosignKeyPair(PASSWORD),
    cosignKeyPair(PASSWORD)
  ])
})
afterAll(async () => {
  await Promise.all([registry?.stop(), stack?.stop()])
  await removeTempDirs()
})

async function workspace() {
  const dir = await tempDir('workspace-')
  await writeTree(dir, { 'apps/podinfo/deploy.yaml': `kind: Deployment # ${Math.random()}\n` })
  return dir
}

describe('key-based signing with a key from cosign generate-key-pair', () => {
  it('signs without a transparency log, and cosign verify --key accepts it', async () => {
    const run = await runAction(
      {
        paths: 'apps/podinfo',
        repository: `${registry.host}/key/podinfo`,
        sign: 'key',
        'cosign-key': await readFile(keys.key, 'utf8'),
        'cosign-password': PASSWORD,
        'tlog-upload': 'false'
      },
      { workspace: await workspace() }
    )
    expect(run.code).toBe(0)
    const [artifact] = JSON.parse(run.outputs.artifacts ?? '[]') as {
      signed: boolean
      rekorLogIndex: number
      digest: string
    }[]
    expect(artifact).toMatchObject({ signed: true, rekorLogIndex: -1 })
    const ref = `${registry.host}/key/podinfo:latest`
    const accepted = await cosignVerifyKey(ref, keys.pub, false)
    expect(accepted.code).toBe(0)
    expect(JSON.parse(accepted.stdout)[0].critical.image['docker-manifest-digest']).toBe(
      artifact?.digest
    )
    const otherKey = await cosignVerifyKey(ref, otherKeys.pub, false)
    expect(otherKey.code).not.toBe(0)
    expect(otherKey.stderr).toMatch(/invalid signature|no matching signatures/)
    // The key and its password never reach the log.
    const log = visibleLog(run)
    expect(log).not.toContain(PASSWORD)
    expect(log).not.toContain((await readFile(keys.key, 'utf8')).split('\n')[1])
  })

  it('logs the signature in Rekor when asked, so cosign verifies it offline through the SET', async () => {
    const run = await runAction(
      {
        paths: 'apps/podinfo',
        repository: `${registry.host}/key-tlog/podinfo`,
        sign: 'key',
        'cosign-key': await readFile(keys.key, 'utf8'),
        'cosign-password': PASSWORD,
        'rekor-url': stack.url
      },
      { workspace: await workspace() }
    )
    expect(run.stdout.match(/::error::.*/)?.[0]).toBeUndefined()
    expect(run.code).toBe(0)
    const [artifact] = JSON.parse(run.outputs.artifacts ?? '[]') as { rekorLogIndex: number }[]
    expect(artifact?.rekorLogIndex).toBeGreaterThanOrEqual(0)
    const result = await cosignVerifyKey(`${registry.host}/key-tlog/podinfo:latest`, keys.pub, true)
    expect(result.code).toBe(0)
  })

  it('accepts a plain PKCS#8 key, verified by cosign with its public key', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
    const dir = await tempDir()
    const pub = join(dir, 'plain.pub')
    await (
      await import('node:fs/promises')
    ).writeFile(pub, publicKey.export({ format: 'pem', type: 'spki' }))
    const run = await runAction(
      {
        paths: 'apps/podinfo',
        repository: `${registry.host}/key-plain/podinfo`,
        sign: 'key',
        'cosign-key': privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
        'tlog-upload': 'false'
      },
      { workspace: await workspace() }
    )
    expect(run.code).toBe(0)
    expect(
      (await cosignVerifyKey(`${registry.host}/key-plain/podinfo:latest`, pub, false)).code
    ).toBe(0)
  })

  it('fails before any upload with a wrong password, naming the input', async () => {
    const run = await runAction(
      {
        paths: 'apps/podinfo',
        repository: `${registry.host}/key-wrong/podinfo`,
        sign: 'key',
        'cosign-key': await readFile(keys.key, 'utf8'),
        'cosign-password': 'not-the-password'
      },
      { workspace: await workspace() }
    )
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(
      /::error::cosign-key cannot be decrypted with cosign-password%0A {2}fix: check that cosign-password/
    )
    expect((await fetch(`http://${registry.host}/v2/key-wrong/podinfo/tags/list`)).status).toBe(404)
  })
})
