import * as core from '@actions/core'
import { defaultRepositoryTemplate, validateTags } from '../components.js'
import { InputError } from '../errors.js'
import {
  DEFAULT_FULCIO_URL,
  DEFAULT_REKOR_URL,
  parseAnnotations,
  parseConcurrency,
  parseList,
  parseBoolean,
  parseSignatureFormat,
  parseSignMode
} from '../inputs.js'
import { requestTimeoutMs, type PublishInputs } from '../publish.js'
import { parseFluxVersion } from '../verify/flux.js'
import type { VerifyInputs } from '../verify/run.js'

export type ActionInputs =
  { mode: 'publish'; publish: PublishInputs } | { mode: 'verify'; verify: VerifyInputs }

/** Reads the inputs of action.yml once: the mode, then that mode's typed inputs. */
export function readActionInputs(
  env: Readonly<Record<string, string | undefined>> = process.env
): ActionInputs {
  const mode = core.getInput('mode') || 'publish'
  if (mode === 'publish') return { mode, publish: readInputs(env) }
  if (mode === 'verify') return { mode, verify: readVerifyInputs(env) }
  throw new InputError(`mode: "${mode}" is not publish or verify`, {
    hint: 'use mode: publish (the default) or mode: verify'
  })
}

function readVerifyInputs(env: Readonly<Record<string, string | undefined>>): VerifyInputs {
  const password = core.getInput('password')
  if (password) core.setSecret(password)
  const issuers = parseList(core.getInput('issuer-regexp'))
  const subjects = parseList(core.getInput('subject-regexp'))
  if (issuers.length !== subjects.length) {
    throw new InputError(
      `issuer-regexp has ${issuers.length} lines and subject-regexp ${subjects.length}`,
      {
        hint: 'give one line of each per matchOIDCIdentity entry, in the same order'
      }
    )
  }
  const publicKey = core.getInput('cosign-public-key') || undefined
  const fluxVersion = core.getInput('flux-version')
  return {
    references: required(
      'references',
      'list the artifacts to verify, e.g. oci://ghcr.io/org/fleet/apps:latest'
    ),
    identities: issuers.map((issuer, i) => ({ issuer, subject: subjects[i] as string })),
    publicKey,
    trustedRoot: core.getInput('trusted-root') || undefined,
    sourceRepository: core.getInput('source-repository') || undefined,
    sourceRepositoryId: core.getInput('source-repository-id') || undefined,
    timeoutMs: requestTimeoutMs(env),
    sourceRef: core.getInput('source-ref') || undefined,
    fluxVersion: fluxVersion ? parseFluxVersion(fluxVersion, 'flux-version') : undefined,
    strict: parseBoolean(core.getInput('strict') || 'false', 'strict'),
    insecureRegistries: parseList(core.getInput('insecure-registries'), { commas: true }),
    username: core.getInput('username') || undefined,
    password: password || undefined,
    onSecret: secret => core.setSecret(secret)
  }
}

/** Reads every input of publish mode once, into the pipeline's typed inputs. */
export function readInputs(
  env: Readonly<Record<string, string | undefined>> = process.env
): PublishInputs {
  // Secrets are masked before anything else can print them.
  const password = core.getInput('password')
  const githubToken = core.getInput('github-token')
  const cosignKey = core.getInput('cosign-key')
  const cosignPassword = core.getInput('cosign-password')
  for (const secret of [password, githubToken, cosignKey, cosignPassword]) {
    if (secret) core.setSecret(secret)
  }
  // A key is several lines; each must stay masked even when printed alone.
  for (const line of cosignKey.split('\n')) {
    if (line.trim().length >= 8 && !line.startsWith('-----')) core.setSecret(line.trim())
  }
  const sign = parseSignMode(core.getInput('sign') || 'keyless', 'sign')

  const repository = core.getInput('repository') || defaultRepositoryTemplate(env)
  if (!repository) {
    throw new InputError('input "repository" is required outside GitHub Actions', {
      hint: 'set repository, e.g. ghcr.io/org/fleet/{name}'
    })
  }
  const diffTag = core.getInput('diff-tag') || undefined
  return {
    paths: required('paths', 'list the directories to publish, one per line, e.g. apps/podinfo'),
    repository,
    tags: validateTags(parseList(core.getInput('tags') || 'latest', { commas: true })),
    diffTag: diffTag === undefined ? undefined : (validateTags([diffTag], 'diff-tag')[0] as string),
    ignorePaths: parseList(core.getInput('ignore-paths')),
    annotations: parseAnnotations(parseList(core.getInput('annotations')), 'annotations'),
    source: core.getInput('source') || undefined,
    revision: core.getInput('revision') || undefined,
    concurrency: parseConcurrency(core.getInput('concurrency') || '8', 'concurrency'),
    username: core.getInput('username') || undefined,
    password: password || undefined,
    githubActor: env.GITHUB_ACTOR,
    githubToken: githubToken || undefined,
    insecureRegistries: parseList(core.getInput('insecure-registries'), { commas: true }),
    sign,
    cosignKey: sign === 'key' ? { text: cosignKey, password: cosignPassword } : undefined,
    tlogUpload: parseBoolean(core.getInput('tlog-upload') || 'true', 'tlog-upload'),
    signatureFormat: parseSignatureFormat(
      core.getInput('signature-format') || 'legacy',
      'signature-format'
    ),
    tsaUrl: core.getInput('tsa-url') || undefined,
    fulcioUrl: core.getInput('fulcio-url') || DEFAULT_FULCIO_URL,
    rekorUrl: core.getInput('rekor-url') || DEFAULT_REKOR_URL,
    trustedRoot: core.getInput('trusted-root') || undefined,
    env,
    workDir: env.RUNNER_TEMP
  }
}

function required(name: string, hint: string): string[] {
  const values = parseList(core.getInput(name))
  if (values.length === 0) {
    throw new InputError(`input "${name}" is required and was not given`, {
      hint: `add it under "with:" in the workflow step: ${hint}`
    })
  }
  return values
}
