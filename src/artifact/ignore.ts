import ignore, { type Ignore } from 'ignore'

/**
 * What `flux push artifact` leaves out by default (fluxcd/pkg sourceignore
 * ExcludeVCS + ExcludeExt). Unlike the flux CLI, user patterns are added to
 * these instead of replacing them: replacing them silently ships `.git/`.
 */
export const FLUX_DEFAULT_EXCLUSIONS: readonly string[] = [
  '.git/',
  '.gitignore',
  '.gitmodules',
  '.gitattributes',
  '*.jpg',
  '*.jpeg',
  '*.gif',
  '*.png',
  '*.wmv',
  '*.flv',
  '*.tar.gz',
  '*.zip'
]

export const SOURCEIGNORE_FILE = '.sourceignore'

/**
 * The ignore rules in force in one directory of the tree, with git's
 * precedence: Flux's defaults, then every `.sourceignore` from the root down
 * to this directory, then the user's patterns, the last matching pattern
 * winning. All patterns are kept relative to the archive root so that one
 * matcher (with git's parent-directory semantics) answers for the whole path.
 */
export class IgnoreRules {
  private readonly matcher: Ignore

  private constructor(
    private readonly treePatterns: readonly string[],
    private readonly userPatterns: readonly string[]
  ) {
    this.matcher = ignore().add([...treePatterns, ...userPatterns])
  }

  static create(userPatterns: readonly string[] = []): IgnoreRules {
    return new IgnoreRules(FLUX_DEFAULT_EXCLUSIONS, userPatterns)
  }

  /**
   * The rules for a subdirectory `dir` (archive-relative, '/'-separated) that
   * holds a `.sourceignore` with `content`.
   */
  withSourceIgnore(dir: string, content: string): IgnoreRules {
    const rebased = parsePatternLines(content).map(p => rebasePattern(p, dir))
    return new IgnoreRules([...this.treePatterns, ...rebased], this.userPatterns)
  }

  /** Whether an archive-relative path is left out of the artifact. */
  ignores(path: string, isDirectory: boolean): boolean {
    return this.matcher.ignores(isDirectory ? `${path}/` : path)
  }
}

/** Splits user input or a `.sourceignore` into patterns, dropping blanks and comments. */
export function parsePatternLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map(line => line.replace(/(?<!\\)\s+$/, ''))
    .filter(line => line !== '' && !line.startsWith('#'))
}

/**
 * Rewrites a gitignore pattern read from `dir/.sourceignore` so that it means
 * the same thing relative to the archive root: an unanchored name matches at
 * any depth below `dir`, an anchored one relative to `dir`.
 */
export function rebasePattern(pattern: string, dir: string): string {
  if (dir === '') return pattern
  let negation = ''
  let body = pattern
  if (body.startsWith('!')) {
    negation = '!'
    body = body.slice(1)
  }
  const withoutTrailingSlash = body.endsWith('/') ? body.slice(0, -1) : body
  const anchored = withoutTrailingSlash.includes('/')
  if (body.startsWith('/')) body = body.slice(1)
  return anchored ? `${negation}${dir}/${body}` : `${negation}${dir}/**/${body}`
}
