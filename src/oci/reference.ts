import { InputError } from '../errors.js'

/**
 * Registry references, parsed and validated before any network call, with the
 * grammar of distribution/reference (what every registry enforces).
 */

const COMPONENT = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*$/
const TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/
const DIGEST = /^sha256:[a-f0-9]{64}$/
const HOST =
  /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:]+\])(?::\d{1,5})?$/

export const DOCKER_HUB = 'docker.io'
/** Where Docker Hub's registry API answers. */
export const DOCKER_HUB_API = 'registry-1.docker.io'

export interface Repository {
  /** The registry host[:port], normalised (lowercase, no :443; docker.io for Docker Hub). */
  registry: string
  /** Path inside the registry, e.g. org/apps/podinfo. */
  path: string
}

/**
 * A registry host as one spelling: lowercase (DNS is case-blind) and without
 * HTTPS's default port. Every comparison of origins (which credentials go
 * where, whose challenge is whose) relies on it: `GHCR.io:443` and `ghcr.io`
 * are one registry, and must not look like two.
 */
export function normaliseHost(host: string): string {
  return host.toLowerCase().replace(/:443$/, '')
}

/** host[:port]/path */
export function repositoryName(repository: Repository): string {
  return `${repository.registry}/${repository.path}`
}

/** The host the registry API answers on. */
export function apiHost(registry: string): string {
  return registry === DOCKER_HUB || registry === 'index.docker.io' ? DOCKER_HUB_API : registry
}

/**
 * Parses `host[:port]/path` (no tag, no digest). `input` names the input or
 * flag the value came from, for the message.
 */
export function parseRepository(value: string, input: string): Repository {
  const text = value.trim()
  if (text === '') {
    throw new InputError(`${input} is empty`, {
      hint: 'give a repository such as ghcr.io/org/apps/podinfo'
    })
  }
  if (/^[a-z]+:\/\//i.test(text)) {
    throw new InputError(`${input}: "${text}" has a URL scheme`, {
      hint: `drop the scheme: ${text.replace(/^[a-z]+:\/\//i, '')}`
    })
  }
  if (text.includes('@')) {
    throw new InputError(`${input}: "${text}" contains a digest`, {
      hint: 'give the repository only; fleetpack computes the digest'
    })
  }
  const slash = text.indexOf('/')
  const first = slash < 0 ? text : text.slice(0, slash)
  const hasRegistry =
    slash >= 0 &&
    (first.includes('.') || first.includes(':') || first === 'localhost' || first.startsWith('['))
  const registry = hasRegistry ? normaliseHost(first) : DOCKER_HUB
  let path = hasRegistry ? text.slice(slash + 1) : text

  const lastSlash = path.lastIndexOf('/')
  const colon = path.indexOf(':', lastSlash + 1)
  if (colon >= 0) {
    throw new InputError(`${input}: "${text}" contains a tag (${path.slice(colon + 1)})`, {
      hint: `give the repository without a tag (${registry === DOCKER_HUB && !hasRegistry ? '' : `${registry}/`}${path.slice(0, colon)}) and list tags in "tags"`
    })
  }
  if (!HOST.test(registry)) {
    throw new InputError(`${input}: "${registry}" is not a valid registry host`, {
      hint: 'write it as host or host:port, e.g. ghcr.io or localhost:5000'
    })
  }
  if (registry === DOCKER_HUB && !path.includes('/')) path = `library/${path}`
  if (path !== path.toLowerCase()) {
    throw new InputError(
      `${input}: "${text}" has uppercase letters; OCI repository names must be lowercase`,
      {
        hint: `use ${hasRegistry ? `${registry}/` : ''}${path.toLowerCase()}`
      }
    )
  }
  const bad = path.split('/').find(part => !COMPONENT.test(part))
  if (bad !== undefined) {
    throw new InputError(
      `${input}: "${bad === '' ? text : bad}" is not a valid repository path component`,
      {
        hint: 'use lowercase letters, digits and single separators (".", "_", "__", "-") between "/"'
      }
    )
  }
  if (repositoryName({ registry, path }).length > 255) {
    throw new InputError(`${input}: "${text}" is longer than 255 characters`, {
      hint: 'use a shorter repository name'
    })
  }
  return { registry, path }
}

export function validateTag(tag: string, input: string): string {
  if (!TAG.test(tag)) {
    throw new InputError(`${input}: "${tag}" is not a valid tag`, {
      hint: 'tags are 1-128 characters of letters, digits, "_", "." and "-", not starting with "." or "-"'
    })
  }
  return tag
}

export function isDigest(value: string): boolean {
  return DIGEST.test(value)
}

/** A reference to one manifest: `oci://host/path:tag` or `host/path@sha256:...`. */
export interface ManifestReference extends Repository {
  tag?: string
  digest?: string
}

export function parseManifestReference(value: string, input: string): ManifestReference {
  const text = value.trim().replace(/^oci:\/\//, '')
  const at = text.indexOf('@')
  if (at >= 0) {
    const digest = text.slice(at + 1)
    if (!isDigest(digest)) {
      throw new InputError(`${input}: "${digest}" is not a sha256 digest`, {
        hint: 'write it as sha256:<64 hex digits>'
      })
    }
    return { ...parseRepository(text.slice(0, at), input), digest }
  }
  const lastSlash = text.lastIndexOf('/')
  const colon = text.indexOf(':', lastSlash + 1)
  if (colon < 0) return { ...parseRepository(text, input), tag: 'latest' }
  return {
    ...parseRepository(text.slice(0, colon), input),
    tag: validateTag(text.slice(colon + 1), input)
  }
}

/** Plain HTTP is allowed for loopback and for the hosts the user listed, never by default. */
export function isInsecureRegistry(
  registry: string,
  insecureRegistries: readonly string[] = []
): boolean {
  const host = registry.replace(/:\d+$/, '')
  if (host === 'localhost' || host === '127.0.0.1' || host === '[::1]') return true
  const listed = insecureRegistries.map(normaliseHost)
  return listed.includes(registry) || listed.includes(host)
}
