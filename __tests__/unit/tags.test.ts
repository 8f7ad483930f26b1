import { afterAll, describe, expect, it } from '@jest/globals'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { publish, type PublishInputs, type PublishLogger } from '../../src/publish.js'
import { layoutInputs } from '../support/publish-inputs.js'
import {
  checkReleaseTagPattern,
  checkTagTemplates,
  expandTags,
  matchReleaseTag,
  parseSemver
} from '../../src/tags.js'
import { removeTempDirs, tempDir, writeTree } from '../support/tree.js'

/**
 * Tags from templates ({sha:8}, {branch}, {version}, {major}.{minor},
 * {name}) and component releases (a tag such as podinfo/v1.2.3 publishes
 * only podinfo), as fleets tag today without a shell step.
 */

afterAll(removeTempDirs)

const SHA = '0123456789abcdef0123456789abcdef01234567'
const onMain = { sha: SHA, branch: 'main' }

describe('tag templates', () => {
  it('fill the commit, the branch and the component', () => {
    expect(
      expandTags(
        ['latest', 'main-{sha:8}', '{branch}-{name}', '{sha}'],
        { ref: onMain, name: 'podinfo' },
        'tags'
      )
    ).toEqual(['latest', 'main-01234567', 'main-podinfo', SHA])
  })

  it('write a branch with slashes as a valid tag', () => {
    expect(
      expandTags(['{branch}'], { ref: { sha: SHA, branch: 'feature/Login_2' }, name: 'x' }, 'tags')
    ).toEqual(['feature-Login_2'])
  })

  it('fill the version parts of a version tag, build metadata made tag-safe', () => {
    const ref = { sha: SHA, tag: 'v1.2.3-rc.1+build.5' }
    const version = parseSemver(ref.tag)
    expect(
      expandTags(
        ['{version}', '{major}.{minor}', '{major}', '{tag}'],
        { ref, version, name: 'x' },
        'tags'
      )
    ).toEqual(['1.2.3-rc.1-build.5', '1.2', '1', 'v1.2.3-rc.1-build.5'])
  })

  it('refuse a placeholder this run cannot fill, naming the input and why', () => {
    expect(() =>
      expandTags(['{branch}'], { ref: { sha: SHA, tag: 'v1.0.0' }, name: 'x' }, 'tags')
    ).toThrow(/tags: "\{branch\}" needs a branch, and this run has none/)
    expect(() => expandTags(['{version}'], { ref: onMain, name: 'x' }, 'diff-tag')).toThrow(
      /diff-tag: "\{version\}" needs a semantic version/
    )
  })

  it('are checked when the inputs are read: unknown placeholders, lengths, invalid text', () => {
    expect(() => checkTagTemplates(['{commit}'], 'tags')).toThrow(/unknown placeholder \{commit\}/)
    expect(() => checkTagTemplates(['{branch:8}'], 'tags')).toThrow(/shortens \{branch\} to 8/)
    expect(() => checkTagTemplates(['{sha:2}'], 'tags')).toThrow(/shortens \{sha\} to 2/)
    expect(() => checkTagTemplates(['v 1'], 'tags')).toThrow(/not a valid tag or tag template/)
    expect(() => checkTagTemplates(['-{sha}'], 'tags')).toThrow(/not a valid tag/)
    expect(checkTagTemplates(['latest', 'latest', 'main-{sha:8}'], 'tags')).toEqual([
      'latest',
      'main-{sha:8}'
    ])
  })

  it('read versions as semantic versions only', () => {
    expect(parseSemver('v10.0.1')).toEqual({
      version: '10.0.1',
      major: '10',
      minor: '0',
      patch: '1'
    })
    expect(parseSemver('1.2')).toBeUndefined()
    expect(parseSemver('release-7')).toBeUndefined()
  })

  it('match component release tags against the pattern', () => {
    expect(matchReleaseTag('{name}/v*', 'podinfo/v1.2.3')).toEqual({
      name: 'podinfo',
      version: '1.2.3'
    })
    expect(matchReleaseTag('release-{name}-*', 'release-redis-7.0.0')).toEqual({
      name: 'redis',
      version: '7.0.0'
    })
    expect(matchReleaseTag('{name}/v*', 'v1.2.3')).toBeUndefined()
    expect(() => checkReleaseTagPattern('v*', 'release-tag-pattern')).toThrow(
      /must contain \{name\} and \* once each/
    )
  })
})

