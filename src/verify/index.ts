import type { KeyObject } from 'node:crypto'
import type { TrustMaterial } from '@sigstore/verify'
import { RE2JS } from 're2js'
import { InputError, messageOf } from '../errors.js'
import { quoteExternal } from '../text.js'
import type { ContentSource } from '../oci/registry.js'
import { VerificationError } from '../errors.js'
import {
  findBundleReferrers,
  verifyBundleSignatures,
  verifyBundlesWithKey,
  type BundleReferrer
} from './bundle.js'
import {
  verifyKeySignatures,
  verifyLegacySignatures,
  type ExpectedIdentity,
  type IdentityMatcher,
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
  /** Whose verdict decides (default: the newest Flux). */
  fluxVersion?: FluxVersion | undefined
  /** Warnings fail the verification too. */
  strict?: boolean | undefined
}

export interface VerifiedSignature {
  identity: string
  issuer: string
  rekorLogIndex: number
}

import {
  FLUX_VERSIONS,
  NEWEST_FLUX,
  fluxTable,
  type FluxVersion,
  type FluxVerdict
} from './flux.js'

export interface VerifyResult {
  digest: string
  /** Which path decided for the chosen Flux version, as source-controller chooses it. */
  format: 'bundle' | 'legacy' | 'key'
  /** The Flux version whose verdict this result (and the exit code) follows. */
  fluxVersion: FluxVersion
  signatures: VerifiedSignature[]
  /** Each Flux generation's verdict on the same artifact. */
  flux: FluxVerdict[]
  /** Patterns that work but are weaker than they look, and what Flux accepts that fleetpack would not. */
  warnings: string[]
}

/** What the registry holds for a digest, read once; every generation's verdict is decided from it. */
interface Evidence {
  legacy: FoundSignature[]
  bundles: FoundSignature[]
  /** The bundle referrers could not be listed: Flux >= 2.8 then falls back to the legacy path. */
  referrerError?: string
}

/**
 * Verifies `digest` the way Flux's source-controller decides, for each Flux
 * generation: 2.7 verifies the legacy `.sig` signatures only; 2.8 and later
 * take the Sigstore bundles when any bundle referrer exists (with a key too,
 * and then only one identity is allowed), else the legacy signatures with the
 * identities OR'ed. The result, and a failure, follow `fluxVersion` (the
 * newest by default). Where fleetpack is stricter than Flux (a legacy payload
 * that names another digest, a signature without its Rekor bundle) it
 * refuses and says what Flux would do. A failure explains what was found,
 * what was expected and, where it recognises one, the classic mistake.
 */
export async function verifyArtifact(
  store: ContentSource,
  digest: string,
  options: VerifyOptions
): Promise<VerifyResult> {
  const fluxVersion = options.fluxVersion ?? NEWEST_FLUX
  const warnings = patternWarnings(options.identities)
  const expected = options.identities.map(compile)
  if (!options.publicKey && !options.trust)
    throw new InputError('keyless verification needs a trust root')
  if (!options.publicKey && options.identities.length === 0) {
    warnings.push(
      'no identity given: Flux then accepts a valid signature from any workflow of any repository (matchOIDCIdentity is empty); give --issuer-regexp and --subject-regexp'
    )
  }
  const evidence = await gather(store, digest, expected, options)
  const flux = FLUX_VERSIONS.map(version => decide(version, evidence, options))
  const chosen = flux.find(v => v.flux === fluxVersion) as FluxVerdict
  const found = chosen.path === 'bundle' ? evidence.bundles : evidence.legacy
  const format = options.publicKey ? 'key' : chosen.path
  for (const note of new Set(found.filter(f => f.flux === 'valid' && f.note).map(f => f.note)))
    warnings.push(`${note}`)
  if (evidence.referrerError && fluxVersion !== '2.7')
    warnings.push(
      `the bundle referrers could not be listed (${evidence.referrerError}); Flux ${fluxVersion} then verifies the legacy signatures`
    )

  const valid = chosen.refusal
    ? []
    : found.filter(f => f.problem === undefined && matchesSource(f, options))
  if (valid.length > 0) {
    if (options.strict && warnings.length > 0)
      throw new VerificationError(`${digest} verifies, but with warnings (--strict)`, {
        hint: warnings.join('\n  ')
      })
    return { digest, format, fluxVersion, signatures: valid.map(summary), flux, warnings }
  }
  const error = failure(digest, format, fluxVersion, chosen, found, expected, options, warnings)
  throw new VerificationError(error.message, {
    hint: `${error.hint ?? ''}\n  ${fluxTable(flux)}`.trim()
  })
}

async function gather(
  store: ContentSource,
  digest: string,
  expected: ExpectedIdentity[],
  options: VerifyOptions
): Promise<Evidence> {
  const evidence: Evidence = { legacy: [], bundles: [] }
  let referrers: BundleReferrer[] = []
  try {
    referrers = await findBundleReferrers(store, digest, await store.supportsReferrersApi())
  } catch (error) {
    evidence.referrerError = messageOf(error)
  }
  if (options.publicKey) {
    evidence.legacy = await verifyKeySignatures(store, digest, options.publicKey)
    evidence.bundles = verifyBundlesWithKey(digest, referrers, options.publicKey)
  } else {
    const trust = options.trust as TrustMaterial
    evidence.legacy = await verifyLegacySignatures(store, digest, trust, expected)
    evidence.bundles =
      referrers.length > 0
        ? await verifyBundleSignatures(store, digest, trust, expected, referrers)
        : []
  }
  return evidence
}

