import { afterAll, describe, expect, it } from '@jest/globals'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { PublishError, publish, type PublishLogger } from '../../src/publish.js'
import { layoutInputs } from '../support/publish-inputs.js'
import { tool } from '../support/tools.js'
import { removeTempDirs, tempDir, writeTree } from '../support/tree.js'

/**
 * The validation gate, with Debian's kustomize: a broken kustomization fails
 * its component before anything of it is stored, the others publish, and the
 * user's command sees the built manifests. In-process, into OCI layouts.
 */

afterAll(removeTempDirs)

const lines: string[] = []
const log: PublishLogger = {
  info: m => void lines.push(m),
  warning: m => void lines.push(m),
  debug: () => undefined,
  group: (title, group) => void lines.push(title, ...group),
  secret: () => undefined
}

const GOOD = {
  'apps/good/kustomization.yaml': 'resources:\n  - deploy.yaml\n',
  'apps/good/deploy.yaml':
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: good\nspec:\n  template:\n    spec:\n      containers: [{name: app, image: nginx}]\n'
}
const BROKEN = {
  'apps/broken/kustomization.yaml': 'resources:\n  - deploy.yaml\n  - missing.yaml\n',
  'apps/broken/deploy.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: broken\n'
}

async function run(tree: Record<string, string>, command?: string) {
  const workspace = await tempDir('validate-')
  const layout = await tempDir('layout-')
  await writeTree(workspace, tree)
  const inputs = layoutInputs(workspace, layout, {
    build: { validate: { command, kustomize: tool('kustomize'), timeoutMs: 60_000 } }
  })
  const stored = async (name: string) =>
    readFile(join(layout, name, 'index.json')).then(
      () => true,
      () => false
    )
  try {
    return { summary: await publish(inputs, log), error: undefined, stored }
  } catch (error) {
    return { summary: undefined, error: error as PublishError, stored }
  }
}

describe('the validation gate', () => {
  it('fails a broken kustomization before anything of it is stored, and publishes the rest', async () => {
    const { error, stored } = await run({ ...GOOD, ...BROKEN })
    expect(error).toBeInstanceOf(PublishError)
    expect(error?.failures.map(f => f.component)).toEqual(['broken'])
    expect(error?.message).toMatch(/kustomize build failed:\n.*'<artifact>\/missing\.yaml'/)
    expect(error?.message).toMatch(/nothing of this component was uploaded/)
    expect(error?.summary.artifacts.map(a => a.component)).toEqual(['good'])
    expect(await stored('broken')).toBe(false)
    expect(await stored('good')).toBe(true)
  })

  it('runs the validate command on the built manifests and stops the component it rejects', async () => {
    // A policy check: no Deployment may run the "nginx" image without a tag.
    const policy = 'if grep -q "image: nginx$"; then echo "untagged image in $(ls)" >&2; exit 3; fi'
    const { error, stored } = await run(GOOD, policy)
    expect(error?.message).toMatch(/the validate command failed \(exit 3\)/)
    expect(error?.message).toMatch(/untagged image in deploy\.yaml\s+kustomization\.yaml/)
    expect(await stored('good')).toBe(false)
    const passing = await run(GOOD, 'grep -q "kind: Deployment"')
    expect(passing.summary?.artifacts.map(a => a.component)).toEqual(['good'])
    expect(lines).toContain('validated: grep -q "kind: Deployment"')
  })
})
