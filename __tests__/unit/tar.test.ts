import { describe, expect, it } from '@jest/globals'
import { encodeHeader, padding } from '../../src/artifact/tar.js'

const field = (block: Buffer, start: number, length: number) =>
  block.subarray(start, start + length).toString('latin1')

describe('tar headers in the byte layout of Go archive/tar', () => {
  const header = encodeHeader({ name: 'deploy.yaml', type: 'file', mode: 0o644, size: 1234 })

  it('is one USTAR block when the name fits', () => {
    expect(header.length).toBe(512)
    expect(field(header, 0, 11)).toBe('deploy.yaml')
    expect(header[11]).toBe(0)
  })

  it('writes numbers as zero-padded octal ending in NUL', () => {
    expect(field(header, 100, 8)).toBe('0000644\0') // mode
    expect(field(header, 108, 8)).toBe('0000000\0') // uid
    expect(field(header, 116, 8)).toBe('0000000\0') // gid
    expect(field(header, 124, 12)).toBe('00000002322\0') // size 1234
    expect(field(header, 136, 12)).toBe('00000000000\0') // mtime: the epoch
    expect(field(header, 329, 16)).toBe('0000000\0'.repeat(2)) // devmajor, devminor
  })

  it('marks files "0" and directories "5", with magic "ustar\\0" version "00" and no owner names', () => {
    expect(field(header, 156, 1)).toBe('0')
    expect(
      field(encodeHeader({ name: 'dir', type: 'directory', mode: 0o755, size: 0 }), 156, 1)
    ).toBe('5')
    expect(field(header, 257, 8)).toBe('ustar\u000000')
    expect(header.subarray(265, 329).every(b => b === 0)).toBe(true)
  })

  it('has a checksum of six octal digits, NUL and space, over the block with blank checksum', () => {
    const copy = Buffer.from(header)
    copy.fill(' ', 148, 156)
    const sum = copy.reduce((total, byte) => total + byte, 0)
    expect(field(header, 148, 8)).toBe(`${sum.toString(8).padStart(6, '0')}\0 `)
  })

  it('splits a long ASCII path into prefix and name rather than adding PAX records', () => {
    const name = `${'p'.repeat(120)}/${'n'.repeat(90)}`
    const split = encodeHeader({ name, type: 'file', mode: 0o644, size: 0 })
    expect(split.length).toBe(512)
    expect(field(split, 0, 90)).toBe('n'.repeat(90))
    expect(field(split, 345, 120)).toBe('p'.repeat(120))
  })

  it('adds a PAX "path" record for names that USTAR cannot hold', () => {
    const name = `dir/${'x'.repeat(130)}`
    const withPax = encodeHeader({ name, type: 'file', mode: 0o644, size: 3 })
    expect(withPax.length).toBe(512 * 3) // PAX header, its records, the file header
    expect(field(withPax, 156, 1)).toBe('x')
    expect(field(withPax, 0, 22)).toBe('dir/PaxHeaders.0/xxxxx')
    const record = `path=${name}\n`
    const length = record.length + 4 // "144 " + record: the length counts itself
    expect(field(withPax, 512, length)).toBe(`${length} ${record}`)
  })

  it('pads content to whole blocks', () => {
    expect(padding(0).length).toBe(0)
    expect(padding(1).length).toBe(511)
    expect(padding(512).length).toBe(0)
    expect(padding(513).length).toBe(511)
  })
})
