import { lstat, readFile, readdir, realpath, stat } from 'node:fs/promises'
import type { Stats } from 'node:fs'
import { join, relative, isAbsolute, sep } from 'node:path'
import { BuildError } from '../errors.js'
import { IgnoreRules, SOURCEIGNORE_FILE } from './ignore.js'
import { hasControlCharacters, quoteExternal } from '../text.js'

/** One archive entry, in archive order. */
export interface WalkEntry {
  /** Archive path: '.', or '/'-separated relative to the component directory. */
  name: string
  type: 'file' | 'directory'
  /** Where the content is read from (the link target for followed symlinks). */
  sourcePath: string
  /** Normalised as git stores modes: 0o755 for directories and executables, else 0o644. */
  mode: number
  size: number
}

export interface WalkOptions {
  /** Symlinks may point anywhere inside this directory and nowhere else. */
  repositoryRoot: string
  /** User ignore patterns (gitignore syntax), added to Flux's defaults. */
  ignorePatterns?: readonly string[]
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

/**
 * Walks `dir` depth-first, yielding '.' first and then each directory's
 * entries in byte order of their names, the order `flux build artifact` uses
 * (a directory's contents come right after it, so `a`, `a/x`, `a.yaml`).
 * Ignored directories are not entered (as in git, nothing below them can be
 * re-included). Symlinks are followed only when their target stays inside the
 * repository root; anything else that is not a file or a directory is an error,
 * because a runner holds credentials and must never archive them by accident.
 */
export async function* walkTree(dir: string, options: WalkOptions): AsyncGenerator<WalkEntry> {
  const rootStats = await statOrThrow(dir)
  if (!rootStats.isDirectory()) {
    throw new BuildError(`${dir} is not a directory`, {
      hint: 'give the path of a directory of Kubernetes configuration, not a file'
    })
  }
  const repositoryRoot = await realpath(options.repositoryRoot).catch((cause: unknown) => {
    throw new BuildError(`repository root ${options.repositoryRoot} cannot be read`, { cause })
  })
  const realDir = await realpath(dir)
  if (!isInside(repositoryRoot, realDir)) {
    throw new BuildError(`${dir} is outside the repository root ${options.repositoryRoot}`, {
      hint: 'publish directories of the repository only, or set the repository root to include it'
    })
  }

  yield { name: '.', type: 'directory', sourcePath: dir, mode: 0o755, size: 0 }
  yield* walkDirectory({
    displayPath: dir,
    realPath: realDir,
    archivePrefix: '',
    rules: IgnoreRules.create(options.ignorePatterns ?? []),
    repositoryRoot,
    ancestors: new Set([realDir])
  })
}

interface DirectoryVisit {
  /** The path as the user would recognise it, for messages. */
  displayPath: string
  realPath: string
  /** '' for the root, else 'sub/dir/'. */
  archivePrefix: string
  rules: IgnoreRules
  repositoryRoot: string
  /** Real paths of the directories being walked, to detect symlink cycles. */
  ancestors: Set<string>
}

async function* walkDirectory(visit: DirectoryVisit): AsyncGenerator<WalkEntry> {
  const rawNames = await readdir(visit.realPath, { encoding: 'buffer' }).catch((cause: unknown) => {
    throw new BuildError(`cannot read directory ${visit.displayPath}`, {
      hint: 'make the directory readable by the user running fleetpack',
      cause
    })
  })
  rawNames.sort((a, b) => Buffer.compare(a, b))

  let rules = visit.rules
  const names = rawNames.map(raw => decodeName(raw, visit.displayPath))
  const sourceIgnorePath = join(visit.realPath, SOURCEIGNORE_FILE)
  // Read only a regular file: a .sourceignore that is a link is checked like any other link below.
  if (names.includes(SOURCEIGNORE_FILE) && (await lstat(sourceIgnorePath)).isFile()) {
    const content = await readFile(sourceIgnorePath, 'utf8')
    rules = rules.withSourceIgnore(visit.archivePrefix.replace(/\/$/, ''), content)
  }

  // lstat a directory's entries concurrently: one at a time, the walk is
  // bound by thread-pool round trips rather than by the disk.
  const stats = await lstatAll(names.map(name => join(visit.realPath, name)))

  for (const [index, name] of names.entries()) {
    const archiveName = visit.archivePrefix + name
    validateArchiveName(archiveName, visit.displayPath)
    const displayPath = join(visit.displayPath, name)
    const linkPath = join(visit.realPath, name)
    const own = stats[index] as Stats

    let target: Stats = own
    let sourcePath = linkPath
    if (own.isSymbolicLink()) {
      const resolved = await resolveLink(linkPath, displayPath, visit.repositoryRoot)
      if (resolved === undefined) {
        // A link that cannot be followed is still fine when it is ignored.
        if (rules.ignores(archiveName, false)) continue
        throw new BuildError(`${displayPath} is a dangling symlink`, {
          hint: 'remove the link, point it at a file of the repository, or add it to ignore-paths'
        })
      }
      if (rules.ignores(archiveName, resolved.stats.isDirectory())) continue
      if (resolved.outside) {
        throw new BuildError(
          `${displayPath} is a symlink to ${quoteExternal(resolved.realPath)}, outside the repository root`,
          {
            hint: 'fleetpack never archives files from outside the repository (a runner holds credentials there); copy the file into the repository or add the link to ignore-paths'
          }
        )
      }
      target = resolved.stats
      sourcePath = resolved.realPath
    } else if (rules.ignores(archiveName, own.isDirectory())) {
      continue
    }

    if (target.isDirectory()) {
      if (visit.ancestors.has(sourcePath)) {
        throw new BuildError(`${displayPath} is a symlink that loops back to ${sourcePath}`, {
          hint: 'remove the link or add it to ignore-paths'
        })
      }
      yield { name: archiveName, type: 'directory', sourcePath, mode: 0o755, size: 0 }
      const ancestors = new Set(visit.ancestors).add(sourcePath)
      yield* walkDirectory({
        displayPath,
        realPath: sourcePath,
        archivePrefix: `${archiveName}/`,
        rules,
        repositoryRoot: visit.repositoryRoot,
        ancestors
      })
    } else if (target.isFile()) {
      const executable = (target.mode & 0o100) !== 0
      yield {
        name: archiveName,
        type: 'file',
        sourcePath,
        mode: executable ? 0o755 : 0o644,
        size: target.size
      }
    } else {
      throw new BuildError(`${displayPath} is a ${describeKind(target)}, not a file or directory`, {
        hint: 'Flux artifacts hold regular files and directories only; remove it or add it to ignore-paths'
      })
    }
  }
}

const LSTAT_CONCURRENCY = 64

async function lstatAll(paths: readonly string[]): Promise<Stats[]> {
  const results: Stats[] = new Array<Stats>(paths.length)
  let next = 0
  async function worker(): Promise<void> {
    while (next < paths.length) {
      const index = next++
      results[index] = await lstat(paths[index] as string)
    }
  }
  await Promise.all(Array.from({ length: Math.min(LSTAT_CONCURRENCY, paths.length) }, worker))
  return results
}

interface ResolvedLink {
  realPath: string
  stats: Stats
  outside: boolean
}

async function resolveLink(
  linkPath: string,
  displayPath: string,
  repositoryRoot: string
): Promise<ResolvedLink | undefined> {
  let realPath: string
  try {
    realPath = await realpath(linkPath)
  } catch (cause) {
    if (isErrno(cause, 'ENOENT') || isErrno(cause, 'ELOOP')) return undefined
    throw new BuildError(`cannot resolve symlink ${displayPath}`, { cause })
  }
  const stats = await stat(realPath)
  return { realPath, stats, outside: !isInside(repositoryRoot, realPath) }
}

function isInside(root: string, candidate: string): boolean {
  const rel = relative(root, candidate)
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel))
}