/** One generation's decision, from the evidence alone. */
function decide(version: FluxVersion, evidence: Evidence, options: VerifyOptions): FluxVerdict {
  const path = version !== '2.7' && evidence.bundles.length > 0 ? 'bundle' : 'legacy'
  if (path === 'bundle' && !options.publicKey && options.identities.length > 1) {
    return {
      flux: version,
      path,
      verdict: 'rejects',
      refusal: 'several identities',
      reason:
        'several identities: with a bundle present Flux verifies only bundles, and refuses more than one identity ("unsupported: multiple identities are not supported at this time")'
    }
  }
  if (path === 'bundle' && !options.publicKey && options.identities.length === 0) {
    return {
      flux: version,
      path,
      verdict: 'rejects',
      refusal: 'no identity',
      reason: 'no identity: cosign verifies bundles only against matchOIDCIdentity entries'
    }
  }
  const found = path === 'bundle' ? evidence.bundles : evidence.legacy
  const valid = found.find(f => f.flux === 'valid')
  if (valid) {
    const stricter = valid.problem ? `; fleetpack refuses it: ${valid.problem}` : ''
    return {
      flux: version,
      path,
      verdict: 'accepts',
      reason: `signed by ${quoteExternal(valid.subject)}${stricter}`
    }
  }
  if (found.some(f => f.flux === 'online'))
    return {
      flux: version,
      path,
      verdict: 'online',
      reason: 'a signature without its Rekor bundle: Flux would look its entry up in Rekor online'
    }
  const seen = version === '2.7' && evidence.bundles.length > 0 && evidence.legacy.length === 0
  return {
    flux: version,
    path,
    verdict: 'rejects',
    reason:
      found.length === 0
        ? seen
          ? 'no legacy .sig signature: Flux 2.7 does not read Sigstore bundles'
          : 'no signature'
        : 'no matching signatures were found'
  }
}

function failure(
  digest: string,
  format: VerifyResult['format'],
  fluxVersion: FluxVersion,
  chosen: FluxVerdict,
  found: FoundSignature[],
  expected: ExpectedIdentity[],
  options: VerifyOptions,
  warnings: string[]
): VerificationError {
  if (chosen.refusal === 'no identity')
    return new VerificationError(
      `${digest} has a Sigstore bundle, and Flux ${fluxVersion} then verifies only bundles, which cosign checks only against identities: with none it rejects`,
      {
        hint: "give --issuer-regexp and --subject-regexp, as the OCIRepository's matchOIDCIdentity"
      }
    )
  if (chosen.refusal === 'several identities')
    return new VerificationError(
      `${digest} has a Sigstore bundle, and Flux then verifies only bundles, which it refuses with more than one identity ("unsupported: multiple identities are not supported at this time")`,
      {
        hint: 'keep one matchOIDCIdentity entry, or publish with signature-format: legacy (which allows several)'
      }
    )
  const fluxSays =
    chosen.verdict === 'accepts'
      ? ` (Flux ${fluxVersion} accepts it: fleetpack is stricter here)`
      : chosen.verdict === 'online'
        ? ` (Flux ${fluxVersion} would look it up in Rekor online)`
        : ''
  if (format === 'key') {
    return new VerificationError(
      `no ${chosen.path} signature of ${digest} verifies with the given key${foundList(found)}${fluxSays}`,
      {
        hint:
          found.length === 0
            ? chosen.path === 'legacy'
              ? 'the artifact is not signed (no sha256-<hex>.sig tag)'
              : 'no bundle referrer could be read'
            : 'check that the public key belongs to the signing key'
      }
    )
  }
  const expectedText =
    options.identities.map(i => `issuer ${i.issuer}, subject ${i.subject}`).join('; ') ||
    'any identity'
  const sourceText = [
    options.sourceRepository && `repository ${options.sourceRepository}`,
    options.sourceRepositoryId && `repository ID ${options.sourceRepositoryId}`,
    options.sourceRef && `ref ${options.sourceRef}`
  ]
    .filter(Boolean)
    .join(', ')
  const explanations = [...explain(found, expected, options), ...warnings]
  return new VerificationError(
    `no ${format} signature of ${digest} matches: expected ${expectedText}${sourceText ? ` (and ${sourceText})` : ''}${foundList(found)}${fluxSays}`,
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

/** Compiles every identity now, so a pattern Go cannot compile fails before any network call. */
export function checkIdentities(identities: readonly IdentityPattern[]): void {
  identities.forEach(compile)
}

/**
 * A matchOIDCIdentity entry compiled as Flux compiles it: Go's regexp (RE2)
 * syntax and semantics, through re2js, the JavaScript port of RE2. JavaScript's
 * RegExp differs where users notice: `(?i)` and `\\z` and `[[:alpha:]]` are RE2,
 * lookarounds are not (Go cannot compile them, so Flux rejects every signature).
 */
function compile(pattern: IdentityPattern): ExpectedIdentity {
  return { issuer: re2(pattern.issuer, 'issuer'), subject: re2(pattern.subject, 'subject') }
}

function re2(source: string, field: 'issuer' | 'subject'): IdentityMatcher {
  let compiled: RE2JS
  try {
    compiled = RE2JS.compile(source)
  } catch (cause) {
    throw new InputError(`the ${field} "${source}" is not a valid Go regular expression`, {
      cause,
      hint: `Flux compiles matchOIDCIdentity with Go's regexp (RE2): ${messageOf(cause)}; RE2 has no lookarounds or backreferences`
    })
  }
  return { source, test: value => compiled.test(value) }
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
      // RE2 flags may come first ((?i)^...); \z ends the text as $ does without (?m).
      const body = pattern.replace(/^\(\?[imsU]+\)/, '')
      if (!body.startsWith('^') || !(body.endsWith('$') || body.endsWith('\\z'))) {
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
