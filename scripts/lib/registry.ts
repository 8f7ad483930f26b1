import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * Starts Debian's docker-registry (CNCF distribution 2.8.2) on a random
 * 127.0.0.1 port with filesystem storage under a fresh directory. Shared by
 * the tests and the benchmark; plain TypeScript that Node 24 runs directly.
 */
export interface RegistryProcess {
  /** 127.0.0.1:PORT */
  host: string
  dir: string
  stop(): Promise<void>
}

export async function startRegistryProcess(
  binary: string,
  authConfig = '',
  dir?: string
): Promise<RegistryProcess> {
  const root = dir ?? (await mkdtemp(join(tmpdir(), 'fleetpack-registry-')))
  const config = join(root, 'config.yml')
  await writeFile(
    config,
    `version: 0.1
log:
  level: info
  formatter: text
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: ${join(root, 'data')}
  delete:
    enabled: true
  maintenance:
    uploadpurging:
      enabled: false
http:
  addr: 127.0.0.1:0
  secret: fleetpack-test-secret
${authConfig}`
  )
  const child = spawn(binary, ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'] })
  const port = await new Promise<number>((resolve, reject) => {
    let log = ''
    const timer = setTimeout(
      () => reject(new Error(`docker-registry did not start:\n${log}`)),
      15_000
    )
    child.stderr?.on('data', (chunk: Buffer) => {
      log += chunk.toString()
      const match = /listening on 127\.0\.0\.1:(\d+)/.exec(log)
      if (match) {
        clearTimeout(timer)
        resolve(Number(match[1]))
      }
    })
    child.on('exit', code => reject(new Error(`docker-registry exited ${code}:\n${log}`)))
  })
  child.stderr?.resume()
  return { host: `127.0.0.1:${port}`, dir: root, stop: () => stopProcess(child) }
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve()
  return new Promise(resolve => {
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
  })
}

/**
 * Starts go-containerregistry's registry (built by build-flux-oracle.sh as
 * ggcr-registry) on a random 127.0.0.1 port: the second implementation, one
 * that takes single-POST uploads and serves the referrers API.
 */
export async function startGgcrRegistry(binary: string): Promise<RegistryProcess> {
  const root = await mkdtemp(join(tmpdir(), 'fleetpack-ggcr-'))
  const child = spawn(binary, [root], { stdio: ['ignore', 'ignore', 'pipe'] })
  const port = await new Promise<number>((resolve, reject) => {
    let log = ''
    const timer = setTimeout(
      () => reject(new Error(`ggcr-registry did not start:\n${log}`)),
      15_000
    )
    child.stderr?.on('data', (chunk: Buffer) => {
      log += chunk.toString()
      const match = /listening on 127\.0\.0\.1:(\d+)/.exec(log)
      if (match) {
        clearTimeout(timer)
        resolve(Number(match[1]))
      }
    })
    child.on('exit', code => reject(new Error(`ggcr-registry exited ${code}:\n${log}`)))
  })
  child.stderr?.resume()
  return { host: `127.0.0.1:${port}`, dir: root, stop: () => stopProcess(child) }
}
