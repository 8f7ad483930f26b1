import { afterAll, describe, expect, it } from '@jest/globals'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { resolveCredentials } from '../../src/oci/credentials.js'
import { InputError } from '../../src/errors.js'
import { removeTempDirs, tempDir } from '../support/tree.js'

afterAll(removeTempDirs)

/** A docker config directory, and a PATH with fake docker-credential-* helpers. */
async function dockerSetup(config: object, helpers: Record<string, string> = {}) {
  const dir = await tempDir('docker-')
  await writeFile(join(dir, 'config.json'), JSON.stringify(config))
  const bin = await tempDir('bin-')
  for (const [name, script] of Object.entries(helpers)) {
    await writeFile(join(bin, `docker-credential-${name}`), `#!/bin/sh\n${script}\n`, {
      mode: 0o755
    })
  }
  return { DOCKER_CONFIG: dir, PATH: `${bin}:${process.env.PATH}` }
}

const b64 = (text: string) => Buffer.from(text).toString('base64')

describe('registry credentials', () => {
  it('come from the username/password inputs first, masked', async () => {
    const masked: string[] = []
    const env = await dockerSetup({ auths: { 'ghcr.io': { auth: b64('other:pw') } } })
    const resolved = await resolveCredentials('ghcr.io', {
      username: 'me',
      password: 's3cret',
      env,
      onSecret: s => masked.push(s)
    })
    expect(resolved.credentials).toEqual({ kind: 'basic', username: 'me', password: 's3cret' })
    expect(masked).toEqual(['s3cret'])
  })

  it('need both username and password', async () => {
    await expect(resolveCredentials('ghcr.io', { username: 'me' })).rejects.toThrow(InputError)
  })

  it('then from a credHelpers entry, which docker prefers over everything else in its config', async () => {
    const env = await dockerSetup(
      {
        credHelpers: { 'registry.example.com': 'fake' },
        credsStore: 'store',
        auths: { 'registry.example.com': { auth: b64('a:b') } }
      },
      {
        fake: 'read s; printf \'{"ServerURL":"%s","Username":"helper-user","Secret":"helper-secret"}\' "$s"',
        store: 'exit 1'
      }
    )
    const masked: string[] = []
    const resolved = await resolveCredentials('registry.example.com', {
      env,
      onSecret: s => masked.push(s)
    })
    expect(resolved).toEqual({
      credentials: { kind: 'basic', username: 'helper-user', password: 'helper-secret' },
      source: 'docker-credential-fake'
    })
    expect(masked).toContain('helper-secret')
  })

  it('then from the credsStore, where "not found" means anonymous, as docker does', async () => {
    const env = await dockerSetup(
      { credsStore: 'desktop', auths: { 'registry.example.com': { auth: b64('a:b') } } },
      { desktop: 'echo "credentials not found in native keychain"; exit 1' }
    )
    const resolved = await resolveCredentials('registry.example.com', { env })
    expect(resolved.credentials).toBeUndefined()
  })

  it('read a helper\'s "<token>" user as an identity token', async () => {
    const env = await dockerSetup(
      { credHelpers: { 'acr.example.io': 'acr' } },
      { acr: 'echo \'{"Username":"<token>","Secret":"refresh-xyz"}\'' }
    )
    expect((await resolveCredentials('acr.example.io', { env })).credentials).toEqual({
      kind: 'identity-token',
      token: 'refresh-xyz'
    })
  })

  it('then from auths, splitting the password at the first colon only', async () => {
    const env = await dockerSetup({
      auths: { 'https://registry.example.com/v1/': { auth: b64('user:pa:ss') } }
    })
    expect((await resolveCredentials('registry.example.com', { env })).credentials).toEqual({
      kind: 'basic',
      username: 'user',
      password: 'pa:ss'
    })
  })

  it('map Docker Hub names to the https://index.docker.io/v1/ key, and nothing else', async () => {
    const env = await dockerSetup({
      auths: { 'https://index.docker.io/v1/': { auth: b64('hub:pw') } }
    })
    expect((await resolveCredentials('docker.io', { env })).credentials).toEqual({
      kind: 'basic',
      username: 'hub',
      password: 'pw'
    })
    expect((await resolveCredentials('ghcr.io', { env })).credentials).toBeUndefined()
  })

  it('use identity and registry tokens from auths', async () => {
    const env = await dockerSetup({
      auths: { 'a.example': { identitytoken: 'id-tok' }, 'b.example': { registrytoken: 'reg-tok' } }
    })
    expect((await resolveCredentials('a.example', { env })).credentials).toEqual({
      kind: 'identity-token',
      token: 'id-tok'
    })
    expect((await resolveCredentials('b.example', { env })).credentials).toEqual({
      kind: 'registry-token',
      token: 'reg-tok'
    })
  })

  it('fall back to github-token for ghcr.io only', async () => {
    const env = await dockerSetup({})
    const sources = { env, githubActor: 'octocat', githubToken: 'ghs_abc' }
    expect((await resolveCredentials('ghcr.io', sources)).credentials).toEqual({
      kind: 'basic',
      username: 'octocat',
      password: 'ghs_abc'
    })
    expect((await resolveCredentials('registry.example.com', sources)).credentials).toBeUndefined()
  })

  it('explain a helper that is not installed', async () => {
    const env = await dockerSetup({ credHelpers: { 'x.example': 'missing-helper' } })
    await expect(resolveCredentials('x.example', { env })).rejects.toThrow(
      /docker-credential-missing-helper is not on PATH/
    )
  })
})
