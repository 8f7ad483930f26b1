import { join } from 'node:path'
import { buildLayer, type Layer } from './layer.js'
import {
  ANNOTATION_CREATED,
  artifactAnnotations,
  fluxConfig,
  fluxManifest,
  type ArtifactMetadata
} from './manifest.js'
import type { Content } from '../oci/content.js'

export * from './manifest.js'
export { type Layer, hashTree } from './layer.js'

/** Everything needed to push one component: known before any network call. */
export interface BuiltArtifact {
  layer: Layer
  config: Content
  manifest: Content
  annotations: Record<string, string>
}

export interface BuildOptions {
  repositoryRoot: string
  ignorePatterns?: readonly string[]
  metadata: ArtifactMetadata
  /** Where the layer file goes: `outputPath`, or a file in `workDir`. */
  outputPath?: string
  workDir?: string
}

export async function buildArtifact(dir: string, options: BuildOptions): Promise<BuiltArtifact> {
  // Checked first: a bad annotation should fail before minutes of archiving.
  const annotations = artifactAnnotations(options.metadata)
  const outputPath =
    options.outputPath ?? join(options.workDir ?? '.', `layer-${process.hrtime.bigint()}.tar.gz`)
  const layer = await buildLayer(dir, {
    repositoryRoot: options.repositoryRoot,
    ignorePatterns: options.ignorePatterns ?? [],
    outputPath
  })
  const config = fluxConfig(layer, annotations[ANNOTATION_CREATED] ?? options.metadata.created)
  const manifest = fluxManifest(config.descriptor, layer, annotations)
  return { layer, config, manifest, annotations }
}
