import {
  CreateRepositoryCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetAuthorizationTokenCommand
} from '@aws-sdk/client-ecr'
import { RegistryError } from './errors.js'
import type { Credentials } from './transport.js'

/**
 * Amazon ECR's own API, for the two things the distribution protocol cannot
 * do there: create a repository before its first push (ECR refuses a push to
 * a repository that does not exist, aws/containers-roadmap#853, and {name}
 * means one repository per component), and get a registry token from the
 * job's AWS credentials (`provider: aws`), so no login step is needed.
 *
 * Through the AWS SDK (its credential chain covers environment variables,
 * the web identity of aws-actions/configure-aws-credentials, profiles and
 * instance roles); callers import this module dynamically, so the SDK is a
 * chunk of its own, loaded only when used. AWS_ENDPOINT_URL_ECR points it at
 * another endpoint, as for every AWS SDK.
 */

/** `<account>.dkr.ecr.<region>.amazonaws.com` (and .com.cn): the account and region of an ECR registry. */
export function ecrRegistry(host: string): { account: string; region: string } | undefined {
  const match = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/.exec(host)
  return match ? { account: match[1] as string, region: match[2] as string } : undefined
}

export interface EcrOptions {
  /** The registry host; an ECR host gives the region and account, otherwise AWS_REGION does. */
  registry: string
  env: Readonly<Record<string, string | undefined>>
}

function client({ registry, env }: EcrOptions): ECRClient {
  const region = ecrRegistry(registry)?.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION
  if (!region) {
    throw new RegistryError(`cannot tell the AWS region of ${registry}`, {
      hint: 'use the ECR registry host (<account>.dkr.ecr.<region>.amazonaws.com), or set AWS_REGION'
    })
  }
  return new ECRClient({ region })
}

export interface CreatedRepositories {
  created: string[]
  existing: string[]
}

/**
 * Creates the repositories that do not exist yet, with scan-on-push and the
 * tag mutability asked for; existing ones are left as they are.
 */
export async function ensureEcrRepositories(
  names: readonly string[],
  options: EcrOptions & { mutability: 'MUTABLE' | 'IMMUTABLE' }
): Promise<CreatedRepositories> {
  const ecr = client(options)
  const registryId = ecrRegistry(options.registry)?.account
  const existing = new Set<string>()
  // DescribeRepositories fails as a whole when one name is missing: ask one at a time.
  await Promise.all(
    names.map(async name => {
      try {
        await ecr.send(
          new DescribeRepositoriesCommand({
            repositoryNames: [name],
            ...(registryId ? { registryId } : {})
          })
        )
        existing.add(name)
      } catch (error) {
        if ((error as { name?: string }).name !== 'RepositoryNotFoundException')
          throw awsError(`cannot read ECR repository ${name}`, error)
      }
    })
  )
  const created: string[] = []
  for (const name of names.filter(n => !existing.has(n))) {
    try {
      await ecr.send(
        new CreateRepositoryCommand({
          repositoryName: name,
          ...(registryId ? { registryId } : {}),
          imageTagMutability: options.mutability,
          imageScanningConfiguration: { scanOnPush: true }
        })
      )
      created.push(name)
    } catch (error) {
      // Created meanwhile by a parallel job: fine.
      if ((error as { name?: string }).name === 'RepositoryAlreadyExistsException') continue
      throw awsError(`cannot create ECR repository ${name}`, error)
    }
  }
  return { created, existing: [...existing] }
}

/** The registry's Basic credentials from GetAuthorizationToken (valid 12 hours). */
export async function ecrCredentials(options: EcrOptions): Promise<Credentials> {
  const ecr = client(options)
  let token: string | undefined
  try {
    const answer = await ecr.send(new GetAuthorizationTokenCommand({}))
    token = answer.authorizationData?.[0]?.authorizationToken
  } catch (error) {
    throw awsError(`cannot get an ECR token for ${options.registry}`, error)
  }
  const decoded = token ? Buffer.from(token, 'base64').toString('utf8') : ''
  const colon = decoded.indexOf(':')
  if (colon < 1) throw new RegistryError('ECR answered GetAuthorizationToken without a token')
  return { kind: 'basic', username: decoded.slice(0, colon), password: decoded.slice(colon + 1) }
}

function awsError(message: string, error: unknown): RegistryError {
  const name = (error as { name?: string }).name ?? 'error'
  const detail = (error as { message?: string }).message ?? String(error)
  return new RegistryError(`${message}: ${name}: ${detail}`, {
    cause: error,
    code: name === 'AccessDeniedException' ? 'registry-denied' : 'registry',
    hint:
      name === 'CredentialsProviderError' || name === 'AccessDeniedException'
        ? 'give the job AWS credentials that may use ECR (aws-actions/configure-aws-credentials with a role allowed ecr:DescribeRepositories, ecr:CreateRepository and ecr:GetAuthorizationToken)'
        : 'check the region and the ECR service status, then run again'
  })
}