describe('publishing with templates and component releases', () => {
  const quiet: PublishLogger = {
    info: () => undefined,
    warning: () => undefined,
    debug: () => undefined,
    group: () => undefined,
    secret: () => undefined
  }

  async function fleet() {
    const workspace = await tempDir('tags-')
    await writeTree(workspace, {
      'apps/podinfo/deploy.yaml': 'kind: Deployment\n',
      'apps/redis/deploy.yaml': 'kind: StatefulSet\n'
    })
    return { workspace, layout: await tempDir('layout-') }
  }

  const inputs = (
    workspace: string,
    layout: string,
    registry: Partial<PublishInputs['registry']>,
    env: Record<string, string>
  ) => layoutInputs(workspace, layout, { registry, env })

  /** The tags of a component's OCI layout, as `skopeo` would list them. */
  async function layoutTags(layout: string, component: string): Promise<string[]> {
    const index = JSON.parse(await readFile(join(layout, component, 'index.json'), 'utf8')) as {
      manifests: { annotations?: Record<string, string> }[]
    }
    return index.manifests
      .map(m => m.annotations?.['org.opencontainers.image.ref.name'])
      .filter((tag): tag is string => tag !== undefined)
      .sort()
  }

  it('tag a branch push with the branch and the short commit', async () => {
    const { workspace, layout } = await fleet()
    const published = await publish(
      inputs(
        workspace,
        layout,
        { tags: ['latest', '{branch}-{sha:8}'] },
        {
          GITHUB_SHA: SHA,
          GITHUB_REF: 'refs/heads/main'
        }
      ),
      quiet
    )
    expect(published.artifacts.map(a => a.tags)).toEqual([
      ['latest', 'main-01234567'],
      ['latest', 'main-01234567']
    ])
    expect(await layoutTags(layout, 'podinfo')).toEqual(['latest', 'main-01234567'])
  })

  it('publish only the component a release tag names, with its version', async () => {
    const { workspace, layout } = await fleet()
    const published = await publish(
      inputs(
        workspace,
        layout,
        { tags: ['{version}', '{major}.{minor}', 'latest'], releaseTagPattern: '{name}/v*' },
        { GITHUB_SHA: SHA, GITHUB_REF: 'refs/tags/redis/v7.2.4' }
      ),
      quiet
    )
    expect(published.artifacts.map(a => [a.component, a.tags])).toEqual([
      ['redis', ['7.2.4', '7.2', 'latest']]
    ])
    expect(await layoutTags(layout, 'redis')).toEqual(['7.2', '7.2.4', 'latest'])
  })

  it('refuse a release tag naming no component, publishing nothing', async () => {
    const { workspace, layout } = await fleet()
    await expect(
      publish(
        inputs(
          workspace,
          layout,
          { tags: ['{version}'], releaseTagPattern: '{name}/v*' },
          {
            GITHUB_SHA: SHA,
            GITHUB_REF: 'refs/tags/postgres/v1.0.0'
          }
        ),
        quiet
      )
    ).rejects.toThrow(/names the component "postgres", which paths do not list/)
    await expect(readFile(join(layout, 'redis', 'index.json'))).rejects.toThrow(/ENOENT/)
  })

  it('refuse a template the run cannot fill before anything is published', async () => {
    const { workspace, layout } = await fleet()
    await expect(
      publish(
        inputs(
          workspace,
          layout,
          { tags: ['latest', '{version}'] },
          {
            GITHUB_SHA: SHA,
            GITHUB_REF: 'refs/heads/main'
          }
        ),
        quiet
      )
    ).rejects.toThrow(/tags: "\{version\}" needs a semantic version/)
    await expect(readFile(join(layout, 'podinfo', 'index.json'))).rejects.toThrow(/ENOENT/)
  })
})
