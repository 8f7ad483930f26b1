import { describe, expect, it } from '@jest/globals'
import { InputError } from '../../src/errors.js'
import {
  apiHost,
  isInsecureRegistry,
  parseManifestReference,
  parseRepository,
  validateTag
} from '../../src/oci/reference.js'
import { parseChallenges } from '../../src/oci/challenge.js'

describe('repository references', () => {
  it.each([
    ['ghcr.io/org/apps/podinfo', { registry: 'ghcr.io', path: 'org/apps/podinfo' }],
    ['localhost:5000/fleet', { registry: 'localhost:5000', path: 'fleet' }],
    ['127.0.0.1:5000/a/b', { registry: '127.0.0.1:5000', path: 'a/b' }],
    ['[::1]:5000/a', { registry: '[::1]:5000', path: 'a' }],
    ['org/app', { registry: 'docker.io', path: 'org/app' }],
    ['nginx', { registry: 'docker.io', path: 'library/nginx' }],
    ['docker.io/org/app', { registry: 'docker.io', path: 'org/app' }],
    [
      'registry.example.com/a.b/c_d/e__f/g-h',
      { registry: 'registry.example.com', path: 'a.b/c_d/e__f/g-h' }
    ]
  ])('parse %s', (text, expected) => {
    expect(parseRepository(text, 'repository')).toEqual(expected)
  })

  it.each([
    ['ghcr.io/Org/App', /has uppercase letters/, /use ghcr\.io\/org\/app/],
    ['ghcr.io/org/app:v1', /contains a tag \(v1\)/, /ghcr\.io\/org\/app\) and list tags in "tags"/],
    ['ghcr.io/org/app@sha256:abc', /contains a digest/, /repository only/],
    ['https://ghcr.io/org/app', /has a URL scheme/, /drop the scheme: ghcr\.io\/org\/app/],
    ['ghcr.io/org//app', /is not a valid repository path component/, /lowercase letters/],
    ['ghcr.io/org/-app', /"-app" is not a valid repository path component/, /separators/],
    ['', /is empty/, /ghcr\.io\/org\/apps\/podinfo/]
  ])('reject %j with a message and a fix', (text, message, hint) => {
    let error: unknown
    try {
      parseRepository(text, 'repository')
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(InputError)
    expect((error as InputError).message).toMatch(message)
    expect((error as InputError).hint).toMatch(hint)
  })

  it('send Docker Hub API calls to registry-1.docker.io', () => {
    expect(apiHost('docker.io')).toBe('registry-1.docker.io')
    expect(apiHost('ghcr.io')).toBe('ghcr.io')
  })
})

describe('manifest references', () => {
  it('default to the latest tag and accept oci:// and digests', () => {
    expect(parseManifestReference('oci://ghcr.io/org/app', 'ref')).toEqual({
      registry: 'ghcr.io',
      path: 'org/app',
      tag: 'latest'
    })
    expect(parseManifestReference('localhost:5000/app:v1.2.3', 'ref')).toEqual({
      registry: 'localhost:5000',
      path: 'app',
      tag: 'v1.2.3'
    })
    const digest = `sha256:${'a'.repeat(64)}`
    expect(parseManifestReference(`ghcr.io/org/app@${digest}`, 'ref')).toEqual({
      registry: 'ghcr.io',
      path: 'org/app',
      digest
    })
  })
})

describe('tags', () => {
  it.each(['latest', 'v1.2.3', 'main-0123abcd', '_x', 'a'.repeat(128)])('accept %s', tag => {
    expect(validateTag(tag, 'tags')).toBe(tag)
  })
  it.each(['-x', '.x', 'a/b', 'a:b', 'a'.repeat(129), ''])('reject %j', tag => {
    expect(() => validateTag(tag, 'tags')).toThrow(InputError)
  })
})

describe('plain HTTP', () => {
  it('is allowed for loopback and listed hosts only', () => {
    expect(isInsecureRegistry('localhost:5000')).toBe(true)
    expect(isInsecureRegistry('127.0.0.1:41234')).toBe(true)
    expect(isInsecureRegistry('[::1]:5000')).toBe(true)
    expect(isInsecureRegistry('registry.internal:5000')).toBe(false)
    expect(isInsecureRegistry('registry.internal:5000', ['registry.internal:5000'])).toBe(true)
    expect(isInsecureRegistry('ghcr.io', ['registry.internal'])).toBe(false)
  })
})

describe('WWW-Authenticate challenges', () => {
  it('parse a Bearer challenge whose scope holds commas', () => {
    expect(
      parseChallenges(
        'Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:org/app:pull,push"'
      )
    ).toEqual([
      {
        scheme: 'bearer',
        params: {
          realm: 'https://ghcr.io/token',
          service: 'ghcr.io',
          scope: 'repository:org/app:pull,push'
        }
      }
    ])
  })

  it('parse several challenges in one header, and an error parameter', () => {
    expect(
      parseChallenges('Basic realm="x", Bearer realm="https://a/t",error="insufficient_scope"')
    ).toEqual([
      { scheme: 'basic', params: { realm: 'x' } },
      { scheme: 'bearer', params: { realm: 'https://a/t', error: 'insufficient_scope' } }
    ])
  })

  it('unescape quoted characters and accept unquoted values', () => {
    expect(parseChallenges('Bearer realm="a\\"b", service=reg')).toEqual([
      { scheme: 'bearer', params: { realm: 'a"b', service: 'reg' } }
    ])
  })
})
