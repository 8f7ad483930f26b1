import { describe, expect, it } from '@jest/globals'
import { createReadStream } from 'node:fs'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { gzipSync } from 'node:zlib'
import { buildArtifact } from '../../src/artifact/index.js'
import { readLayerFiles } from '../../src/artifact/read.js'
import { diffTrees } from '../../src/diff.js'
import { tempDir, writeTree } from '../support/tree.js'

/**
 * What a plan shows a reviewer: the files of the registry's artifact against
 * the tree, and for YAML the Kubernetes resources by kind and name with the
 * fields that changed, instead of a line diff.
 */

const LIMITS = {
  compressedBytes: 10 * 1024 * 1024,
  uncompressedBytes: 10 * 1024 * 1024,
  entries: 1000
}
const files = (entries: Record<string, string>) =>
  new Map(Object.entries(entries).map(([name, text]) => [name, Buffer.from(text)]))

describe('reading a layer back', () => {
  it('gives the files fleetpack archived, long names included', async () => {
    const dir = await tempDir('read-')
    const long = `${'deep/'.repeat(30)}config.yaml`
    await writeTree(dir, { 'app/deploy.yaml': 'kind: Deployment\n', [`app/${long}`]: 'x: 1\n' })
    const artifact = await buildArtifact(join(dir, 'app'), {
      repositoryRoot: dir,
      outputPath: join(dir, 'layer.tgz'),
      metadata: { created: '2026-01-01T00:00:00Z', source: 's', revision: 'r', annotations: {} }
    })
    const read = await readLayerFiles(createReadStream(artifact.layer.path), LIMITS)
    expect([...read.keys()].sort()).toEqual([long, 'deploy.yaml'])
    expect(read.get('deploy.yaml')?.toString()).toBe('kind: Deployment\n')
  })

  it('refuses an entry that climbs out, and content beyond its bounds', async () => {
    const header = Buffer.alloc(512)
    header.write('../evil.yaml', 0)
    header.write('00000000004\0', 124)
    header.write('0', 156)
    const tar = Buffer.concat([header, Buffer.from('boom'), Buffer.alloc(508), Buffer.alloc(1024)])
    await expect(readLayerFiles(Readable.from([gzipSync(tar)]), LIMITS)).rejects.toThrow(
      /an entry named "\.\.\/evil\.yaml"/
    )
    await expect(
      readLayerFiles(Readable.from([gzipSync(Buffer.alloc(4096))]), {
        ...LIMITS,
        uncompressedBytes: 1024
      })
    ).rejects.toThrow(/more than 1024 bytes of content/)
  })
})

describe('the diff of two trees', () => {
  it('names files added, removed and changed, and the resources and fields that changed', () => {
    const before = files({
      'deploy.yaml':
        'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: apps}\nspec: {replicas: 2, template: {spec: {containers: [{name: web, image: "web:1"}]}}}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: apps}\n',
      'old.yaml': 'kind: ConfigMap\nmetadata: {name: old}\n',
      'README.md': 'hello\n'
    })
    const after = files({
      'deploy.yaml':
        '# a comment does not count\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: apps}\nspec: {replicas: 3, template: {spec: {containers: [{name: web, image: "web:2"}]}}}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: apps}\n',
      'README.md': 'hello again\n',
      'new.yaml': 'kind: Secret\nmetadata: {name: token}\n'
    })
    expect(diffTrees(before, after)).toEqual({
      truncated: false,
      files: [
        { file: 'README.md', change: 'changed' },
        {
          file: 'deploy.yaml',
          change: 'changed',
          resources: [
            {
              resource: 'Deployment/apps/web',
              change: 'changed',
              fields: ['spec.replicas', 'spec.template.spec.containers']
            },
            { resource: 'ConfigMap/apps/settings', change: 'added' },
            { resource: 'Service/apps/web', change: 'removed' }
          ]
        },
        {
          file: 'new.yaml',
          change: 'added',
          resources: [{ resource: 'Secret/token', change: 'added' }]
        },
        {
          file: 'old.yaml',
          change: 'removed',
          resources: [{ resource: 'ConfigMap/old', change: 'removed' }]
        }
      ]
    })
  })

  it('shows a comment-only edit as a changed file with no changed resource, and invalid YAML as a file change', () => {
    const diff = diffTrees(
      files({ 'a.yaml': 'kind: A\nmetadata: {name: a}\n', 'b.yaml': 'kind: B\n' }),
      files({ 'a.yaml': '# note\nkind: A\nmetadata: {name: a}\n', 'b.yaml': 'kind: [unclosed\n' })
    )
    expect(diff.files).toEqual([
      { file: 'a.yaml', change: 'changed' },
      { file: 'b.yaml', change: 'changed' }
    ])
  })
})
