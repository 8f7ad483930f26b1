/**
 * A minimal tar header writer with the byte layout of Go's archive/tar (which
 * `flux build artifact` uses): USTAR whenever the name fits, PAX records
 * otherwise, zero-padded octal numbers ending in NUL, empty owner names, and
 * an end of archive of exactly two zero blocks. Written by hand because the
 * npm tar writers format numeric fields differently and pad the archive, and
 * every byte here feeds the artifact digest.
 */

export const BLOCK_SIZE = 512
export const END_OF_ARCHIVE = Buffer.alloc(2 * BLOCK_SIZE)

const NAME_SIZE = 100
const PREFIX_SIZE = 155
const MAX_OCTAL_SIZE = 0o77777777777

export type EntryType = 'file' | 'directory'

export interface TarEntry {
  /** Archive path, '/'-separated, without a trailing slash for directories. */
  name: string
  type: EntryType
  /** Permission bits only (0o644, 0o755). */
  mode: number
  /** Content length in bytes; 0 for directories. */
  size: number
}

/** The header block(s) that precede an entry's content. */
export function encodeHeader(entry: TarEntry): Buffer {
  const typeflag = entry.type === 'directory' ? '5' : '0'
  const size = entry.type === 'directory' ? 0 : entry.size
  const pax: Record<string, string> = {}

  let name = entry.name
  let prefix = ''
  if (!fitsUstarName(name)) {
    const split = splitUstarPath(name)
    if (split) {
      ;[prefix, name] = split
    } else {
      pax.path = entry.name
      name = truncateAscii(entry.name, NAME_SIZE)
    }
  }
  if (size > MAX_OCTAL_SIZE) pax.size = String(size)

  const header = ustarBlock({
    name,
    prefix,
    mode: entry.mode,
    size: pax.size ? 0 : size,
    typeflag
  })
  if (Object.keys(pax).length === 0) return header
  return Buffer.concat([paxHeader(entry.name, pax), header])
}

/** Zero bytes that pad an entry's content to a whole block. */
export function padding(size: number): Buffer {
  const remainder = size % BLOCK_SIZE
  return remainder === 0 ? Buffer.alloc(0) : Buffer.alloc(BLOCK_SIZE - remainder)
}

function ustarBlock(fields: {
  name: string
  prefix: string
  mode: number
  size: number
  typeflag: string
}): Buffer {
  const block = Buffer.alloc(BLOCK_SIZE)
  block.write(fields.name, 0, NAME_SIZE, 'utf8')
  writeOctal(block, 100, 8, fields.mode)
  writeOctal(block, 108, 8, 0) // uid
  writeOctal(block, 116, 8, 0) // gid
  writeOctal(block, 124, 12, fields.size)
  writeOctal(block, 136, 12, 0) // mtime: the epoch, so the digest ignores checkout times
  block.write(fields.typeflag, 156, 1, 'ascii')
  block.write('ustar\0', 257, 6, 'ascii')
  block.write('00', 263, 2, 'ascii')
  writeOctal(block, 329, 8, 0) // devmajor
  writeOctal(block, 337, 8, 0) // devminor
  block.write(fields.prefix, 345, PREFIX_SIZE, 'utf8')

  block.fill(' ', 148, 156)
  let checksum = 0
  for (const byte of block) checksum += byte
  block.write(checksum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'ascii')
  return block
}

function paxHeader(fullName: string, records: Record<string, string>): Buffer {
  let body = ''
  for (const key of Object.keys(records).sort()) body += paxRecord(key, records[key] ?? '')
  const data = Buffer.from(body, 'utf8')
  const slash = fullName.lastIndexOf('/')
  const dir = slash < 0 ? '' : fullName.slice(0, slash + 1)
  const base = fullName.slice(slash + 1)
  const header = ustarBlock({
    name: truncateAscii(`${dir}PaxHeaders.0/${base}`, NAME_SIZE),
    prefix: '',
    mode: 0,
    size: data.length,
    typeflag: 'x'
  })
  return Buffer.concat([header, data, padding(data.length)])
}

/** "%d %s=%s\n" where the leading length counts the whole record, itself included. */
function paxRecord(key: string, value: string): string {
  const rest = ` ${key}=${value}\n`
  const restLength = Buffer.byteLength(rest)
  let length = restLength + 1
  while (String(length).length + restLength > length) length++
  return `${length}${rest}`
}

function writeOctal(block: Buffer, offset: number, width: number, value: number): void {
  block.write(value.toString(8).padStart(width - 1, '0') + '\0', offset, width, 'ascii')
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code === 0 || code > 0x7f) return false
  }
  return true
}

function fitsUstarName(name: string): boolean {
  return name.length <= NAME_SIZE && isAscii(name)
}

/** Go's splitUSTARPath: a prefix of at most 155 bytes and a name of at most 100. */
function splitUstarPath(name: string): [string, string] | undefined {
  if (!isAscii(name) || name.length <= NAME_SIZE) return undefined
  let length = name.length
  if (length > PREFIX_SIZE + 1) length = PREFIX_SIZE + 1
  else if (name[length - 1] === '/') length--
  const i = name.lastIndexOf('/', length - 1)
  const suffixLength = name.length - i - 1
  if (i <= 0 || suffixLength > NAME_SIZE || suffixLength === 0 || i > PREFIX_SIZE) return undefined
  return [name.slice(0, i), name.slice(i + 1)]
}

function truncateAscii(text: string, max: number): string {
  let ascii = ''
  for (const char of text) ascii += isAscii(char) ? char : '_'
  return ascii.slice(0, max)
}
