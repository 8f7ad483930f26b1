import { mkdtemp } from 'node:fs/promises'
import { basename, join, resolve } from 'node:path'
import { tmpdir } from 'node:os'
import { buildArtifact } from './artifact/index.js'
import { createdTimeFor, defaultRevision, defaultSource, repositoryRootFor } from './context.js'
import { FleetpackError, InputError, describeError } from './errors.js'
import type { ActionInputs } from './action/inputs.js'

export interface ComponentResult {
  component: string
  path: string
  /** Manifest digest: what Flux pins and what a signature covers. */
  digest: string
  layerDigest: string
  diffId: string
  size: number
  files: number
}

export interface Logger {
  info(message: string): void
  error(message: string): void
  group<T>(name: string, fn: () => Promise<T>): Promise<T>
}

/**
 * The pipeline: every path becomes one reproducible Flux artifact. One failing
 * component does not stop the others; the run fails at the end, naming each.
 */
export async function run(inputs: ActionInputs, log: Logger): Promise<ComponentResult[]> {
  if (inputs.paths.length === 0) {
    throw new InputError('paths is empty', {
      hint: 'list the directories to publish, one per line, e.g. "apps/podinfo"'
    })
  }
  const workDir = await mkdtemp(join(process.env.RUNNER_TEMP ?? tmpdir(), 'fleetpack-'))
  const results: ComponentResult[] = []
  const failures: string[] = []
  for (const path of inputs.paths) {
    const component = basename(resolve(path))
    try {
      const result = await log.group(`${component} (${path})`, async () => {
        const artifact = await buildArtifact(path, {
          repositoryRoot: repositoryRootFor(path),
          ignorePatterns: inputs.ignorePaths,
          workDir,
          metadata: {
            created: await createdTimeFor(path),
            source: inputs.source ?? (await defaultSource(path)),
            revision: inputs.revision ?? (await defaultRevision(path)),
            annotations: inputs.annotations
          }
        })
        log.info(
          `${artifact.layer.files} files, ${artifact.layer.size} bytes, manifest ${artifact.manifest.descriptor.digest}`
        )
        return {
          component,
          path,
          digest: artifact.manifest.descriptor.digest,
          layerDigest: artifact.layer.digest,
          diffId: artifact.layer.diffId,
          size: artifact.layer.size,
          files: artifact.layer.files
        }
      })
      results.push(result)
    } catch (error) {
      log.error(`${component}: ${describeError(error)}`)
      failures.push(`${component} (${path}): ${describeError(error)}`)
    }
  }
  if (failures.length > 0) {
    throw new FleetpackError(
      `${failures.length} of ${inputs.paths.length} components failed:\n${failures.join('\n')}`
    )
  }
  return results
}
