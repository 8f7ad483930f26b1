import { afterAll, describe, expect, it } from '@jest/globals'
import { BAD_INPUTS, BAD_INPUT_TREE, caseInputs, failureOf } from '../support/bad-inputs.js'
import { runActionInProcess } from '../support/in-process.js'
import { removeTempDirs, tempDir, writeTree } from '../support/tree.js'

/**
 * Inputs typed by hand, run through the action's own steps in-process: each
 * fails the step with a message naming the input (or the file) and a fix,
 * before anything reaches a registry. The registry here is a closed port, so
 * a case that got past its check would fail with a connection error instead
 * of its message. (__tests__/e2e/bad-input.test.ts runs a few of them through
 * the bundled action against a real registry and checks nothing was tagged.)
 */

afterAll(removeTempDirs)

const CLOSED = '127.0.0.1:1'
const cases = BAD_INPUTS.filter(c => !c.needsRegistry)

describe('bad input', () => {
  it(`has at least 40 cases (${BAD_INPUTS.length})`, () => {
    expect(BAD_INPUTS.length).toBeGreaterThanOrEqual(40)
  })

  it.each(cases.map(c => [c.name, c] as const))(
    '%s: fails naming the input and the fix',
    async (_name, testCase) => {
      const workspace = await tempDir('bad-')
      await writeTree(workspace, BAD_INPUT_TREE)
      await testCase.setup?.(workspace)
      const inputs = caseInputs(testCase, `${CLOSED}/bad/{name}`, v => v.replace('REG', CLOSED))
      const run = await runActionInProcess(inputs, {
        workspace,
        env: (await testCase.env?.(workspace)) ?? {}
      })
      expect(run.code).toBe(1)
      const error = failureOf(run.stdout)
      expect(error).toMatch(testCase.message)
      expect(error).toMatch(/\n\s+fix: \S/)
    }
  )
})
