import { InputError } from './errors.js'

/**
 * Parsers for list-valued inputs shared by the action and the CLI: both
 * accept the same syntax, so a workflow can be tried locally as is.
 */

/** Newline- (or comma-) separated items; blank lines and `#` comments are dropped. */
export function parseList(text: string, { commas = false } = {}): string[] {
  return text
    .split(commas ? /[\n,]/ : /\n/)
    .map(line => line.replace(/(^|\s)#.*$/, '').trim())
    .filter(line => line !== '')
}

/** `key=value` lines into an object; the value may itself contain `=`. */
export function parseAnnotations(
  lines: readonly string[],
  inputName: string
): Record<string, string> {
  const annotations: Record<string, string> = {}
  for (const line of lines) {
    const eq = line.indexOf('=')
    const key = eq < 0 ? '' : line.slice(0, eq).trim()
    if (eq < 0 || key === '') {
      throw new InputError(`${inputName}: "${line}" is not a key=value pair`, {
        hint: `write one annotation per line, e.g. org.opencontainers.image.description=My app`
      })
    }
    if (!/^[A-Za-z0-9][A-Za-z0-9._/-]*$/.test(key)) {
      throw new InputError(`${inputName}: "${key}" is not a valid annotation key`, {
        hint: 'use a reverse-DNS key such as org.example.team (letters, digits, ".", "-", "_", "/")'
      })
    }
    annotations[key] = line.slice(eq + 1).trim()
  }
  return annotations
}

export function parseConcurrency(value: string, inputName: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1 || n > 64) {
    throw new InputError(`${inputName}: "${value}" is not a number from 1 to 64`, {
      hint: 'set how many components are published at once, e.g. 8'
    })
  }
  return n
}

export const DEFAULT_FULCIO_URL = 'https://fulcio.sigstore.dev'
export const DEFAULT_REKOR_URL = 'https://rekor.sigstore.dev'

export function parseSignMode(value: string, inputName: string): 'keyless' | 'key' | 'none' {
  if (value === 'keyless' || value === 'key' || value === 'none') return value
  throw new InputError(`${inputName}: "${value}" is not keyless, key or none`, {
    hint: 'use keyless to sign with the workflow identity, key to sign with a cosign key pair, or none to publish unsigned'
  })
}

export function parseBoolean(value: string, inputName: string): boolean {
  if (/^(true|yes|1)$/i.test(value)) return true
  if (/^(false|no|0)$/i.test(value)) return false
  throw new InputError(`${inputName}: "${value}" is not true or false`, {
    hint: `set ${inputName}: true or ${inputName}: false`
  })
}

export function parseSignatureFormat(
  value: string,
  inputName: string
): 'legacy' | 'bundle' | 'both' {
  if (value === 'legacy' || value === 'bundle' || value === 'both') return value
  throw new InputError(`${inputName}: "${value}" is not legacy, bundle or both`, {
    hint: 'legacy works with every Flux version and several identities; bundle needs Flux >= 2.8 and one identity'
  })
}
