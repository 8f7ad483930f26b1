import { describe, expect, it } from '@jest/globals'
import { randomBytes } from 'node:crypto'
import { gunzipSync } from 'node:zlib'
import { execFileSync } from 'node:child_process'
import { ParallelGzip } from '../../src/artifact/gzip.js'

async function compress(
  data: Buffer,
  options: { blockSize: number; concurrency: number },
  writeSize = 7777
) {
  const out: Buffer[] = []
  const gzip = new ParallelGzip(async chunk => void out.push(chunk), { level: 6, ...options })
  for (let offset = 0; offset < data.length; offset += writeSize) {
    await gzip.write(data.subarray(offset, offset + writeSize))
  }
  await gzip.end()
  return Buffer.concat(out)
}

/** Half text, half random bytes: both compressible and incompressible blocks. */
function sample(size: number): Buffer {
  const text = Buffer.from(
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: demo\n'.repeat(size / 50 + 1)
  )
  return Buffer.concat([text.subarray(0, size / 2), randomBytes(size - size / 2)])
}

describe('parallel gzip', () => {
  const blockSize = 64 * 1024

  it.each([0, 1, blockSize - 1, blockSize, blockSize + 1, Math.floor(blockSize * 3.5)])(
    'produces one gzip member that decompresses to the input (%i bytes)',
    async size => {
      const data = sample(size)
      const gz = await compress(data, { blockSize, concurrency: 3 })
      expect(gunzipSync(gz).equals(data)).toBe(true)
      // GNU gzip agrees, CRC and length included.
      execFileSync('gzip', ['-t'], { input: gz })
    }
  )

  it('gives the same bytes whatever the concurrency and the write sizes', async () => {
    const data = sample(blockSize * 5 + 123)
    const one = await compress(data, { blockSize, concurrency: 1 }, 1000)
    const many = await compress(data, { blockSize, concurrency: 8 }, 100_000)
    expect(many.equals(one)).toBe(true)
  })

  it('writes a header without name or time', async () => {
    const gz = await compress(Buffer.from('x'), { blockSize, concurrency: 1 })
    expect(gz.subarray(0, 10).toString('hex')).toBe('1f8b0800000000000003')
  })
})
