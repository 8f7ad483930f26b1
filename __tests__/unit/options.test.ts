import { describe, expect, it } from '@jest/globals'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'yaml'
import { toPublishInputs, toVerifyInputs } from '../../src/options/inputs.js'
import { readActionOptions, readCliOptions } from '../../src/options/read.js'
import { OPTIONS, type Command } from '../../src/options/table.js'
import type { PublishInputs } from '../../src/publish.js'
import type { VerifyInputs } from '../../src/verify/run.js'
import { PROJECT_ROOT } from '../support/runner.js'

/**
 * One table (src/options/table.ts) defines every option: the same option
 * given to the action or to the CLI gives the pipeline the same inputs.
 */

const actionYml = parse(readFileSync(join(PROJECT_ROOT, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { default?: string; description: string }>
}

/** The action's getInput over a map, as the runner fills INPUT_* from `with:` and action.yml's defaults. */
function inputsOf(given: Record<string, string>): (name: string) => string {
  return name => given[name] ?? actionYml.inputs[name]?.default ?? ''
}

function bothSurfaces(
  command: 'publish',
  action: Record<string, string>,
  cli: string[],
  env?: Record<string, string>
): Promise<{ action: PublishInputs; cli: PublishInputs }>
function bothSurfaces(
  command: 'verify',
  action: Record<string, string>,
  cli: string[],
  env?: Record<string, string>
): Promise<{ action: VerifyInputs; cli: VerifyInputs }>
async function bothSurfaces(
  command: Command,
  action: Record<string, string>,
  cli: string[],
  env: Record<string, string> = {}
): Promise<{ action: unknown; cli: unknown }> {
  const context = { env: {}, onSecret: () => undefined }
  const fromAction = readActionOptions(command, inputsOf(action))
  const fromCli = readCliOptions(command, cli, env).values
  const convert = command === 'verify' ? toVerifyInputs : toPublishInputs
  return {
    action: await convert(fromAction, { ...context, surface: 'action' }),
    cli: await convert(fromCli, { ...context, surface: 'cli', env })
  }
}

describe('the options table', () => {
  it('is what action.yml declares, input for input and default for default', () => {
    const fromTable = Object.values(OPTIONS)
      .filter(spec => 'action' in spec)
      .map(spec => {
        const action = (spec as { action: { input: string; default?: string } }).action
        return [action.input, action.default ?? ('default' in spec ? spec.default : '') ?? '']
      })
    expect(Object.entries(actionYml.inputs).map(([name, input]) => [name, input.default])).toEqual(
      fromTable
    )
  })

  it('gives the same publish inputs for the same options, from the action or the CLI', async () => {
    const { action, cli } = await bothSurfaces(
      'publish',
      {
        paths: 'apps/podinfo\ninfra/cert-manager',
        repository: 'ghcr.io/org/fleet/{name}',
        tags: 'v1, latest',
        'diff-tag': 'latest',
        'ignore-paths': '*.md',
        annotations: 'org.example.team=platform',
        concurrency: '4',
        'insecure-registries': 'localhost:5000',
        sign: 'none',
        'signature-format': 'both',
        'tlog-upload': 'false',
        'github-token': '' // action only: ghcr.io's fallback credential
      },
      [
        'apps/podinfo',
        'infra/cert-manager',
        '--repository',
        'ghcr.io/org/fleet/{name}',
        '--tag',
        'v1',
        '--tag',
        'latest',
        '--diff-tag',
        'latest',
        '--ignore-path',
        '*.md',
        '--annotation',
        'org.example.team=platform',
        '--concurrency',
        '4',
        '--insecure-registry',
        'localhost:5000',
        '--sign',
        'none',
        '--signature-format',
        'both',
        '--tlog-upload',
        'false'
      ]
    )
    expect(cli).toEqual(action)
    expect(action).toMatchObject({
      build: { paths: ['apps/podinfo', 'infra/cert-manager'], ignorePaths: ['*.md'] },
      registry: { tags: ['v1', 'latest'], diffTag: 'latest', concurrency: 4 },
      signing: { mode: 'none', format: 'both', fulcioUrl: 'https://fulcio.sigstore.dev' }
    })
  })

  it('gives the same verify inputs, registry credentials included', async () => {
    const { action, cli } = await bothSurfaces(
      'verify',
      {
        references: 'oci://ghcr.io/org/fleet/apps:latest',
        'issuer-regexp': '^https://token\\.actions\\.githubusercontent\\.com$',
        'subject-regexp': '^https://github\\.com/org/fleet/.*$',
        username: 'reader',
        password: 'read-only-token',
        'flux-version': '2.8',
        strict: 'true'
      },
      [
        'oci://ghcr.io/org/fleet/apps:latest',
        '--issuer-regexp',
        '^https://token\\.actions\\.githubusercontent\\.com$',
        '--subject-regexp',
        '^https://github\\.com/org/fleet/.*$',
        '--username',
        'reader',
        '--flux-version',
        '2.8',
        '--strict'
      ],
      { FLEETPACK_PASSWORD: 'read-only-token' }
    )
    expect({ ...cli, onSecret: undefined }).toEqual({ ...action, onSecret: undefined })
    expect(action).toMatchObject({ username: 'reader', fluxVersion: '2.8', strict: true })
  })

  it('signs with the key when a key is given and no mode is, on both surfaces', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fleetpack-options-'))
    const keyFile = join(dir, 'cosign.key')
    await writeFile(keyFile, 'KEY TEXT')
    const { action, cli } = await bothSurfaces(
      'publish',
      { paths: 'apps/podinfo', repository: 'r.example/app', 'cosign-key': 'KEY TEXT' },
      ['apps/podinfo', '--repository', 'r.example/app', '--key', keyFile]
    )
    expect([action.signing.mode, cli.signing.mode]).toEqual(['key', 'key'])
    expect(cli.signing).toEqual(action.signing)
    expect(action.signing).toMatchObject({ key: { text: 'KEY TEXT' }, tlogUpload: true })
  })

  it('keeps the defaults that must differ, and says so in the help', async () => {
    const { action, cli } = await bothSurfaces(
      'publish',
      { paths: 'apps/podinfo', repository: 'r.example/app' },
      ['apps/podinfo', '--repository', 'r.example/app']
    )
    expect([action.signing.mode, cli.signing.mode]).toEqual(['keyless', 'none'])
  })

  it('suggests the nearest flag for a mistyped one', () => {
    expect(() => readCliOptions('publish', ['x', '--tga', 'v1'], {})).toThrow(
      expect.objectContaining({ hint: expect.stringMatching(/did you mean --tag\?/) })
    )
    expect(() => readCliOptions('verify', ['x', '--flux-verison', '2.8'], {})).toThrow(
      expect.objectContaining({ hint: expect.stringMatching(/did you mean --flux-version\?/) })
    )
  })
})
