import { describe, expect, it } from '@jest/globals'
import { assertNoSecrets, type ActionRun } from '../support/runner.js'

/** The scan every action run of the suite goes through must itself catch leaks. */
const run = (stdout: string): ActionRun => ({
  code: 0,
  stdout,
  stderr: '',
  outputs: {},
  summary: ''
})

describe('the secret scan of action logs', () => {
  it('passes masked secrets: the runner consumes ::add-mask:: lines', () => {
    expect(() =>
      assertNoSecrets(run('::add-mask::hunter2-password\nall good\n'), {
        password: 'hunter2-password'
      })
    ).not.toThrow()
  })

  it('catches a password input in the log', () => {
    expect(() =>
      assertNoSecrets(run('logging in with hunter2-password'), { password: 'hunter2-password' })
    ).toThrow(/input password/)
  })

  it('catches one line of a multi-line key', () => {
    const key =
      '-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----'
    expect(() =>
      assertNoSecrets(run('oops MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg'), {
        'cosign-key': key
      })
    ).toThrow(/cosign-key/)
  })

  it('catches bearer tokens and refresh tokens', () => {
    expect(() =>
      assertNoSecrets(run('token eyJhbGciOiJSUzI1NiJ9x.eyJpc3MiOiJodHRwczovL3.sig'), {})
    ).toThrow(/a token/)
    expect(() => assertNoSecrets(run('refresh-0b6e2d4f-1c3a-4b5d-8e7f-9a0b1c2d3e4f'), {})).toThrow(
      /a token/
    )
  })
})
