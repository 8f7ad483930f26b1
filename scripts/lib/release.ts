import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

/**
 * What a release changes in the repository, apart from git: every
 * `uses: fleetpack/fleetpack@…` (the reusable workflow, the examples, the
 * README) is pinned to the commit whose dist/ is being released, with the
 * version as a comment. The tag then points at a release commit whose
 * reusable workflow runs exactly that code: the identity Flux trusts
 * (publish.yml@refs/tags/vX.Y.Z) pins the code it ran, which a reference to
 * a moving branch or tag would not. Plain TypeScript that Node runs directly.
 */

/** Files that refer to the action or the reusable workflow by reference. */
export const PINNED_FILES = [
  '.github/workflows/publish.yml',
  'README.md',
  'examples/workflows/publish-main.yml',
  'examples/workflows/publish-release.yml',
  'examples/workflows/publish-reusable.yml',
  'examples/workflows/plan-pr.yml'
]

const USES =
  /(uses:\s*fleetpack\/fleetpack(?:\/\.github\/workflows\/publish\.yml)?@)[^\s#]+(\s*#[^\n]*)?/g
const VERSION = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/

export interface ReleasePlan {
  version: string
  /** The commit whose dist/ is released; every reference is pinned to it. */
  commit: string
  notes: string
  /** path → new content, for the files that change. */
  changes: Map<string, string>
}

/** Pins every fleetpack reference in `text` to `commit`, commented with the version. */
export function pinReferences(text: string, commit: string, version: string): string {
  return text.replace(USES, (_all, prefix: string) => `${prefix}${commit} # v${version}`)
}

/** The CHANGELOG section of `version` (## [1.2.3] or ## 1.2.3 … up to the next ##). */
export function releaseNotes(changelog: string, version: string): string | undefined {
  const lines = changelog.split('\n')
  const start = lines.findIndex(line =>
    new RegExp(`^## \\[?v?${version.replace(/\./g, '\\.')}\\]?(\\s|$)`).test(line)
  )
  if (start < 0) return undefined
  const end = lines.findIndex((line, i) => i > start && line.startsWith('## '))
  const notes = lines
    .slice(start + 1, end < 0 ? undefined : end)
    .join('\n')
    .trim()
  return notes || undefined
}

export async function planRelease(
  root: string,
  version: string,
  commit: string
): Promise<ReleasePlan> {
  if (!VERSION.test(version))
    throw new Error(`"${version}" is not a version (1.2.3, without v); run again with one`)
  if (!/^[0-9a-f]{40}$/.test(commit))
    throw new Error(`"${commit}" is not a full commit SHA; pin to a commit, not a branch or tag`)
  const notes = releaseNotes(await readFile(join(root, 'CHANGELOG.md'), 'utf8'), version)
  if (!notes)
    throw new Error(
      `CHANGELOG.md has no section "## ${version}" with notes: write what changed, then run again`
    )
  const changes = new Map<string, string>()
  for (const path of PINNED_FILES) {
    const before = await readFile(join(root, path), 'utf8')
    const after = pinReferences(before, commit, version)
    if (after !== before) changes.set(path, after)
  }
  if (!changes.has('.github/workflows/publish.yml'))
    throw new Error('.github/workflows/publish.yml has no fleetpack/fleetpack reference to pin')
  return { version, commit, notes, changes }
}

export async function applyRelease(root: string, plan: ReleasePlan): Promise<void> {
  for (const [path, content] of plan.changes) await writeFile(join(root, path), content)
}
