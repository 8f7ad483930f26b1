import type { KeyObject } from 'node:crypto'
import type { TrustMaterial } from '@sigstore/verify'
import { InputError } from '../errors.js'
import { quoteExternal } from '../text.js'
import type { ManifestStore } from '../oci/registry.js'
import { VerificationError } from '../sign/errors.js'
import { findBundleReferrers, verifyBundleSignatures } from './bundle.js'
import {
  verifyKeySignatures,
  verifyLegacySignatures,
  type ExpectedIdentity,
  type FoundSignature
} from './legacy.js'

export { loadTrustMaterial } from './trust.js'

/** One matchOIDCIdentity entry, as written in an OCIRepository. */
export interface IdentityPattern {
  issuer: string
  subject: string
}

export interface VerifyOptions {
  identities: IdentityPattern[]
  publicKey?: KeyObject | undefined
  trust?: TrustMaterial | undefined
  /** owner/repo the run must belong to (the caller's, for a reusable workflow). */
  sourceRepository?: string | undefined
  /** The numeric ID of that repository (never reused, unlike a name after a deletion). */
  sourceRepositoryId?: string | undefined
  /** The ref the run must be on, e.g. refs/heads/main. */
  sourceRef?: string | undefined
}

export interface VerifiedSignature {
  identity: string
  issuer: string
  rekorLogIndex: number
}

export interface VerifyResult {
  digest: string
  /** Which path decided, as source-controller chooses it. */
  format: 'bundle' | 'legacy' | 'key'
  signatures: VerifiedSignature[]
  /** Patterns that work but are weaker than they look (unanchored, unescaped). */
  warnings: string[]
}

/**
 * Verifies `digest` the way Flux's source-controller decides: with a key, the
 * legacy signatures against it; keyless, the Sigstore bundles if there is
 * any bundle referrer (and then only one identity is allowed, as Flux
 * refuses more), else the legacy `.sig` signatures with the identities OR'ed.
 * A failure explains what was found, what was expected and, where it
 * recognises one, the classic mistake.
 */
export async function verifyArtifact(
  store: ManifestStore,
  digest: string,
  options: VerifyOptions
): Promise<VerifyResult> {
  const warnings = patternWarnings(options.identities)
  if (options.publicKey) {
    const found = await verifyKeySignatures(store, digest, options.publicKey)
    const valid = found.filter(f => f.problem === undefined)
    if (valid.length === 0) {
      throw new VerificationError(
        `no signature of ${digest} verifies with the given key${foundList(found)}`,
        {
          hint:
            found.length === 0
              ? 'the artifact is not signed (no sha256-<hex>.sig tag)'
              : 'check that the public key belongs to the signing key'
        }
      )
    }
    return { digest, format: 'key', signatures: valid.map(summary), warnings }
  }

  if (options.identities.length === 0) {
    throw new InputError('no identity to verify against', {
      hint: 'give --issuer-regexp and --subject-regexp (as in matchOIDCIdentity), or --key'
    })
  }
  if (!options.trust) throw new InputError('keyless verification needs a trust root')
  const expected = options.identities.map(compile)
  const referrersApi = await store.supportsReferrersApi()
  const bundles = await findBundleReferrers(store, digest, referrersApi)
  const format = bundles.length > 0 ? 'bundle' : 'legacy'
  if (format === 'bundle' && options.identities.length > 1) {
    throw new VerificationError(
      `${digest} has a Sigstore bundle, and Flux then verifies only bundles, which it refuses with more than one identity ("unsupported: multiple identities are not supported at this time")`,
      {
        hint: 'keep one matchOIDCIdentity entry, or publish with signature-format: legacy (which allows several)'
      }
    )
  }
  const found =
    format === 'bundle'
      ? await verifyBundleSignatures(store, digest, options.trust, expected, referrersApi)
      : await verifyLegacySignatures(store, digest, options.trust, expected)
  const valid = found.filter(f => f.problem === undefined && matchesSource(f, options))
  if (valid.length > 0) return { digest, format, signatures: valid.map(summary), warnings }

  const expectedText = options.identities
    .map(i => `issuer ${i.issuer}, subject ${i.subject}`)
    .join('; ')
  const sourceText = [
    options.sourceRepository && `repository ${options.sourceRepository}`,
    options.sourceRepositoryId && `repository ID ${options.sourceRepositoryId}`,
    options.sourceRef && `ref ${options.sourceRef}`
  ]
    .filter(Boolean)
    .join(', ')
  const explanations = [...explain(found, expected, options), ...warnings]
  throw new VerificationError(
    `no ${format} signature of ${digest} matches: expected ${expectedText}${sourceText ? ` (and ${sourceText})` : ''}${foundList(found)}`,
    {
      hint:
        found.length === 0
          ? format === 'legacy'
            ? 'the artifact has no signature (no sha256-<hex>.sig tag and no Sigstore bundle referrer); publish it with signing on'
            : 'no bundle referrer could be read'
          : explanations.join('\n  ') || 'compare the identities found with the expected ones'
    }
  )
}

