import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'

/** A file tree described as path → content; a trailing '/' makes an empty directory. */
export type TreeSpec = Record<
  string,
  string | Buffer | { link: string } | { mode: number; content: string }
>

const scratch: string[] = []

/** A fresh temporary directory, removed after the test file. */
export async function tempDir(prefix = 'fleetpack-test-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix))
  scratch.push(dir)
  return dir
}

export async function removeTempDirs(): Promise<void> {
  await Promise.all(scratch.splice(0).map(dir => rm(dir, { recursive: true, force: true })))
}

export async function writeTree(root: string, spec: TreeSpec): Promise<string> {
  for (const [path, value] of Object.entries(spec)) {
    const full = join(root, path)
    if (path.endsWith('/')) {
      await mkdir(full, { recursive: true })
      continue
    }
    await mkdir(dirname(full), { recursive: true })
    if (typeof value === 'object' && 'link' in value) {
      await symlink(value.link, full)
    } else if (typeof value === 'object' && 'mode' in value) {
      await writeFile(full, value.content)
      await chmod(full, value.mode)
    } else {
      await writeFile(full, value)
    }
  }
  return root
}

/** GNU tar's verbose listing, one entry a line. */
export function tarListing(archive: string): string[] {
  return execFileSync('tar', ['--numeric-owner', '-tvzf', archive], { encoding: 'utf8' })
    .trim()
    .split('\n')
}

/** The entry names, in archive order, as GNU tar reads them. */
export function tarNames(archive: string): string[] {
  return execFileSync('tar', ['-tzf', archive], { encoding: 'utf8' }).trim().split('\n')
}

export function sha256File(path: string): string {
  return `sha256:${createHash('sha256').update(readFileSync(path)).digest('hex')}`
}

export function sha256Uncompressed(path: string): string {
  return `sha256:${createHash('sha256')
    .update(gunzipSync(readFileSync(path)))
    .digest('hex')}`
}
