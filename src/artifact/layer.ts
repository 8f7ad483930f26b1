import { createHash, type Hash } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { open, rename, rm } from 'node:fs/promises'
import { pipeline } from 'node:stream/promises'
import { createGzip, constants as zlib } from 'node:zlib'
import { BuildError } from '../errors.js'
import { END_OF_ARCHIVE, encodeHeader, padding } from './tar.js'
import { walkTree, type WalkOptions, type WalkEntry } from './walk.js'

export interface Layer {
  /** The gzip'd tar on disk. */
  path: string
  /** sha256 of the compressed bytes: the blob digest in the registry. */
  digest: string
  /** sha256 of the uncompressed tar: identifies the content whatever the compressor. */
  diffId: string
  /** Compressed size in bytes. */
  size: number
  /** Number of regular files archived. */
  files: number
}

export interface LayerOptions extends WalkOptions {
  /** Where the layer is written; it appears there only once it is complete. */
  outputPath: string
}

/** Files up to this size are read in one call; larger ones are streamed. */
const WHOLE_READ_LIMIT = 1024 * 1024
const GZIP_LEVEL = 6 // the level of Go's gzip.DefaultCompression, as flux uses

/**
 * Archives `dir` as a Flux content layer, streaming through tar, gzip and both
 * digests into a temporary file beside `outputPath`, so memory stays flat
 * whatever the size of the tree. The gzip header has no name and mtime 0, so
 * the bytes depend only on the archived content.
 */
export async function buildLayer(dir: string, options: LayerOptions): Promise<Layer> {
  const partial = `${options.outputPath}.partial-${process.pid}`
  const uncompressed = createHash('sha256')
  const compressed = createHash('sha256')
  let size = 0
  let files = 0

  async function* tarStream(): AsyncGenerator<Buffer> {
    for await (const entry of walkTree(dir, options)) {
      const header = encodeHeader(entry)
      uncompressed.update(header)
      yield header
      if (entry.type === 'file') {
        files++
        for await (const chunk of readContent(entry)) {
          uncompressed.update(chunk)
          yield chunk
        }
        const pad = padding(entry.size)
        uncompressed.update(pad)
        yield pad
      }
    }
    if (files === 0) {
      throw new BuildError(`${dir} holds no files once ignore rules are applied`, {
        hint: 'check the path, ignore-paths and any .sourceignore in it: an empty artifact would make Flux delete everything it deployed from it'
      })
    }
    uncompressed.update(END_OF_ARCHIVE)
    yield END_OF_ARCHIVE
  }

  async function* countAndHash(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    for await (const chunk of source) {
      compressed.update(chunk)
      size += chunk.length
      yield chunk
    }
  }

  try {
    await pipeline(
      tarStream,
      createGzip({ level: GZIP_LEVEL, chunkSize: 64 * 1024, strategy: zlib.Z_DEFAULT_STRATEGY }),
      countAndHash,
      createWriteStream(partial, { mode: 0o644 })
    )
    await rename(partial, options.outputPath)
  } catch (error) {
    await rm(partial, { force: true })
    throw error
  }
  return {
    path: options.outputPath,
    digest: sha256(compressed),
    diffId: sha256(uncompressed),
    size,
    files
  }
}

async function* readContent(entry: WalkEntry): AsyncGenerator<Buffer> {
  let read = 0
  try {
    if (entry.size <= WHOLE_READ_LIMIT) {
      const handle = await open(entry.sourcePath, 'r')
      try {
        const buffer = Buffer.allocUnsafe(entry.size)
        while (read < entry.size) {
          const { bytesRead } = await handle.read(buffer, read, entry.size - read, read)
          if (bytesRead === 0) break
          read += bytesRead
        }
        if (read === entry.size) {
          // One more byte means the file grew since it was listed.
          const { bytesRead } = await handle.read(Buffer.alloc(1), 0, 1, read)
          read += bytesRead
        }
        if (read === entry.size) yield buffer
      } finally {
        await handle.close()
      }
    } else {
      for await (const chunk of createReadStream(entry.sourcePath, {
        highWaterMark: 256 * 1024
      }) as AsyncIterable<Buffer>) {
        const room = entry.size - read
        read += chunk.length
        if (read > entry.size) {
          if (room > 0) yield chunk.subarray(0, room)
          break
        }
        yield chunk
      }
    }
  } catch (cause) {
    throw new BuildError(`cannot read ${entry.sourcePath}`, {
      hint: 'make the file readable by the user running fleetpack, or add it to ignore-paths',
      cause
    })
  }
  if (read !== entry.size) {
    throw new BuildError(`${entry.sourcePath} changed while it was being archived`, {
      hint: 'do not modify the directory while fleetpack runs, then run again'
    })
  }
}

function sha256(hash: Hash): string {
  return `sha256:${hash.digest('hex')}`
}
