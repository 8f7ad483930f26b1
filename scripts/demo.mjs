// npm run demo: the main job on an embedded default, with no registry and no
// GitHub account. The example fleet, infra and app components are published
// as Flux artifacts into an OCI image layout under demo-out/ (what a registry
// would hold), then read back and listed.
import { execFileSync } from 'node:child_process'
import { createHash, generateKeyPairSync, verify } from 'node:crypto'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'

const root = resolve(import.meta.dirname, '..')
const out = join(root, 'demo-out')
const layout = join(out, 'oci')
rmSync(out, { recursive: true, force: true })
mkdirSync(out, { recursive: true })

// A throwaway key pair stands in for the workflow identity a runner would sign with.
const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
const keyFile = join(out, 'throwaway.key')
writeFileSync(keyFile, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 })
writeFileSync(join(out, 'throwaway.pub'), publicKey.export({ format: 'pem', type: 'spki' }))
const components = [
  'examples/fleet/clusters/staging',
  'examples/infra/cert-manager',
  'examples/apps/podinfo'
]

console.log(
  'fleetpack demo: publishing and signing the example components as Flux artifacts into an OCI layout\n'
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
    layout,
    '--key',
    keyFile,
    '--tlog-upload',
    'false'
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
  // Check the signature independently: the .sig image names this digest and
  // its signature verifies with the throwaway public key.
  const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8'))
  const sigTag = `${artifact.digest.replace(':', '-')}.sig`
  const sigEntry = index.manifests.find(
    m => m.annotations?.['org.opencontainers.image.ref.name'] === sigTag
  )
  const sigLayer = JSON.parse(readFileSync(blob(sigEntry.digest), 'utf8')).layers[0]
  const payload = readFileSync(blob(sigLayer.digest))
  const signature = Buffer.from(
    sigLayer.annotations['dev.cosignproject.cosign/signature'],
    'base64'
  )
  const signatureOk = verify('sha256', payload, publicKey, signature)
  const namesDigest =
    JSON.parse(payload).critical.image['docker-manifest-digest'] === artifact.digest
  if (!signatureOk || !namesDigest)
    throw new Error(`the signature of ${artifact.component} does not verify`)
  const payloadDigest = createHash('sha256').update(payload).digest('hex').slice(0, 12)
  console.log(
    `  signed: ${sigTag}, verified with the throwaway public key (payload ${payloadDigest}…)`
  )
  const listing = execFileSync('tar', ['-tvzf', blob(manifest.layers[0].digest)], {
    encoding: 'utf8'
  })
  console.log(listing.trimEnd().replace(/^/gm, '    '))
  console.log()
}
console.log(`The layouts are in ${layout} (one per component, tag "latest").`)
console.log('Read one back with: skopeo inspect --raw oci:demo-out/oci/podinfo:latest')
console.log('Run the demo again: the digests stay the same for the same commit.')
