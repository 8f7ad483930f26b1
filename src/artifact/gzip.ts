import { availableParallelism } from 'node:os'
import { promisify } from 'node:util'
import zlib from 'node:zlib'

const deflateRaw = promisify(zlib.deflateRaw)

/** Deflate's window: each block is primed with this much of the input before it. */
const WINDOW = 32 * 1024
/** magic, deflate, no flags (no name), mtime 0, no extra flags, OS unix. */
const HEADER = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3])

export interface ParallelGzipOptions {
  level: number
  /** Uncompressed bytes per block; fixed, so the output never depends on timing. */
  blockSize?: number
  /** Blocks compressed at once; defaults to the number of cores plus one. */
  concurrency?: number
  /** Sees every uncompressed block, in order (to hash the input without another pass). */
  inspect?: (block: Buffer) => void
}

/**
 * A gzip writer that compresses fixed-size blocks in parallel on the thread
 * pool, the way pigz does: each block is raw deflate primed with the previous
 * 32 KiB as dictionary and ended with a sync flush, the last one finished, so
 * the result is one ordinary gzip member that any gunzip (and Go's reader in
 * source-controller) reads. Block boundaries depend only on the input, so the
 * bytes are the same on every machine; a single zlib stream would leave all
 * but one core idle while it compresses.
 */
export class ParallelGzip {
  private readonly blockSize: number
  private readonly concurrency: number
  private readonly inFlight: Promise<Buffer>[] = []
  /** The block being filled: written into once, then handed to zlib as is. */
  private block: Buffer
  private filled = 0
  private dictionary: Buffer = Buffer.alloc(0)
  private crc = 0
  private length = 0
  private started = false

  constructor(
    /** Receives the compressed stream in order; awaited, so it can apply backpressure. */
    private readonly sink: (chunk: Buffer) => Promise<void>,
    private readonly options: ParallelGzipOptions
  ) {
    this.blockSize = options.blockSize ?? 1024 * 1024
    this.block = Buffer.allocUnsafe(this.blockSize)
    // One more than the cores, so a finished block never leaves a core waiting for the next.
    this.concurrency = Math.max(1, options.concurrency ?? availableParallelism() + 1)
  }

  async write(data: Buffer): Promise<void> {
    let offset = 0
    while (offset < data.length) {
      const take = Math.min(this.blockSize - this.filled, data.length - offset)
      data.copy(this.block, this.filled, offset, offset + take)
      this.filled += take
      offset += take
      if (this.filled === this.blockSize) await this.submit(false)
    }
  }

  /** Compresses what is left, then writes the trailer. */
  async end(): Promise<void> {
    await this.submit(true)
    while (this.inFlight.length > 0) await this.emitOldest()
    const trailer = Buffer.alloc(8)
    trailer.writeUInt32LE(this.crc >>> 0, 0)
    trailer.writeUInt32LE(this.length % 2 ** 32, 4)
    await this.sink(trailer)
  }

  private async submit(last: boolean): Promise<void> {
    const block = this.block.subarray(0, this.filled)
    // A fresh buffer for the next block: this one stays with zlib, and its tail is the next dictionary.
    this.block = Buffer.allocUnsafe(this.blockSize)
    this.filled = 0
    this.options.inspect?.(block)
    this.crc = zlib.crc32(block, this.crc)
    this.length += block.length
    const compressed = deflateRaw(block, {
      level: this.options.level,
      memLevel: 9,
      // One output buffer for the whole block: one thread-pool round trip, not one per 16 KiB.
      chunkSize: this.blockSize + 64 * 1024,
      ...(this.dictionary.length > 0 ? { dictionary: this.dictionary } : {}),
      finishFlush: last ? zlib.constants.Z_FINISH : zlib.constants.Z_SYNC_FLUSH
    })
    compressed.catch(() => undefined) // awaited in order in emitOldest
    this.inFlight.push(compressed)
    this.dictionary =
      block.length >= WINDOW
        ? block.subarray(block.length - WINDOW)
        : Buffer.concat([this.dictionary, block]).subarray(-WINDOW)
    while (this.inFlight.length >= this.concurrency) await this.emitOldest()
  }

  private async emitOldest(): Promise<void> {
    const compressed = await (this.inFlight.shift() as Promise<Buffer>)
    if (!this.started) {
      this.started = true
      await this.sink(HEADER)
    }
    await this.sink(compressed)
  }
}
