import { afterAll, describe, expect, it } from '@jest/globals'
import { generateKeyPairSync } from 'node:crypto'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:net'
import { join } from 'node:path'
import { CLI_ENTRY, minimalEnv, runAction, runProcess } from '../support/runner.js'
import { removeTempDirs, tempDir, writeTree } from '../support/tree.js'

afterAll(removeTempDirs)

describe('bounds', () => {
  it('builds a 2 GB tree in bounded memory', async () => {
    const dir = await tempDir('big-')
    const tree = join(dir, 'tree')
    // 64 files of 32 MiB of text: large enough that unbounded buffering would show.
    const block = Buffer.alloc(32 * 1024 * 1024)
    const line = Buffer.from(
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata: {key: value}\n'
    )
    for (let offset = 0; offset < block.length; offset += line.length) line.copy(block, offset)
    for (let i = 0; i < 64; i++) {
      await mkdir(join(tree, `group-${i % 8}`), { recursive: true })
      await writeFile(join(tree, `group-${i % 8}`, `file-${i}.yaml`), block)
    }
    try {
      // The CLI reports its own peak RSS on exit.
      const probe =
        "data:text/javascript,process.on('exit',()=>process.stderr.write('maxrss_kb='+process.resourceUsage().maxRSS+'\\n'))"
      const result = await runProcess(
        process.execPath,
        [
          '--import',
          probe,
          CLI_ENTRY,
          'build',
          tree,
          '-o',
          join(dir, 'big.tgz'),
          '--repository-root',
          tree
        ],
        {
          env: minimalEnv()
        }
      )
      expect(result.code).toBe(0)
      expect(JSON.parse(result.stdout).files).toBe(64)
      const peakMb = Number(/maxrss_kb=(\d+)/.exec(result.stderr)?.[1]) / 1024
      console.log(`2 GiB tree: peak RSS ${peakMb.toFixed(0)} MB`)
      expect(peakMb).toBeLessThan(300)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  }, 180_000)

  it('fails the step with a clear message when the registry accepts connections and never answers', async () => {
    const sockets: import('node:net').Socket[] = []
    const server: Server = createServer(socket => void sockets.push(socket)) // never answers
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
    const port = (server.address() as import('node:net').AddressInfo).port
    try {
      const workspace = await tempDir()
      await writeTree(workspace, { 'apps/podinfo/a.yaml': 'a' })
      const started = Date.now()
      const run = await runAction(
        { paths: 'apps/podinfo', repository: `127.0.0.1:${port}/hung/podinfo` },
        { workspace, env: { FLEETPACK_REQUEST_TIMEOUT: '1' } }
      )
      expect(run.code).toBe(1)
      expect(run.stdout).toMatch(
        /timed out during the .* at 127\.0\.0\.1:\d+.*%0A +fix: the registry did not answer in time/
      )
      console.log(
        `hung registry: the step failed after ${((Date.now() - started) / 1000).toFixed(1)} s`
      )

      // fleetpack verify honours the same timeout (with the default 60 s and its
      // retries it would outlast this test's own timeout).
      const key = join(workspace, 'cosign.pub')
      await writeFile(
        key,
        generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
          .publicKey.export({ format: 'pem', type: 'spki' })
          .toString()
      )
      const verify = await runProcess(
        process.execPath,
        [CLI_ENTRY, 'verify', `oci://127.0.0.1:${port}/hung/podinfo:latest`, '--key', key],
        { env: minimalEnv({ FLEETPACK_REQUEST_TIMEOUT: '1' }) }
      )
      expect(verify.code).toBe(1)
      expect(verify.stderr).toMatch(/timed out during the .* at 127\.0\.0\.1:\d+/)
    } finally {
      for (const socket of sockets) socket.destroy()
      server.close()
    }
  })
})