function summary(found: FoundSignature): VerifiedSignature {
  return { identity: found.subject, issuer: found.issuer, rekorLogIndex: found.rekorLogIndex }
}

function compile(pattern: IdentityPattern): ExpectedIdentity {
  try {
    return { issuer: new RegExp(pattern.issuer), subject: new RegExp(pattern.subject) }
  } catch (cause) {
    throw new InputError(
      `"${pattern.subject}" or "${pattern.issuer}" is not a valid regular expression`,
      { cause }
    )
  }
}

function matchesSource(found: FoundSignature, options: VerifyOptions): boolean {
  if (options.sourceRepository && found.github?.repository !== options.sourceRepository)
    return false
  if (options.sourceRepositoryId && found.github?.repositoryId !== options.sourceRepositoryId)
    return false
  if (options.sourceRef && found.github?.ref !== options.sourceRef) return false
  return true
}

function foundList(found: FoundSignature[]): string {
  if (found.length === 0) return '; found no signature'
  // Subjects, issuers and claims come from certificates anyone can push: one printable line each.
  return `; found ${found
    .map(
      f =>
        `${quoteExternal(f.subject || '(unverified signer)')}${f.issuer ? ` from ${quoteExternal(f.issuer)}` : ''}${f.github?.repository ? ` [repository ${quoteExternal(f.github.repository)}${f.github.repositoryId ? ` (ID ${quoteExternal(f.github.repositoryId)})` : ''}, ref ${quoteExternal(f.github.ref ?? '')}]` : ''}: ${quoteExternal(f.problem ?? 'valid, but not from the required source')}`
    )
    .join('; ')}`
}

/** The mistakes users make most with matchOIDCIdentity, recognised from what was found. */
function explain(
  found: FoundSignature[],
  expected: ExpectedIdentity[],
  options: VerifyOptions
): string[] {
  const notes = new Set<string>()
  for (const signature of found.filter(f => f.subject)) {
    for (const identity of expected) {
      if (!identity.issuer.test(signature.issuer)) {
        notes.add(
          `the issuer is ${signature.issuer}, which ${identity.issuer.source} does not match`
        )
      }
      if (identity.subject.test(signature.subject)) continue
      const caller = signature.github?.buildConfig
      if (caller && identity.subject.test(caller)) {
        notes.add(
          `the signature was made inside the reusable workflow ${signature.subject}, called by ${caller}: the certificate names the reusable workflow, so match its identity, and check the caller with --source-repository/--source-ref`
        )
      }
      const wantsBranch =
        identity.subject.source.includes('refs/heads') ||
        identity.subject.source.includes('refs\\/heads')
      const wantsTag =
        identity.subject.source.includes('refs/tags') ||
        identity.subject.source.includes('refs\\/tags')
      if (wantsBranch && signature.subject.includes('@refs/tags/')) {
        notes.add(
          `it was signed on a tag (${signature.subject.split('@')[1]}), but the subject expects a branch (refs/heads/...)`
        )
      }
      if (wantsTag && signature.subject.includes('@refs/heads/')) {
        notes.add(
          `it was signed on a branch (${signature.subject.split('@')[1]}), but the subject expects a tag (refs/tags/...)`
        )
      }
    }
    if (
      options.sourceRepository &&
      signature.github?.repository &&
      signature.github.repository !== options.sourceRepository
    ) {
      notes.add(
        `the run belongs to ${signature.github.repository}, not ${options.sourceRepository}`
      )
    }
    if (
      options.sourceRepositoryId &&
      signature.github?.repositoryId !== options.sourceRepositoryId
    ) {
      notes.add(
        `the run's repository ID is ${quoteExternal(signature.github?.repositoryId ?? '(none)')}, not ${options.sourceRepositoryId}: a repository of the same name may have been deleted and created again`
      )
    }
    if (options.sourceRef && signature.github?.ref && signature.github.ref !== options.sourceRef) {
      notes.add(`the run was on ${signature.github.ref}, not ${options.sourceRef}`)
    }
  }
  return [...notes]
}

/** Patterns that match more than they seem to: Flux matches regexps anywhere, unanchored. */
export function patternWarnings(identities: IdentityPattern[]): string[] {
  const warnings: string[] = []
  for (const { subject, issuer } of identities) {
    for (const [name, pattern] of [
      ['subject', subject],
      ['issuer', issuer]
    ] as const) {
      if (!pattern.startsWith('^') || !pattern.endsWith('$')) {
        warnings.push(
          `the ${name} regexp "${pattern}" is not anchored (^...$): Flux accepts any identity that merely contains a match`
        )
      }
      if (/(^|[^\\])\.(?![*+?])/.test(pattern)) {
        warnings.push(
          `the ${name} regexp "${pattern}" has an unescaped "." that matches any character; write "\\."`
        )
      }
    }
  }
  return warnings
}
