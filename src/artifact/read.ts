import { createGunzip } from 'node:zlib'
import type { Readable } from 'node:stream'

/**
 * Reads the regular files of a Flux content layer (a gzip'd tar) into
 * memory, for comparing a registry's artifact with a tree: ustar and PAX
 * (Go's archive/tar, as `flux push artifact` writes it, and ours). The
 * layer comes from a registry, so everything is bounded: the compressed
 * bytes read, the uncompressed size, the number of entries; names with
 * `..` or a leading `/` are refused as Flux's untar refuses them.
 */

export interface LayerLimits {
  /** The layer's size as its descriptor gives it: more is refused. */
  compressedBytes: number
  uncompressedBytes: number
  entries: number
}

export async function readLayerFiles(
  source: Readable,
  limits: LayerLimits
): Promise<Map<string, Buffer>> {
  const tar = await gunzipBounded(source, limits)
  const files = new Map<string, Buffer>()
  let offset = 0
  let paxPath: string | undefined
  let entries = 0
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512)
    if (header.every(byte => byte === 0)) break
    if (++entries > limits.entries) throw new Error(`more than ${limits.entries} entries`)
    const size = parseOctal(header.subarray(124, 136))
    const type = String.fromCharCode(header[156] ?? 0)
    const body = tar.subarray(offset + 512, offset + 512 + size)
    if (body.length !== size) throw new Error('the tar ends inside an entry')
    const name = paxPath ?? joinName(field(header, 345, 155), field(header, 0, 100))
    paxPath = undefined
    if (type === 'x') paxPath = paxRecord(body, 'path')
    else if (type === '0' || type === '\0') {
      const clean = name.replace(/^\.\//, '')
      if (clean.startsWith('/') || clean.split('/').includes('..'))
        throw new Error(`an entry named ${JSON.stringify(name)}`)
      files.set(clean, Buffer.from(body))
    }
    offset += 512 + Math.ceil(size / 512) * 512
  }
  return files
}

async function gunzipBounded(source: Readable, limits: LayerLimits): Promise<Buffer> {
  const gunzip = createGunzip()
  const chunks: Buffer[] = []
  let compressed = 0
  let inflated = 0
  source.on('data', (chunk: Buffer) => {
    compressed += chunk.length
    if (compressed > limits.compressedBytes) {
      source.destroy()
      gunzip.destroy(
        new Error(`more than the ${limits.compressedBytes} bytes its descriptor gives`)
      )
    }
  })
  source.on('error', error => gunzip.destroy(error))
  source.pipe(gunzip)
  for await (const chunk of gunzip as AsyncIterable<Buffer>) {
    inflated += chunk.length
    if (inflated > limits.uncompressedBytes) {
      source.destroy()
      throw new Error(`more than ${limits.uncompressedBytes} bytes of content`)
    }
    chunks.push(chunk)
  }
  return Buffer.concat(chunks)
}

function field(header: Buffer, start: number, length: number): string {
  const raw = header.subarray(start, start + length)
  const end = raw.indexOf(0)
  return raw.subarray(0, end < 0 ? length : end).toString('utf8')
}

function joinName(prefix: string, name: string): string {
  return prefix ? `${prefix}/${name}` : name
}

function parseOctal(raw: Buffer): number {
  const text = raw.toString('ascii').replace(/\0.*$/s, '').trim()
  const value = text === '' ? 0 : parseInt(text, 8)
  if (!Number.isFinite(value) || value < 0) throw new Error('a tar header with an invalid size')
  return value
}

/** One record of a PAX extended header ("<len> key=value\n" lines). */
function paxRecord(body: Buffer, key: string): string | undefined {
  for (const line of body.toString('utf8').split('\n')) {
    const match = /^\d+ ([^=]+)=(.*)$/.exec(line)
    if (match?.[1] === key) return match[2]
  }
  return undefined
}
