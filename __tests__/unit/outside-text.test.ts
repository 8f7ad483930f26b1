import { describe, expect, it } from '@jest/globals'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { certificateDer, githubClaims } from '../../src/verify/certificate.js'
import { normaliseHost, parseRepository } from '../../src/oci/reference.js'
import { hasControlCharacters, neutraliseCommands, quoteExternal } from '../../src/text.js'

/**
 * What comes from outside, on its way in: text to a log, certificates to
 * the verifier, hosts to the credential rules.
 */

describe('outside text in a log', () => {
  it('keeps to one line: control characters are shown escaped', () => {
    expect(quoteExternal('denied\n::warning::x\r\u0007\u2028ok\ttab')).toBe(
      'denied\\x0a::warning::x\\x0d\\x07\\u2028ok\\x09tab'
    )
    expect(hasControlCharacters('a\nb')).toBe(true)
    expect(hasControlCharacters('plain name.yaml')).toBe(false)
  })

  it('never starts a line with "::", which a runner reads as a command', () => {
    const printed = neutraliseCommands('ok\n::set-output name=x::y\n  ::warning::z\nnot::this')
    expect(printed.split('\n').filter(line => /^\s*::/.test(line))).toEqual([])
    expect(printed).toContain('not::this')
  })
})

describe('a certificate annotation', () => {
  const pem = (der: Buffer) =>
    `-----BEGIN CERTIFICATE-----\n${der
      .toString('base64')
      .match(/.{1,64}/g)
      ?.join('\n')}\n-----END CERTIFICATE-----\n`
  it('is decoded when it is exactly one PEM certificate', async () => {
    const bytes = await sampleDer()
    expect(certificateDer(pem(bytes))?.equals(bytes)).toBe(true)
    expect(certificateDer(`\n  ${pem(bytes)}  \n`)?.equals(bytes)).toBe(true)
  })

  it('is refused with anything around or inside it: two blocks, junk, padding midway', async () => {
    const bytes = await sampleDer()
    const one = pem(bytes)
    expect(certificateDer(one + one)).toBeUndefined()
    expect(certificateDer(`junk\n${one}`)).toBeUndefined()
    expect(certificateDer(`${one}junk`)).toBeUndefined()
    // The forgery of the review: a first certificate's base64, ending in '=', glued to a second PEM.
    const forged = `-----BEGIN CERTIFICATE-----${bytes.subarray(0, 100).toString('base64')}=\n${one}`
    expect(certificateDer(forged)).toBeUndefined()
    expect(certificateDer(one.replace(/\n([A-Za-z0-9+/]{4})/, '\n$1=='))).toBeUndefined()
  })

  it('gives the GitHub claims of the bytes it decoded', async () => {
    const bytes = await sampleDer()
    expect(githubClaims(bytes)).toEqual({
      repository: undefined,
      repositoryId: undefined,
      ref: undefined,
      buildConfig: undefined
    })
  })
})

/** A real certificate (a self-signed P-256 one made with openssl for this test). */
async function sampleDer(): Promise<Buffer> {
  const text = await readFile(join(import.meta.dirname, 'fixtures/certificate.pem'), 'utf8')
  return Buffer.from(text.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64')
}

describe('registry hosts', () => {
  it('are one spelling: lowercase, without the HTTPS default port', () => {
    expect(normaliseHost('GHCR.io:443')).toBe('ghcr.io')
    expect(normaliseHost('LOCALHOST:5000')).toBe('localhost:5000')
    expect(parseRepository('Registry.Example:443/org/app', 'repository')).toEqual({
      registry: 'registry.example',
      path: 'org/app'
    })
  })
})
