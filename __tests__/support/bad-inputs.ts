import { execFileSync } from 'node:child_process'
import { generateKeyPairSync } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { TEST_USER } from './registry.js'
import { writeTree } from './tree.js'

/**
 * Inputs typed by hand, each with the message that must name the input (or
 * the file) and come with a fix. `REG` stands for the registry the case
 * runs against, `HTPASSWD` for one that requires a password. The unit tier
 * runs every case in-process; the e2e tier runs those marked `endToEnd`
 * through the bundled action against a real registry.
 */
export interface BadInputCase {
  /** Also run through the bundled action against the real registry. */
  endToEnd?: true
  /** Needs a registry that answers (cannot run in-process against a closed port). */
  needsRegistry?: true
  name: string
  inputs?: Record<string, string>
  env?: (workspace: string) => Promise<Record<string, string>> | Record<string, string>
  setup?: (workspace: string) => Promise<unknown>
  message: RegExp
}

const publicKeyPem = generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
  .publicKey.export({ format: 'pem', type: 'spki' })
  .toString()
export const BAD_INPUTS: BadInputCase[] = [
  {
    name: 'paths missing',
    endToEnd: true,
    inputs: { paths: '' },
    message: /input "paths" is required and was not given/
  },
  {
    name: 'path that does not exist',
    inputs: { paths: 'apps/nope' },
    message: /paths: "apps\/nope" does not exist/
  },
  {
    name: 'a file as path',
    inputs: { paths: 'apps/podinfo/deploy.yaml' },
    message: /paths: "apps\/podinfo\/deploy\.yaml" is a file, not a directory/
  },
  {
    name: 'glob matching nothing',
    inputs: { paths: 'charts/*' },
    message: /paths: the glob "charts\/\*" matches no directory/
  },
  {
    name: 'two components with one name',
    inputs: { paths: 'apps/podinfo\ninfra/podinfo' },
    message: /"apps\/podinfo" and "infra\/podinfo" are both named "podinfo"/
  },
  {
    name: 'several components without {name}',
    inputs: { paths: 'apps/*', repository: `${'REG'}/bad/one` },
    message: /has no \{name\} but paths list 2 components/
  },
  {
    name: 'uppercase repository',
    endToEnd: true,
    inputs: { repository: 'REG/Bad/{name}' },
    message: /has uppercase letters; OCI repository names must be lowercase/
  },
  {
    name: 'repository with a tag',
    inputs: { repository: 'REG/bad/{name}:v1' },
    message: /contains a tag \(v1\)/
  },
  {
    name: 'repository with a digest',
    inputs: { repository: `REG/bad/{name}@sha256:${'0'.repeat(64)}` },
    message: /contains a digest/
  },
  {
    name: 'repository with a scheme',
    inputs: { repository: 'https://REG/bad/{name}' },
    message: /has a URL scheme/
  },
  {
    name: 'empty path component',
    inputs: { repository: 'REG/bad//{name}' },
    message: /is not a valid repository path component/
  },
  {
    name: 'invalid registry host',
    inputs: { repository: 'bad_host:5000/x/{name}' },
    message: /"bad_host:5000" is not a valid registry host/
  },
  {
    name: 'tag starting with a dash',
    inputs: { tags: 'latest,-x' },
    message: /tags: "-x" is not a valid tag/
  },
  {
    name: 'tag with a slash',
    inputs: { tags: 'feature/x' },
    message: /tags: "feature\/x" is not a valid tag/
  },
  {
    name: 'tag over 128 characters',
    inputs: { tags: 'x'.repeat(129) },
    message: /tags: "x{129}" is not a valid tag/
  },
  {
    name: 'invalid diff-tag',
    inputs: { 'diff-tag': 'a:b' },
    message: /diff-tag: "a:b" is not a valid tag/
  },
  {
    name: 'annotation without =',
    inputs: { annotations: 'team' },
    message: /annotations: "team" is not a key=value pair/
  },
  {
    name: 'annotation with an invalid key',
    inputs: { annotations: 'my key=x' },
    message: /annotations: "my key" is not a valid annotation key/
  },
  {
    name: 'created annotation not RFC 3339',
    inputs: { annotations: 'org.opencontainers.image.created=yesterday' },
    message: /org\.opencontainers\.image\.created=yesterday is not an RFC 3339 time/
  },
  {
    name: 'concurrency 0',
    endToEnd: true,
    inputs: { concurrency: '0' },
    message: /concurrency: "0" is not a number from 1 to 64/
  },
  {
    name: 'concurrency not a number',
    inputs: { concurrency: 'lots' },
    message: /concurrency: "lots" is not a number from 1 to 64/
  },
  {
    name: 'unknown sign mode',
    inputs: { sign: 'maybe' },
    message: /sign: "maybe" is not keyless, key or none/
  },
  {
    name: 'unknown signature format',
    inputs: { 'signature-format': 'cbor' },
    message: /signature-format: "cbor" is not legacy, bundle or both/
  },
  {
    name: 'tlog-upload not a boolean',
    inputs: { 'tlog-upload': 'perhaps' },
    message: /tlog-upload: "perhaps" is not true or false/
  },
  {
    name: 'unknown mode',
    inputs: { mode: 'deploy' },
    message: /mode: "deploy" is not publish, verify, plan or promote/
  },
  {
    name: 'keyless without id-token: write',
    endToEnd: true,
    inputs: { sign: 'keyless' },
    message: /missing "id-token" permission/
  },
  {
    name: 'keyless in a pull request from a fork',
    inputs: { sign: 'keyless' },
    env: async workspace => {
      const event = join(workspace, 'event.json')
      await writeFile(
        event,
        JSON.stringify({
          pull_request: {
            head: { repo: { full_name: 'fork/Fleet' } },
            base: { repo: { full_name: 'Org/Fleet' } }
          }
        })
      )
      return {
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_EVENT_PATH: event,
        ACTIONS_ID_TOKEN_REQUEST_URL: 'http://127.0.0.1:1/token?x=1',
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: 't'
      }
    },
    message: /keyless signing in a pull request from a fork is refused/
  },
  {
    name: 'key signing without a key',
    inputs: { sign: 'key' },
    message: /sign: key needs cosign-key/
  },
  {
    name: 'key that is not PEM',
    endToEnd: true,
    inputs: { sign: 'key', 'cosign-key': 'hello' },
    message: /cosign-key is not a PEM private key/
  },
  {
    name: 'public key given as cosign-key',
    inputs: { sign: 'key', 'cosign-key': publicKeyPem },
    message: /cosign-key is a "PUBLIC KEY", not a cosign or PKCS#8 private key/
  },
  {
    name: 'bundle format with a key',
    inputs: { sign: 'key', 'cosign-key': 'x', 'signature-format': 'bundle' },
    message: /signature-format: bundle needs keyless signing/
  },
  {
    name: 'username without password',
    inputs: { username: 'me' },
    message: /username and password must be given together/
  },
  {
    name: 'trusted-root that does not exist',
    inputs: {
      sign: 'key',
      'cosign-key': generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
        .privateKey.export({ format: 'pem', type: 'pkcs8' })
        .toString(),
      'tlog-upload': 'false',
      mode: 'verify',
      references: 'oci://REG/x:latest',
      'issuer-regexp': 'a',
      'subject-regexp': 'b',
      'trusted-root': '/nonexistent/trusted_root.json'
    },
    message: /trusted-root: cannot read \/nonexistent\/trusted_root\.json as JSON/
  },
  {
    name: 'a Flux version fleetpack does not reproduce',
    inputs: {
      mode: 'verify',
      references: 'oci://REG/x:latest',
      'issuer-regexp': 'a',
      'subject-regexp': 'b',
      'flux-version': '2.4'
    },
    message: /flux-version: "2.4" is not a Flux version fleetpack reproduces/
  },
  {
    name: 'an identity that is not a Go regular expression',
    inputs: {
      mode: 'verify',
      references: 'oci://REG/x:latest',
      'issuer-regexp': '^https://token\\.actions\\.githubusercontent\\.com$',
      'subject-regexp': '^(?!evil).*$'
    },
    message: /the subject "\^\(\?!evil\)\.\*\$" is not a valid Go regular expression/
  },
  {
    name: 'verify with unpaired identities',
    inputs: {
      mode: 'verify',
      references: 'oci://REG/x:latest',
      'issuer-regexp': 'a\nb',
      'subject-regexp': 'c'
    },
    message: /issuer-regexp has 2 lines and subject-regexp 1/
  },
  {
    name: 'symlink out of the repository',
    endToEnd: true,
    setup: async w => writeTree(w, { 'apps/podinfo/creds.json': { link: '/etc/passwd' } }),
    inputs: { paths: 'apps/podinfo' },
    message: /apps\/podinfo\/creds\.json is a symlink to \/etc\/passwd, outside the repository root/
  },
  {
    name: 'dangling symlink',
    setup: async w => writeTree(w, { 'apps/podinfo/old.yaml': { link: 'gone.yaml' } }),
    inputs: { paths: 'apps/podinfo' },
    message: /apps\/podinfo\/old\.yaml is a dangling symlink/
  },
  {
    name: 'name that is not UTF-8',
    setup: async w =>
      void execFileSync('sh', [
        '-c',
        `printf x > "$(printf '${join(w, 'apps/podinfo')}/caf\\351.yaml')"`
      ]),
    inputs: { paths: 'apps/podinfo' },
    message: /has a name that is not valid UTF-8/
  },
  {
    name: 'backslash in a name',
    setup: async w => writeTree(w, { 'apps/podinfo/a\\b.yaml': 'x' }),
    inputs: { paths: 'apps/podinfo' },
    message: /has a backslash in its name, which Flux rejects/
  },
  {
    name: 'a fifo',
    setup: async w => void execFileSync('mkfifo', [join(w, 'apps/podinfo/pipe')]),
    inputs: { paths: 'apps/podinfo' },
    message: /apps\/podinfo\/pipe is a named pipe \(fifo\), not a file or directory/
  },
  {
    name: 'nothing left after ignores',
    inputs: { paths: 'apps/podinfo', 'ignore-paths': '*.yaml' },
    message: /holds no files once ignore rules are applied/
  },
  {
    name: 'SOURCE_DATE_EPOCH not a number',
    inputs: { paths: 'apps/podinfo' },
    env: () => ({ SOURCE_DATE_EPOCH: 'tomorrow' }),
    message: /SOURCE_DATE_EPOCH=tomorrow is not a number of seconds/
  },
  {
    name: 'unreachable registry',
    endToEnd: true,
    inputs: { paths: 'apps/podinfo', repository: '127.0.0.1:1/bad/{name}' },
    message: /network error during the .* at 127\.0\.0\.1:1: .*ECONNREFUSED/
  },
  {
    name: 'wrong credentials',
    endToEnd: true,
    needsRegistry: true,
    inputs: {
      paths: 'apps/podinfo',
      repository: 'HTPASSWD/bad/{name}',
      username: TEST_USER,
      password: 'not-it'
    },
    message: /denied the .* \(HTTP 401/
  }
]

/** The tree every case starts from. */
export const BAD_INPUT_TREE = {
  'apps/podinfo/deploy.yaml': 'kind: Deployment\n',
  'apps/redis/deploy.yaml': 'kind: StatefulSet\n',
  'infra/podinfo/x.yaml': 'x'
}

/** A case's inputs over the defaults, with REG and HTPASSWD replaced by `substitute`. */
export function caseInputs(
  testCase: BadInputCase,
  repository: string,
  substitute: (value: string) => string
): Record<string, string> {
  return Object.fromEntries(
    Object.entries({ paths: 'apps/podinfo', repository, ...testCase.inputs }).map(([k, v]) => [
      k,
      substitute(v)
    ])
  )
}

/** The step's failure as the runner shows it: the ::error:: line, its %0A as line breaks. */
export function failureOf(stdout: string): string {
  return /::error::(.*)/.exec(stdout)?.[1]?.replace(/%0A/g, '\n') ?? ''
}
