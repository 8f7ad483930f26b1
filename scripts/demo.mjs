// npm run demo: the main job on an embedded default, with no registry and no
// GitHub account. The example fleet, infra and app components are published
// as Flux artifacts into an OCI image layout under demo-out/ (what a registry
// would hold), then read back and listed.
import { execFileSync } from 'node:child_process'
import { readFileSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'

const root = resolve(import.meta.dirname, '..')
const out = join(root, 'demo-out')
const layout = join(out, 'oci')
rmSync(out, { recursive: true, force: true })
const components = [
  'examples/fleet/clusters/staging',
  'examples/infra/cert-manager',
  'examples/apps/podinfo'
]

console.log(
  'fleetpack demo: publishing the example components as Flux artifacts into an OCI layout\n'
)
const json = execFileSync(
  process.execPath,
  [
    join(root, 'dist/cli.js'),
    'publish',
    ...components,
    '--repository',
    'registry.example.com/demo/{name}',
    '--tag',
    'latest',
    '--oci-layout',
    layout
  ],
  { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }
)
const artifacts = JSON.parse(json)

for (const artifact of artifacts) {
  const dir = join(layout, artifact.component)
  const blob = digest => join(dir, 'blobs', digest.replace(':', '/'))
  const manifest = JSON.parse(readFileSync(blob(artifact.digest), 'utf8'))
  console.log(`${artifact.url}`)
  console.log(`  config ${manifest.config.mediaType}, layer ${manifest.layers[0].mediaType}`)
  for (const [key, value] of Object.entries(manifest.annotations)) console.log(`  ${key}: ${value}`)
  const listing = execFileSync('tar', ['-tvzf', blob(manifest.layers[0].digest)], {
    encoding: 'utf8'
  })
  console.log(listing.trimEnd().replace(/^/gm, '    '))
  console.log()
}
console.log(`The layouts are in ${layout} (one per component, tag "latest").`)
console.log('Read one back with: skopeo inspect --raw oci:demo-out/oci/podinfo:latest')
console.log('Run the demo again: the digests stay the same for the same commit.')
