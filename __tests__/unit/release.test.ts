import { describe, expect, it } from '@jest/globals'
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { PINNED_FILES, applyRelease, planRelease, releaseNotes } from '../../scripts/lib/release.js'
import { PROJECT_ROOT } from '../support/runner.js'
import { tempDir } from '../support/tree.js'

/**
 * A release pins every fleetpack/fleetpack reference to the released commit,
 * so the reusable workflow at tag vX.Y.Z runs exactly that code. The dry run
 * of this rewrite, on a copy of this repository's own files.
 */

const COMMIT = 'c0ffee0000000000000000000000000000000001'

async function copyOfRepository(changelog: string): Promise<string> {
  const root = await tempDir('release-')
  for (const path of PINNED_FILES) {
    await mkdir(dirname(join(root, path)), { recursive: true })
    await cp(join(PROJECT_ROOT, path), join(root, path))
  }
  await writeFile(join(root, 'CHANGELOG.md'), changelog)
  return root
}

describe('a release', () => {
  it('pins the reusable workflow, the examples and the README to the released commit', async () => {
    const root = await copyOfRepository(
      '# Changelog\n\n## 1.2.3\n\n- Something new.\n\n## 1.2.2\n\n- Old.\n'
    )
    const plan = await planRelease(root, '1.2.3', COMMIT)
    expect([...plan.changes.keys()]).toContain('.github/workflows/publish.yml')
    await applyRelease(root, plan)
    for (const path of PINNED_FILES) {
      const text = await readFile(join(root, path), 'utf8')
      const references = [...text.matchAll(/uses:\s*(fleetpack\/fleetpack[^\s]*)(.*)/g)]
      for (const [, reference, comment] of references) {
        expect(reference).toMatch(new RegExp(`@${COMMIT}$`))
        expect(comment?.trim()).toBe('# v1.2.3')
      }
    }
    const workflow = await readFile(join(root, '.github/workflows/publish.yml'), 'utf8')
    expect(workflow.match(/uses: fleetpack\/fleetpack@/g)?.length).toBe(2) // plan and publish jobs
    expect(workflow).not.toMatch(/fleetpack\/fleetpack@main/)
    expect(plan.notes).toBe('- Something new.')
  })

  it('refuses a version without notes, a version that is not one, and a reference that is not a commit', async () => {
    const root = await copyOfRepository('# Changelog\n\n## 1.2.2\n\n- Old.\n')
    await expect(planRelease(root, '1.2.3', COMMIT)).rejects.toThrow(/no section "## 1.2.3"/)
    await expect(planRelease(root, 'v1.2.2', COMMIT)).rejects.toThrow(/is not a version/)
    await expect(planRelease(root, '1.2.2', 'main')).rejects.toThrow(/not a full commit SHA/)
  })

  it('reads one version’s notes from the changelog', () => {
    const changelog = '## [2.0.0] - 2026-12-01\n\n- Big.\n\n## 1.0.0\n\n- First.\n'
    expect(releaseNotes(changelog, '2.0.0')).toBe('- Big.')
    expect(releaseNotes(changelog, '1.0.0')).toBe('- First.')
    expect(releaseNotes(changelog, '1.0')).toBeUndefined()
  })
})
