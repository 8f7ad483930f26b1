import { spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { PROJECT_ROOT } from './runner.js'

/**
 * moto's server (scripts/install-moto.sh): AWS's ECR API on a random
 * 127.0.0.1 port, reached by the real AWS SDK through AWS_ENDPOINT_URL_ECR.
 * It checks no signatures; its account is 123456789012 and its registry
 * token AWS:123456789012-auth-token.
 */
export interface Moto {
  endpoint: string
  /** The environment that points an AWS SDK at it. */
  env: Record<string, string>
  /** One ECR API call, as the SDK's JSON protocol makes it. */
  ecr(action: string, body: object): Promise<Record<string, unknown>>
  stop(): Promise<void>
}

const MOTO_DIR = process.env.FLEETPACK_MOTO_DIR ?? join(PROJECT_ROOT, '.cache/moto')

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as { port: number }).port
  await new Promise(resolve => server.close(resolve))
  return port
}

export async function startMoto(): Promise<Moto> {
  const port = await freePort()
  const child: ChildProcess = spawn(
    'python3',
    ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)],
    {
      env: { PATH: process.env.PATH, PYTHONPATH: join(MOTO_DIR, 'lib') },
      stdio: ['ignore', 'pipe', 'pipe']
    }
  )
  await new Promise<void>((resolve, reject) => {
    let log = ''
    const timer = setTimeout(() => reject(new Error(`moto did not start:\n${log}`)), 30_000)
    const read = (chunk: Buffer) => {
      log += chunk.toString()
      if (log.includes('Running on')) {
        clearTimeout(timer)
        resolve()
      }
    }
    child.stdout?.on('data', read)
    child.stderr?.on('data', read)
    child.on('exit', code => reject(new Error(`moto exited ${code}:\n${log}`)))
  })
  child.stdout?.resume()
  child.stderr?.resume()
  const endpoint = `http://127.0.0.1:${port}`
  return {
    endpoint,
    env: {
      AWS_ENDPOINT_URL_ECR: endpoint,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_REGION: 'eu-west-1'
    },
    ecr: async (action, body) => {
      const response = await fetch(`${endpoint}/`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': `AmazonEC2ContainerRegistry_V20150921.${action}`,
          authorization:
            'AWS4-HMAC-SHA256 Credential=testing/20260101/eu-west-1/ecr/aws4_request, SignedHeaders=host, Signature=0'
        },
        body: JSON.stringify(body)
      })
      return (await response.json()) as Record<string, unknown>
    },
    stop: () =>
      new Promise(resolve => {
        if (child.exitCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
      })
  }
}
