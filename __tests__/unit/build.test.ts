import { afterAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { chmod, mkdir, readFile, utimes, symlink } from 'node:fs/promises'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { buildArtifact, type BuildOptions } from '../../src/artifact/index.js'
import { BuildError } from '../../src/errors.js'
import {
  removeTempDirs,
  sha256File,
  sha256Uncompressed,
  tarListing,
  tarNames,
  tempDir,
  writeTree,
  type TreeSpec
} from '../support/tree.js'

afterAll(removeTempDirs)

const metadata = { created: '2026-01-01T00:00:00Z' }

/** Builds `spec` (written under a fresh repository root) and returns the layer path and result. */
async function buildSpec(
  spec: TreeSpec,
  options: Partial<BuildOptions> & { component?: string } = {}
) {
  const root = await tempDir()
  await writeTree(root, spec)
  const dir = join(root, options.component ?? 'component')
  const output = join(await tempDir(), 'layer.tgz')
  const artifact = await buildArtifact(dir, {
    repositoryRoot: root,
    metadata,
    outputPath: output,
    ...options
  })
  return { root, dir, output, artifact }
}

async function buildError(
  spec: TreeSpec,
  options: Partial<BuildOptions> & { component?: string } = {}
) {
  const error = await buildSpec(spec, options).then(
    () => undefined,
    (e: unknown) => e
  )
  expect(error).toBeInstanceOf(BuildError)
  return error as BuildError
}

describe('the layer archive', () => {
  it('lists "." first, then each directory depth-first in byte order, as flux does', async () => {
    const { output } = await buildSpec({
      'component/a.yaml': 'a',
      'component/a/x.yaml': 'x',
      'component/B.yaml': 'B',
      'component/a-b.yaml': 'ab',
      'component/sub/nested/deep.yaml': 'd',
      'component/z.yaml': 'z'
    })
    // Byte order: "B" < "a" < "a-b.yaml" < "a.yaml" < "sub" < "z.yaml"; a directory's
    // contents follow it at once, and directories have no trailing slash.
    expect(tarNames(output)).toEqual([
      '.',
      'B.yaml',
      'a',
      'a/x.yaml',
      'a-b.yaml',
      'a.yaml',
      'sub',
      'sub/nested',
      'sub/nested/deep.yaml',
      'z.yaml'
    ])
  })

  it('records uid/gid 0, epoch mtimes and git modes in every header', async () => {
    const { output } = await buildSpec({
      'component/deploy.yaml': 'kind: Deployment',
      'component/run.sh': { mode: 0o700, content: '#!/bin/sh' },
      'component/private.yaml': { mode: 0o600, content: 'x' },
      'component/group-writable.yaml': { mode: 0o664, content: 'y' }
    })
    expect(tarListing(output)).toEqual([
      'drwxr-xr-x 0/0               0 1970-01-01 00:00 .',
      '-rw-r--r-- 0/0              16 1970-01-01 00:00 deploy.yaml',
      '-rw-r--r-- 0/0               1 1970-01-01 00:00 group-writable.yaml',
      '-rw-r--r-- 0/0               1 1970-01-01 00:00 private.yaml',
      '-rwxr-xr-x 0/0               9 1970-01-01 00:00 run.sh'
    ])
    // Empty owner names, not "root": read the raw first header.
    const tar = execFileSync('gzip', ['-dc', output])
    expect(tar.subarray(265, 297).every(b => b === 0)).toBe(true)
    expect(tar.subarray(297, 329).every(b => b === 0)).toBe(true)
    expect(tar.subarray(257, 265).toString('latin1')).toBe('ustar\x0000')
  })

  it('ends with exactly two zero blocks, like Go archive/tar, and gzips with a bare header', async () => {
    const { output } = await buildSpec({ 'component/a.yaml': 'a' })
    const gz = await readFile(output)
    // magic, deflate, no flags (no name), mtime 0, no extra flags
    expect(gz.subarray(0, 9).toString('hex')).toBe('1f8b08000000000000')
    const tar = execFileSync('gzip', ['-dc', output])
    // header(.) + header(a.yaml) + 1 content block + 2 end blocks
    expect(tar.length).toBe(512 * 5)
    expect(tar.subarray(512 * 3).every(b => b === 0)).toBe(true)
  })

  it('reports the compressed digest, the diffID of the uncompressed tar, the size and the file count', async () => {
    const { output, artifact } = await buildSpec({
      'component/a.yaml': 'a',
      'component/dir/b.yaml': 'b'
    })
    expect(artifact.layer.digest).toBe(sha256File(output))
    expect(artifact.layer.diffId).toBe(sha256Uncompressed(output))
    expect(artifact.layer.size).toBe((await readFile(output)).length)
    expect(artifact.layer.files).toBe(2)
  })

  it('gives byte-identical layers for the same content whatever the location, mtimes, owners and umask', async () => {
    const spec = {
      'component/app/deploy.yaml': 'kind: Deployment\n',
      'component/app/svc.yaml': 'kind: Service\n',
      'component/hook.sh': { mode: 0o755, content: 'echo hi' }
    }
    const first = await buildSpec(spec)

    const oldUmask = process.umask(0o077)
    let second
    try {
      const root = await tempDir('elsewhere-')
      await writeTree(root, { 'nested/deeper/': '' })
      second = await buildSpec(spec, {})
      // Different times, owner and permission bits than git would record.
      const base = second.dir
      await utimes(join(base, 'app/deploy.yaml'), 1_000_000, 1_000_000)
      await utimes(join(base, 'app'), 2_000_000, 2_000_000)
      await chmod(join(base, 'app/svc.yaml'), 0o640)
      await chmod(join(base, 'hook.sh'), 0o700)
      execFileSync('chown', ['-R', '65534:65534', base])
    } finally {
      process.umask(oldUmask)
    }
    const rebuilt = join(await tempDir(), 'again.tgz')
    const again = await buildArtifact(second.dir, {
      repositoryRoot: second.root,
      metadata,
      outputPath: rebuilt
    })
    expect(await readFile(rebuilt)).toEqual(await readFile(first.output))
    expect(again.layer.digest).toBe(first.artifact.layer.digest)
    expect(again.manifest.descriptor.digest).toBe(first.artifact.manifest.descriptor.digest)
  })

  it('round-trips names longer than 100 bytes and non-ASCII names through GNU tar', async () => {
    const longDir = 'd'.repeat(120)
    const longName = `${'n'.repeat(150)}.yaml`
    const { output } = await buildSpec({
      [`component/${longDir}/short.yaml`]: 's',
      [`component/${longName}`]: 'long',
      'component/überblick.yaml': 'ü'
    })
    expect(tarNames(output)).toEqual([
      '.',
      longDir,
      `${longDir}/short.yaml`,
      longName,
      'überblick.yaml'
    ])
    const extracted = await tempDir()
    execFileSync('tar', ['-xzf', output, '-C', extracted])
    expect(await readFile(join(extracted, longName), 'utf8')).toBe('long')
    expect(await readFile(join(extracted, 'überblick.yaml'), 'utf8')).toBe('ü')
  })

  it('streams large files and keeps their content intact', async () => {
    const big = Buffer.alloc(3 * 1024 * 1024 + 17)
    for (let i = 0; i < big.length; i++) big[i] = (i * 7919) % 251
    const { output, artifact } = await buildSpec({ 'component/big.bin': big })
    const extracted = await tempDir()
    execFileSync('tar', ['-xzf', output, '-C', extracted])
    expect((await readFile(join(extracted, 'big.bin'))).equals(big)).toBe(true)
    expect(artifact.layer.files).toBe(1)
  })
})

describe('ignore rules', () => {
  it("leaves out Flux's default exclusions", async () => {
    const { output } = await buildSpec({
      'component/.git/config': '[credential] helper=store',
      'component/.gitignore': 'x',
      'component/.gitmodules': 'x',
      'component/.gitattributes': 'x',
      'component/logo.png': 'png',
      'component/photo.jpg': 'jpg',
      'component/old.tar.gz': 'tgz',
      'component/bundle.zip': 'zip',
      'component/sub/.git/HEAD': 'ref',
      'component/app.yaml': 'kind: x'
    })
    expect(tarNames(output)).toEqual(['.', 'app.yaml', 'sub'])
  })

  it('adds user patterns to the defaults, with "!" re-including', async () => {
    const { output } = await buildSpec(
      {
        'component/.git/config': 'x',
        'component/logo.png': 'png',
        'component/keep.png': 'png',
        'component/secrets/db.yaml': 'x',
        'component/test/fixture.yaml': 'x',
        'component/app.yaml': 'x'
      },
      { ignorePatterns: ['secrets/', '/test', '!keep.png'] }
    )
    expect(tarNames(output)).toEqual(['.', 'app.yaml', 'keep.png'])
  })

  it('re-includes nothing under an ignored directory, as git does (the directory is not entered)', async () => {
    const { output } = await buildSpec(
      {
        'component/app.yaml': 'x',
        'component/secrets/keep.yaml': 'x',
        'component/secrets/db.yaml': 'x'
      },
      { ignorePatterns: ['secrets/', '!secrets/keep.yaml'] }
    )
    expect(tarNames(output)).toEqual(['.', 'app.yaml'])
  })

  it('applies every .sourceignore to its own directory and below, as git does with .gitignore', async () => {
    const { output } = await buildSpec({
      'component/.sourceignore': '*.md\n# a comment\n/only-root.yaml\n',
      'component/README.md': 'x',
      'component/only-root.yaml': 'x',
      'component/app.yaml': 'x',
      'component/sub/only-root.yaml': 'kept: the pattern is anchored to the component',
      'component/sub/notes.md': 'x',
      'component/sub/.sourceignore': 'local.yaml\n!KEEP.md\n',
      'component/sub/KEEP.md': 'x',
      'component/sub/local.yaml': 'x',
      'component/other/local.yaml': 'kept: sub/.sourceignore does not reach here'
    })
    expect(tarNames(output)).toEqual([
      '.',
      '.sourceignore',
      'app.yaml',
      'other',
      'other/local.yaml',
      'sub',
      'sub/.sourceignore',
      'sub/KEEP.md',
      'sub/only-root.yaml'
    ])
  })

  it('lets /* and !/deploy publish one subdirectory only', async () => {
    const { output } = await buildSpec(
      { 'component/deploy/app.yaml': 'x', 'component/docs/a.yaml': 'x', 'component/top.yaml': 'x' },
      { ignorePatterns: ['/*', '!/deploy'] }
    )
    expect(tarNames(output)).toEqual(['.', 'deploy', 'deploy/app.yaml'])
  })

  it('fails when nothing is left to publish', async () => {
    const error = await buildError({ 'component/logo.png': 'x', 'component/empty/': '' })
    expect(error.message).toMatch(/component holds no files once ignore rules are applied/)
    expect(error.hint).toMatch(/ignore-paths/)
  })
})

describe('symlinks and special files', () => {
  it('archives a link that stays inside the repository as the file or directory it points to', async () => {
    const { output } = await buildSpec({
      'shared/base.yaml': 'kind: ConfigMap\n',
      'shared/dir/one.yaml': 'one',
      'component/base.yaml': { link: '../shared/base.yaml' },
      'component/dir': { link: '../shared/dir' }
    })
    expect(tarListing(output)).toEqual([
      'drwxr-xr-x 0/0               0 1970-01-01 00:00 .',
      '-rw-r--r-- 0/0              16 1970-01-01 00:00 base.yaml',
      'drwxr-xr-x 0/0               0 1970-01-01 00:00 dir',
      '-rw-r--r-- 0/0               3 1970-01-01 00:00 dir/one.yaml'
    ])
  })

  it('refuses a link that leaves the repository, naming it', async () => {
    const outside = await tempDir('outside-')
    await writeTree(outside, { 'credentials.json': '{"token":"secret"}' })
    const error = await buildError({
      'component/app.yaml': 'x',
      'component/creds.json': { link: join(outside, 'credentials.json') }
    })
    expect(error.message).toMatch(
      /component\/creds\.json is a symlink to .*credentials\.json, outside the repository root/
    )
    expect(error.hint).toMatch(/never archives files from outside the repository/)
  })

  it('refuses a link to a directory outside the repository', async () => {
    const error = await buildError({ 'component/app.yaml': 'x', 'component/etc': { link: '/etc' } })
    expect(error.message).toMatch(
      /component\/etc is a symlink to \/etc, outside the repository root/
    )
  })

  it('refuses a dangling link, naming it', async () => {
    const error = await buildError({
      'component/app.yaml': 'x',
      'component/gone.yaml': { link: 'nowhere.yaml' }
    })
    expect(error.message).toMatch(/component\/gone\.yaml is a dangling symlink/)
  })

  it('refuses a link that loops back to a directory being archived', async () => {
    const error = await buildError({
      'component/app.yaml': 'x',
      'component/sub/loop': { link: '..' }
    })
    expect(error.message).toMatch(/component\/sub\/loop is a symlink that loops back/)
  })

  it('accepts a bad link that an ignore rule leaves out', async () => {
    const { output } = await buildSpec(
      { 'component/app.yaml': 'x', 'component/creds.json': { link: '/etc/passwd' } },
      { ignorePatterns: ['creds.json'] }
    )
    expect(tarNames(output)).toEqual(['.', 'app.yaml'])
  })

  it('refuses a fifo and a socket, naming them', async () => {
    const root = await tempDir()
    await writeTree(root, { 'component/app.yaml': 'x' })
    execFileSync('mkfifo', [join(root, 'component/pipe')])
    const fifo = await buildArtifact(join(root, 'component'), {
      repositoryRoot: root,
      metadata,
      outputPath: join(root, 'out.tgz')
    }).catch((e: unknown) => e as BuildError)
    expect(fifo).toBeInstanceOf(BuildError)
    expect((fifo as BuildError).message).toMatch(
      /component\/pipe is a named pipe \(fifo\), not a file or directory/
    )

    const root2 = await tempDir()
    await writeTree(root2, { 'component/app.yaml': 'x' })
    const server = createServer()
    await new Promise<void>(done => server.listen(join(root2, 'component/agent.sock'), done))
    try {
      const socket = await buildArtifact(join(root2, 'component'), {
        repositoryRoot: root2,
        metadata,
        outputPath: join(root2, 'out.tgz')
      }).catch((e: unknown) => e as BuildError)
      expect((socket as BuildError).message).toMatch(/component\/agent\.sock is a socket/)
    } finally {
      server.close()
    }
  })
})

describe('names Flux would reject', () => {
  it('refuses a backslash in a name', async () => {
    const error = await buildError({ 'component/app.yaml': 'x', 'component/win\\path.yaml': 'x' })
    expect(error.message).toMatch(/win\\path\.yaml has a backslash in its name, which Flux rejects/)
  })

  it('refuses a name that is not valid UTF-8', async () => {
    const root = await tempDir()
    await writeTree(root, { 'component/app.yaml': 'x' })
    // Write a file whose name is the Latin-1 byte 0xE9 ("é" outside UTF-8).
    execFileSync('sh', ['-c', `printf x > "$(printf '${join(root, 'component')}/caf\\351.yaml')"`])
    const error = await buildArtifact(join(root, 'component'), {
      repositoryRoot: root,
      metadata,
      outputPath: join(root, 'out.tgz')
    }).catch((e: unknown) => e as BuildError)
    expect(error).toBeInstanceOf(BuildError)
    expect((error as BuildError).message).toMatch(
      /component\/caf.*\.yaml has a name that is not valid UTF-8/
    )
  })
})

describe('paths that are not a component directory', () => {
  it('refuses a missing path', async () => {
    const error = await buildError({ 'other/app.yaml': 'x' })
    expect(error.message).toMatch(/component does not exist/)
  })

  it('refuses a file where a directory is expected', async () => {
    const error = await buildError({ component: 'i am a file' })
    expect(error.message).toMatch(/component is not a directory/)
  })

  it('refuses a directory outside the repository root', async () => {
    const root = await tempDir()
    const other = await tempDir()
    await writeTree(other, { 'component/app.yaml': 'x' })
    const error = await buildArtifact(join(other, 'component'), {
      repositoryRoot: root,
      metadata,
      outputPath: join(other, 'out.tgz')
    }).catch((e: unknown) => e as BuildError)
    expect((error as BuildError).message).toMatch(/is outside the repository root/)
  })

  it('leaves no partial layer behind when the build fails', async () => {
    const root = await tempDir()
    await writeTree(root, { 'component/app.yaml': 'x', 'component/z-dangling': { link: 'nope' } })
    const outDir = await tempDir()
    await buildArtifact(join(root, 'component'), {
      repositoryRoot: root,
      metadata,
      outputPath: join(outDir, 'layer.tgz')
    }).catch(() => undefined)
    expect(execFileSync('ls', ['-A', outDir], { encoding: 'utf8' })).toBe('')
  })
})

it('follows a symlinked component directory inside the repository', async () => {
  const root = await tempDir()
  await writeTree(root, { 'real/app.yaml': 'x' })
  await mkdir(join(root, 'links'))
  await symlink('../real', join(root, 'links/component'))
  const artifact = await buildArtifact(join(root, 'links/component'), {
    repositoryRoot: root,
    metadata,
    outputPath: join(root, 'out.tgz')
  })
  expect(artifact.layer.files).toBe(1)
  expect(tarNames(join(root, 'out.tgz'))).toEqual(['.', 'app.yaml'])
})
