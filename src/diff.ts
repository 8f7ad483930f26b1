import { isDeepStrictEqual } from 'node:util'
import { parseAllDocuments } from 'yaml'

/**
 * What a publish would change in a component, for a reviewer: the files
 * added, removed and changed, and for YAML files the Kubernetes resources
 * by kind and name (added, removed, and which fields changed), not a line
 * diff. Bounded, so a large change stays readable and a hostile artifact
 * cannot make the report huge.
 */

export interface ResourceChange {
  /** kind/namespace/name (namespace left out when there is none). */
  resource: string
  change: 'added' | 'removed' | 'changed'
  /** For changed: the dotted paths that differ (spec.replicas, data.config). */
  fields?: string[]
}

export interface FileChange {
  file: string
  change: 'added' | 'removed' | 'changed'
  resources?: ResourceChange[]
}

export interface TreeDiff {
  files: FileChange[]
  /** True when the lists were cut at their bounds. */
  truncated: boolean
}

const MAX_FILES = 100
const MAX_RESOURCES = 50
const MAX_FIELDS = 20

export function diffTrees(before: Map<string, Buffer>, after: Map<string, Buffer>): TreeDiff {
  const names = [...new Set([...before.keys(), ...after.keys()])].sort()
  const files: FileChange[] = []
  let truncated = false
  for (const file of names) {
    const old = before.get(file)
    const now = after.get(file)
    if (old && now && old.equals(now)) continue
    if (files.length >= MAX_FILES) {
      truncated = true
      break
    }
    const change: FileChange['change'] = !old ? 'added' : !now ? 'removed' : 'changed'
    const resources = /\.ya?ml$/i.test(file) ? diffResources(old, now) : undefined
    if (resources && resources.length > MAX_RESOURCES) truncated = true
    files.push({
      file,
      change,
      ...(resources && resources.length > 0 ? { resources: resources.slice(0, MAX_RESOURCES) } : {})
    })
  }
  return { files, truncated }
}

function diffResources(
  old: Buffer | undefined,
  now: Buffer | undefined
): ResourceChange[] | undefined {
  const before = resourcesOf(old)
  const after = resourcesOf(now)
  if (!before || !after) return undefined // not parseable YAML: the file change says enough
  const changes: ResourceChange[] = []
  for (const [key, value] of after) {
    const previous = before.get(key)
    if (previous === undefined) changes.push({ resource: key, change: 'added' })
    else if (!isDeepStrictEqual(previous, value)) {
      const fields = changedPaths(previous, value, '')
      changes.push({ resource: key, change: 'changed', fields: fields.slice(0, MAX_FIELDS) })
    }
  }
  for (const key of before.keys())
    if (!after.has(key)) changes.push({ resource: key, change: 'removed' })
  return changes
}

/** The resources of a YAML file by kind/namespace/name; undefined if it does not parse. */
function resourcesOf(content: Buffer | undefined): Map<string, unknown> | undefined {
  const resources = new Map<string, unknown>()
  if (!content) return resources
  try {
    const documents = parseAllDocuments(content.toString('utf8'))
    if (!Array.isArray(documents)) return undefined
    documents.forEach((document, index) => {
      if (document.errors.length > 0) throw new Error('invalid YAML')
      const value = document.toJS({ maxAliasCount: 100 }) as unknown
      if (value === null || value === undefined) return
      resources.set(keyOf(value, index), value)
    })
  } catch {
    return undefined
  }
  return resources
}

function keyOf(value: unknown, index: number): string {
  const object = value as { kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } }
  const kind = typeof object?.kind === 'string' ? object.kind : undefined
  const name = typeof object?.metadata?.name === 'string' ? object.metadata.name : undefined
  if (!kind || !name) return `document ${index + 1}`
  const namespace =
    typeof object.metadata?.namespace === 'string' ? `${object.metadata.namespace}/` : ''
  return `${kind}/${namespace}${name}`
}

function changedPaths(a: unknown, b: unknown, path: string): string[] {
  if (isDeepStrictEqual(a, b)) return []
  const objects =
    a !== null &&
    b !== null &&
    typeof a === 'object' &&
    typeof b === 'object' &&
    !Array.isArray(a) &&
    !Array.isArray(b)
  if (!objects) return [path || '(document)']
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()
  return keys.flatMap(key =>
    changedPaths(
      (a as Record<string, unknown>)[key],
      (b as Record<string, unknown>)[key],
      path ? `${path}.${key}` : key
    )
  )
}
