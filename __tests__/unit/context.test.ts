import { afterAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import {
  createdTimeFor,
  defaultRevision,
  defaultSource,
  normaliseRemoteUrl,
  repositoryRootFor
} from '../../src/context.js'
import { InputError } from '../../src/errors.js'
import { removeTempDirs, tempDir, writeTree } from '../support/tree.js'

afterAll(removeTempDirs)

async function gitRepo(commitTime: string): Promise<string> {
  const repo = await tempDir()
  await writeTree(repo, { 'apps/podinfo/deploy.yaml': 'x' })
  const env = {
    ...process.env,
    GIT_AUTHOR_DATE: commitTime,
    GIT_COMMITTER_DATE: commitTime,
    GIT_AUTHOR_NAME: 't',
    GIT_AUTHOR_EMAIL: 't@example.com',
    GIT_COMMITTER_NAME: 't',
    GIT_COMMITTER_EMAIL: 't@example.com'
  }
  const git = (...args: string[]) => execFileSync('git', ['-C', repo, ...args], { env })
  git('init', '-q', '-b', 'main')
  git('add', '-A')
  git('commit', '-qm', 'init')
  git('remote', 'add', 'origin', 'https://x-access-token:ghs_secret@github.com/Org/Fleet.git')
  return repo
}

describe('the created annotation', () => {
  it('comes from SOURCE_DATE_EPOCH first', async () => {
    expect(await createdTimeFor('.', { SOURCE_DATE_EPOCH: '1700000000' })).toBe(
      '2023-11-14T22:13:20Z'
    )
  })

  it('refuses a SOURCE_DATE_EPOCH that is not a number', async () => {
    await expect(createdTimeFor('.', { SOURCE_DATE_EPOCH: 'tomorrow' })).rejects.toThrow(InputError)
  })

  it('is the commit time of HEAD inside a git work tree, so rebuilding a commit is reproducible', async () => {
    const repo = await gitRepo('2025-03-04T05:06:07Z')
    expect(await createdTimeFor(join(repo, 'apps/podinfo'), {})).toBe('2025-03-04T05:06:07Z')
  })

  it('is now outside a git work tree', async () => {
    const dir = await tempDir()
    const before = Date.now() - 1000
    const created = Date.parse(await createdTimeFor(dir, {}))
    expect(created).toBeGreaterThanOrEqual(before)
    expect(created).toBeLessThanOrEqual(Date.now())
  })
})

describe('source and revision defaults', () => {
  it('come from the GitHub context on a runner', async () => {
    const env = {
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REPOSITORY: 'org/fleet',
      GITHUB_REF_NAME: 'main',
      GITHUB_SHA: 'f'.repeat(40)
    }
    expect(await defaultSource('.', env)).toBe('https://github.com/org/fleet')
    expect(await defaultRevision('.', env)).toBe(`main@sha1:${'f'.repeat(40)}`)
  })

  it('come from git elsewhere, without the credentials a remote URL may hold', async () => {
    const repo = await gitRepo('2025-03-04T05:06:07Z')
    const sha = execFileSync('git', ['-C', repo, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim()
    expect(await defaultSource(repo, {})).toBe('https://github.com/Org/Fleet')
    expect(await defaultRevision(repo, {})).toBe(`main@sha1:${sha}`)
  })

  it('leave out a remote that is a local path', async () => {
    const repo = await gitRepo('2025-03-04T05:06:07Z')
    execFileSync('git', ['-C', repo, 'remote', 'set-url', 'origin', '/srv/git/fleet'])
    expect(await defaultSource(repo, {})).toBeUndefined()
  })

  it.each([
    ['git@github.com:org/fleet.git', 'https://github.com/org/fleet'],
    ['ssh://git@github.com/org/fleet.git', 'https://github.com/org/fleet'],
    [
      'https://user:pass@gitlab.example.com/group/fleet.git',
      'https://gitlab.example.com/group/fleet'
    ],
    ['https://github.com/org/fleet', 'https://github.com/org/fleet']
  ])('normalise the remote %s to %s', (remote, expected) => {
    expect(normaliseRemoteUrl(remote)).toBe(expected)
  })
})

describe('the repository root that symlinks may not leave', () => {
  it('is the workspace on a runner', () => {
    expect(repositoryRootFor('/ws/apps/podinfo', { GITHUB_WORKSPACE: '/ws' })).toBe('/ws')
  })

  it('is the enclosing git work tree elsewhere', async () => {
    const repo = await gitRepo('2025-03-04T05:06:07Z')
    expect(repositoryRootFor(join(repo, 'apps/podinfo'), {})).toBe(repo)
  })
})
