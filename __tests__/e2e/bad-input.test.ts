import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { BAD_INPUTS, BAD_INPUT_TREE, caseInputs, failureOf } from '../support/bad-inputs.js'
import { startRegistry, TEST_PASSWORD, TEST_USER, type TestRegistry } from '../support/registry.js'
import { runAction } from '../support/runner.js'
import { removeTempDirs, tempDir, writeTree } from '../support/tree.js'

/**
 * A few hand-typed bad inputs through the bundled action, against a real
 * registry: each fails the step with a message naming the input and a fix,
 * and leaves nothing tagged. (Every case runs in-process in
 * __tests__/unit/bad-input.test.ts.)
 */

let registry: TestRegistry
let htpasswd: TestRegistry
beforeAll(async () => {
  ;[registry, htpasswd] = await Promise.all([startRegistry('none'), startRegistry('htpasswd')])
})
afterAll(async () => {
  await Promise.all([registry?.stop(), htpasswd?.stop()])
  await removeTempDirs()
})

let n = 0
const repo = () => `${registry.host}/bad/case-${++n}/{name}`
const cases = BAD_INPUTS.filter(c => c.endToEnd)

describe('bad input', () => {
  it.each(cases.map(c => [c.name, c] as const))(
    '%s: fails naming the input and the fix, tagging nothing',
    async (_name, testCase) => {
      const workspace = await tempDir('bad-')
      await writeTree(workspace, BAD_INPUT_TREE)
      await testCase.setup?.(workspace)
      const repository = repo()
      const substitute = (value: string) =>
        value.replace('REG', registry.host).replace('HTPASSWD', htpasswd.host)
      const inputs = caseInputs(testCase, repository, substitute)
      const run = await runAction(inputs, {
        workspace,
        env: (await testCase.env?.(workspace)) ?? {}
      })
      expect(run.code).toBe(1)
      const error = failureOf(run.stdout)
      expect(error).toMatch(testCase.message)
      expect(error).toMatch(/\n\s+fix: \S/)
      // Nothing was tagged in the repository the case really targeted.
      const target = inputs.repository as string
      const server = [registry, htpasswd].find(r => target.startsWith(`${r.host}/`))
      const auth =
        server === htpasswd
          ? {
              authorization: `Basic ${Buffer.from(`${TEST_USER}:${TEST_PASSWORD}`).toString('base64')}`
            }
          : {}
      for (const name of server ? ['podinfo', 'redis'] : []) {
        const path = target.slice(`${server?.host}/`.length).replace('{name}', name)
        const list = await fetch(`http://${server?.host}/v2/${path}/tags/list`, { headers: auth })
        expect(list.status).toBe(404)
      }
    }
  )
})