function decodeName(raw: Buffer, parent: string): string {
  let name: string
  try {
    name = utf8.decode(raw)
  } catch {
    const shown = quoteExternal(raw.toString('utf8'))
    throw new BuildError(`${join(parent, shown)} has a name that is not valid UTF-8`, {
      hint: 'rename the file with a UTF-8 name (Flux and most registries expect UTF-8 paths)'
    })
  }
  // A line break in a name would print as a new log line, which a runner may read as a command.
  if (hasControlCharacters(name)) {
    throw new BuildError(
      `${join(parent, quoteExternal(name))} has a control character (shown escaped) in its name`,
      {
        hint: 'rename the file: names with line breaks or other control characters are refused, as they would reach the build log unprintable'
      }
    )
  }
  return name
}

/**
 * Rejects names that source-controller refuses at extraction (which fails the
 * whole artifact on the cluster, long after the publish succeeded).
 */
export function validateArchiveName(name: string, where: string): void {
  const problem =
    name === ''
      ? 'an empty name'
      : name.includes('\\')
        ? 'a backslash in its name'
        : name.startsWith('/')
          ? 'an absolute name'
          : name.split('/').some(part => part === '..' || part === '')
            ? 'a ".." or empty segment in its name'
            : undefined
  if (problem) {
    throw new BuildError(`${join(where, name)} has ${problem}, which Flux rejects`, {
      hint: 'rename the file: Flux source-controller refuses the whole artifact when one entry has such a name'
    })
  }
}

async function statOrThrow(dir: string): Promise<Stats> {
  try {
    return await stat(dir)
  } catch (cause) {
    if (isErrno(cause, 'ENOENT')) {
      throw new BuildError(`${dir} does not exist`, {
        hint: 'check the path (it is relative to the working directory, usually the repository root)',
        cause
      })
    }
    throw new BuildError(`cannot read ${dir}`, { cause })
  }
}

function describeKind(stats: Stats): string {
  if (stats.isFIFO()) return 'named pipe (fifo)'
  if (stats.isSocket()) return 'socket'
  if (stats.isCharacterDevice()) return 'character device'
  if (stats.isBlockDevice()) return 'block device'
  return 'special file'
}

/** Duck-typed: errors from Node's fs may come from another realm (jest's vm). */
export function isErrno(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code
}
