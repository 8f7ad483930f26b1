import { resolveCredentials } from './credentials.js'
import { isInsecureRegistry, type Repository } from './reference.js'
import { RepositoryClient, type RepositoryAccess } from './registry.js'
import { Transport } from './transport.js'

export interface PoolOptions {
  username?: string | undefined
  password?: string | undefined
  githubActor?: string | undefined
  githubToken?: string | undefined
  insecureRegistries: readonly string[]
  /** push for publishing (the default), pull for verifying: the scope tokens are asked for. */
  access?: RepositoryAccess
  timeoutMs?: number
  /** aws: registry tokens from ECR's GetAuthorizationToken with the job's AWS credentials. */
  provider?: 'generic' | 'aws'
  env?: Readonly<Record<string, string | undefined>>
  onSecret: (secret: string) => void
  info?: (message: string) => void
  debug?: (message: string) => void
}

/**
 * One transport per registry, so credentials are resolved once and tokens
 * are shared by every repository of a run, and a record of which repository
 * holds which blob, so a blob seen in one is mounted into another.
 */
export class RegistryPool {
  private readonly transports = new Map<string, Promise<Transport>>()
  private readonly blobHomes = new Map<string, string>()

  constructor(private readonly options: PoolOptions) {}

  async repository(repository: Repository): Promise<RepositoryClient> {
    let transport = this.transports.get(repository.registry)
    if (!transport) {
      transport = this.createTransport(repository.registry)
      transport.catch(() => this.transports.delete(repository.registry))
      this.transports.set(repository.registry, transport)
    }
    return new RepositoryClient(await transport, repository.path, this.options.access ?? 'push')
  }

  private async createTransport(registry: string): Promise<Transport> {
    const { credentials, source } =
      this.options.provider === 'aws'
        ? await this.awsCredentials(registry)
        : await resolveCredentials(registry, {
            username: this.options.username,
            password: this.options.password,
            githubActor: this.options.githubActor,
            githubToken: this.options.githubToken,
            onSecret: this.options.onSecret
          })
    this.options.info?.(`${registry}: credentials from ${source}`)
    return new Transport({
      registry,
      insecure: isInsecureRegistry(registry, this.options.insecureRegistries),
      credentials,
      userAgent: 'fleetpack',
      timeoutMs: this.options.timeoutMs,
      onSecret: this.options.onSecret,
      debug: message => this.options.debug?.(`${registry}: ${message}`)
    })
  }

  private async awsCredentials(registry: string) {
    const { ecrCredentials } = await import('./ecr.js')
    const credentials = await ecrCredentials({ registry, env: this.options.env ?? process.env })
    if (credentials.kind === 'basic') this.options.onSecret(credentials.password)
    return { credentials, source: 'AWS (ECR GetAuthorizationToken, provider: aws)' }
  }

  /** Another repository of the same registry that holds `digest`, to mount from. */
  knownLocation(repository: Repository, digest: string): string | undefined {
    const home = this.blobHomes.get(`${repository.registry}|${digest}`)
    return home && home !== repository.path ? home : undefined
  }

  remember(repository: Repository, digest: string): void {
    const key = `${repository.registry}|${digest}`
    if (!this.blobHomes.has(key)) this.blobHomes.set(key, repository.path)
  }
}
