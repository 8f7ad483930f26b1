import { createHash, type Hash } from 'node:crypto'
import fs, { createReadStream, createWriteStream } from 'node:fs'
import { rename, rm } from 'node:fs/promises'
import { once } from 'node:events'
import { finished } from 'node:stream/promises'
import { BuildError } from '../errors.js'
import { ParallelGzip } from './gzip.js'
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

/** Files up to this size are read whole, ahead of time; larger ones are streamed. */
const WHOLE_READ_LIMIT = 1024 * 1024
/** How far reading may run ahead of compression, in files and in bytes. */
const READ_AHEAD_FILES = 32
const READ_AHEAD_BYTES = 8 * 1024 * 1024
const GZIP_LEVEL = 6 // the level of Go's gzip.DefaultCompression, as flux uses

/**
 * Archives `dir` as a Flux content layer, streaming through tar, gzip and both
 * digests into a temporary file beside `outputPath`, so memory stays bounded
 * whatever the size of the tree. The gzip header has no name and mtime 0, so
 * the bytes depend only on the archived content.
 *
 * Reading runs ahead of compression, and compression runs on every core
 * (ParallelGzip), so file I/O and deflate overlap as they do in `tar | gzip`.
 */
export async function buildLayer(dir: string, options: LayerOptions): Promise<Layer> {
  const partial = `${options.outputPath}.partial-${process.pid}`
  const uncompressed = createHash('sha256')
  const compressed = createHash('sha256')
  let size = 0
  const counted = { files: 0 }

  const file = createWriteStream(partial, { mode: 0o644 })
  const fileError = new Promise<never>((_, reject) => file.once('error', reject))
  fileError.catch(() => undefined)
  const gzip = new ParallelGzip(
    async chunk => {
      compressed.update(chunk)
      size += chunk.length
      if (!file.write(chunk)) await Promise.race([once(file, 'drain'), fileError])
    },
    { level: GZIP_LEVEL, inspect: block => uncompressed.update(block) }
  )

  try {
    for await (const chunk of tarStream(dir, options, counted)) await gzip.write(chunk)
    await gzip.end()
    file.end()
    await Promise.race([finished(file), fileError])
    await rename(partial, options.outputPath)
  } catch (error) {
    file.destroy()
    await rm(partial, { force: true })
    throw error
  }
  return {
    path: options.outputPath,
    digest: sha256(compressed),
    diffId: sha256(uncompressed),
    size,
    files: counted.files
  }
}

/**
 * The diffID and file count of the layer `dir` would become, without
 * compressing or writing it: the cheap first look that tells an unchanged
 * component (most of a fleet, on most commits) from a changed one.
 */
export async function hashTree(
  dir: string,
  options: WalkOptions
): Promise<{ diffId: string; files: number; size: number }> {
  const uncompressed = createHash('sha256')
  const counted = { files: 0 }
  let size = 0
  for await (const chunk of tarStream(dir, options, counted)) {
    uncompressed.update(chunk)
    size += chunk.length
  }
  return { diffId: sha256(uncompressed), files: counted.files, size }
}

interface Pending {
  entry: WalkEntry
  /** The content of a small file, being read ahead. */
  content?: Promise<Buffer>
}

/** The uncompressed tar as a sequence of buffers; counts the regular files into `counted`. */
async function* tarStream(
  dir: string,
  options: WalkOptions,
  counted: { files: number }
): AsyncGenerator<Buffer> {
  const queue: Pending[] = []
  let queuedBytes = 0

  async function* emit(pending: Pending): AsyncGenerator<Buffer> {
    const { entry } = pending
    yield encodeHeader(entry)
    if (entry.type !== 'file') return
    if (pending.content) {
      queuedBytes -= entry.size
      yield await pending.content
    } else {
      yield* streamFile(entry)
    }
    yield padding(entry.size)
  }

  for await (const entry of walkTree(dir, options)) {
    const pending: Pending = { entry }
    if (entry.type === 'file') {
      counted.files++
      if (entry.size <= WHOLE_READ_LIMIT) {
        pending.content = readWhole(entry)
        // Awaited in order later; this only keeps an early failure from being "unhandled".
        pending.content.catch(() => undefined)
        queuedBytes += entry.size
      }
    }
    queue.push(pending)
    while (queue.length > READ_AHEAD_FILES || queuedBytes > READ_AHEAD_BYTES) {
      yield* emit(queue.shift() as Pending)
    }
  }
  while (queue.length > 0) yield* emit(queue.shift() as Pending)

  if (counted.files === 0) {
    throw new BuildError(`${dir} holds no files once ignore rules are applied`, {
      hint: 'check the path, ignore-paths and any .sourceignore in it: an empty artifact would make Flux delete everything it deployed from it'
    })
  }
  yield END_OF_ARCHIVE
}

/**
 * Reads a small file with the callback API: FileHandle promises cost several
 * times more main-thread work per file, which shows on trees of many files.
 */
function readWhole(entry: WalkEntry): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    fs.open(entry.sourcePath, 'r', (openError, fd) => {
      if (openError) return reject(unreadable(entry, openError))
      const buffer = Buffer.allocUnsafe(entry.size)
      const finish = (error: BuildError | undefined) =>
        fs.close(fd, () => (error ? reject(error) : resolve(buffer)))
      const readFrom = (offset: number): void => {
        if (offset === entry.size) return finish(undefined)
        fs.read(fd, buffer, offset, entry.size - offset, offset, (readError, bytesRead) => {
          if (readError) return finish(unreadable(entry, readError))
          if (bytesRead === 0) return finish(changed(entry))
          readFrom(offset + bytesRead)
        })
      }
      readFrom(0)
    })
  })
}

async function* streamFile(entry: WalkEntry): AsyncGenerator<Buffer> {
  let read = 0
  try {
    const stream = createReadStream(entry.sourcePath, { highWaterMark: 1024 * 1024 })
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const room = entry.size - read
      read += chunk.length
      if (read > entry.size) {
        stream.destroy()
        break
      }
      yield room >= chunk.length ? chunk : chunk.subarray(0, room)
    }
  } catch (cause) {
    throw unreadable(entry, cause)
  }
  if (read !== entry.size) throw changed(entry)
}

function unreadable(entry: WalkEntry, cause: unknown): BuildError {
  return new BuildError(`cannot read ${entry.sourcePath}`, {
    hint: 'make the file readable by the user running fleetpack, or add it to ignore-paths',
    cause
  })
}

function changed(entry: WalkEntry): BuildError {
  return new BuildError(`${entry.sourcePath} changed while it was being archived`, {
    hint: 'do not modify the directory while fleetpack runs, then run again'
  })
}

function sha256(hash: Hash): string {
  return `sha256:${hash.digest('hex')}`
}
