// npm run demo: the main job on an embedded default, with no registry and no
// GitHub account: every example component becomes a Flux artifact layer in
// demo-out/, and the digests are printed as a workflow would report them.
import { execFileSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'

const root = resolve(import.meta.dirname, '..')
const out = join(root, 'demo-out')
mkdirSync(out, { recursive: true })
const components = [
  'examples/fleet/clusters/staging',
  'examples/infra/cert-manager',
  'examples/apps/podinfo'
]

console.log('fleetpack demo: building the example components as Flux artifacts\n')
const rows = []
for (const path of components) {
  const name = path.split('/').pop()
  const json = execFileSync(
    process.execPath,
    [join(root, 'dist/cli.js'), 'build', path, '--output', join(out, `${name}.tgz`)],
    { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }
  )
  const result = JSON.parse(json)
  rows.push({
    component: name,
    files: result.files,
    bytes: result.size,
    manifest: result.manifestDigest
  })
  console.log(`${name}: ${result.files} files, layer ${result.digest}`)
  console.log(
    execFileSync('tar', ['-tvzf', result.output], { encoding: 'utf8' }).replace(/^/gm, '    ')
  )
}
console.table(rows)
console.log(`Layers are in ${out}. Rebuild: the digests stay the same for the same commit.`)
