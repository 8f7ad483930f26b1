// Bundles the action entry and the CLI into dist/ with esbuild. The output is
// committed (GitHub runs actions from the repository as is) and must be
// byte-for-byte reproducible, so CI can fail when it is stale.
import { build } from 'esbuild'
import { readFile, rm } from 'node:fs/promises'

await rm(new URL('../dist/', import.meta.url), { recursive: true, force: true })

// Some bundled dependencies are CommonJS and call require(); give the ESM
// bundle a real one.
const banner = {
  js: "import { createRequire as __fleetpackCreateRequire } from 'node:module';\nconst require = __fleetpackCreateRequire(import.meta.url);"
}

const { version } = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'))

// One build of both entries with code splitting: the action and the CLI
// share their common code in chunks (instead of two copies), and what only
// signing or verifying needs (Sigstore's libraries) is a chunk of its own,
// loaded when used. Linked source maps without sources (the sources are in
// the repository) let the entries' process.setSourceMapsEnabled(true) show
// src/ paths in stack traces.
await build({
  define: { __FLEETPACK_VERSION__: JSON.stringify(version) },
  entryPoints: { index: 'src/index.ts', cli: 'src/cli.ts' },
  outdir: 'dist',
  entryNames: '[name]',
  chunkNames: 'chunks/[name]-[hash]',
  splitting: true,
  bundle: true,
  platform: 'node',
  target: 'node24',
  format: 'esm',
  banner,
  legalComments: 'linked',
  sourcemap: 'linked',
  sourcesContent: false,
  logLevel: 'warning'
})
