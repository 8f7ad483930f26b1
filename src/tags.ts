import type { Component } from './components.js'
import { InputError } from './errors.js'
import { validateTag } from './oci/reference.js'

/**
 * Tag templates: `tags` and `diff-tag` may name the commit, the branch, the
 * git tag, the parts of a semantic version and the component, the way fleets
 * tag today (`latest`, `main-{sha:8}`, `{version}`, `{major}.{minor}`)
 * without a shell step to compute them. Templates are checked when the
 * inputs are read; each component's tags are expanded from them and checked
 * again, so an invalid result is refused naming the input, before any upload.
 */

/** What a run is for: its commit, and the branch or tag it was started on. */
export interface RefContext {
  sha?: string | undefined
  branch?: string | undefined
  tag?: string | undefined
}

export interface Semver {
  /** Without a leading v; build metadata's "+" written as "-" (a tag cannot hold "+"). */
  version: string
  major: string
  minor: string
  patch: string
}

const PLACEHOLDER = /\{([a-z]+)(?::(\d+))?\}/g
const PLACEHOLDERS = ['sha', 'branch', 'tag', 'version', 'major', 'minor', 'patch', 'name'] as const
type Placeholder = (typeof PLACEHOLDERS)[number]

const HINT =
  'placeholders are {sha} (or {sha:8}), {branch}, {tag}, {version}, {major}, {minor}, {patch} and {name}; around them, letters, digits, "_", "." and "-"'

/** Checks templates when the inputs are read: known placeholders, valid text around them. */
export function checkTagTemplates(templates: readonly string[], input: string): string[] {
  if (templates.length === 0)
    throw new InputError(`${input} is empty`, { hint: 'give at least one tag, e.g. latest' })
  for (const template of templates) {
    for (const [, name, length] of template.matchAll(PLACEHOLDER)) {
      if (!(PLACEHOLDERS as readonly string[]).includes(name as string)) {
        throw new InputError(`${input}: "${template}" uses an unknown placeholder {${name}}`, {
          hint: HINT
        })
      }
      if (length !== undefined && (name !== 'sha' || Number(length) < 4 || Number(length) > 40)) {
        throw new InputError(`${input}: "${template}" shortens {${name}} to ${length}`, {
          hint: 'only {sha} takes a length, from 4 to 40: {sha:8}'
        })
      }
    }
    // The literal parts must be valid in a tag: check with placeholders as a plain word.
    const literal = template.replace(PLACEHOLDER, 'x')
    if (!/^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/.test(literal) || /[{}]/.test(literal)) {
      throw new InputError(`${input}: "${template}" is not a valid tag or tag template`, {
        hint: HINT
      })
    }
  }
  return [...new Set(templates)]
}

/** One component's tags from the templates; duplicates are dropped, results checked. */
export function expandTags(
  templates: readonly string[],
  values: { ref: RefContext; version?: Semver | undefined; name: string },
  input: string
): string[] {
  const expanded = templates.map(template =>
    template.replace(PLACEHOLDER, (_match, name: Placeholder, length?: string) => {
      const value = placeholderValue(name, values, template, input)
      return length === undefined ? value : value.slice(0, Number(length))
    })
  )
  return [...new Set(expanded.map(tag => validateTag(tag, input)))]
}

function placeholderValue(
  name: Placeholder,
  {
    ref,
    version,
    name: component
  }: { ref: RefContext; version?: Semver | undefined; name: string },
  template: string,
  input: string
): string {
  const missing = (what: string, hint: string) =>
    new InputError(`${input}: "${template}" needs ${what}, and this run has none`, { hint })
  switch (name) {
    case 'name':
      return component
    case 'sha':
      if (!ref.sha)
        throw missing('the commit', 'run in a git checkout (actions/checkout), or set GITHUB_SHA')
      return ref.sha
    case 'branch':
      if (!ref.branch)
        throw missing(
          'a branch',
          `this run is for ${ref.tag ? `tag ${ref.tag}` : 'a detached commit'}; use {branch} in workflows triggered by branch pushes, or {tag}/{version} for tags`
        )
      return tagSafe(ref.branch)
    case 'tag':
      if (!ref.tag)
        throw missing(
          'a git tag',
          'use {tag} in workflows triggered by tag pushes (on: push: tags)'
        )
      return tagSafe(ref.tag)
    default: {
      if (!version)
        throw missing(
          'a semantic version',
          ref.tag
            ? `the git tag ${ref.tag} is not a version (v1.2.3, or <component>/v1.2.3 with release-tag-pattern)`
            : 'use version placeholders in workflows triggered by version tags (v1.2.3)'
        )
      return version[name]
    }
  }
}

/** A branch or tag name as a registry tag: "/" and other characters become "-". */
export function tagSafe(name: string): string {
  return name
    .replace(/[^A-Za-z0-9._-]/g, '-')
    .replace(/^[.-]+/, '')
    .slice(0, 128)
}

/** v1.2.3, 1.2.3-rc.1, v1.2.3+build.5 → its parts; anything else → undefined. */
export function parseSemver(text: string): Semver | undefined {
  const match =
    /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/.exec(text)
  if (!match) return undefined
  const [, major, minor, patch, pre = '', build = ''] = match
  return {
    version: `${major}.${minor}.${patch}${pre}${build.replace('+', '-')}`,
    major: major as string,
    minor: minor as string,
    patch: patch as string
  }
}

/**
 * A component release: a git tag such as podinfo/v1.2.3 matched against
 * `release-tag-pattern` (`{name}/v*`): the component it names and the
 * version (the `*`). undefined when the tag does not have the pattern's form.
 */
export function matchReleaseTag(
  pattern: string,
  tag: string
): { name: string; version: string } | undefined {
  const escaped = pattern
    .split(/(\{name\}|\*)/)
    .map(part =>
      part === '{name}'
        ? '(?<name>[^/]+)'
        : part === '*'
          ? '(?<version>.+)'
          : part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
    )
    .join('')
  const match = new RegExp(`^${escaped}$`).exec(tag)
  const { name, version } = match?.groups ?? {}
  return name && version ? { name, version } : undefined
}

/** Checks release-tag-pattern when the inputs are read. */
export function checkReleaseTagPattern(pattern: string, input: string): string {
  if (pattern.split('{name}').length !== 2 || pattern.split('*').length !== 2) {
    throw new InputError(`${input}: "${pattern}" must contain {name} and * once each`, {
      hint: 'e.g. {name}/v* for tags like podinfo/v1.2.3'
    })
  }
  return pattern
}

/**
 * A component release: on a tag push whose tag has release-tag-pattern's
 * form (podinfo/v1.2.3 for {name}/v*), only the component it names is
 * published, with that version for the version placeholders. Any other
 * run publishes every component, with the git tag's version if it has one.
 */
export function selectRelease(
  components: Component[],
  ref: RefContext,
  pattern: string | undefined,
  log: { info(message: string): void }
): { components: Component[]; version: Semver | undefined } {
  const release = pattern && ref.tag ? matchReleaseTag(pattern, ref.tag) : undefined
  if (!release) return { components, version: ref.tag ? parseSemver(ref.tag) : undefined }
  const named = components.filter(component => component.name === release.name)
  if (named.length === 0) {
    throw new InputError(
      `release-tag-pattern: the tag ${ref.tag} names the component "${release.name}", which paths do not list`,
      {
        hint: `tag one of ${components.map(c => c.name).join(', ')}, or add its directory to paths`
      }
    )
  }
  log.info(`component release: ${release.name} ${release.version} (tag ${ref.tag})`)
  return { components: named, version: parseSemver(release.version) }
}
