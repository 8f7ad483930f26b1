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

const common = {
  define: { __FLEETPACK_VERSION__: JSON.stringify(version) },
  bundle: true,
  platform: 'node',
  target: 'node24',
  format: 'esm',
  banner,
  legalComments: 'linked',
  sourcemap: false,
  logLevel: 'warning'
}

await build({ ...common, entryPoints: ['src/index.ts'], outfile: 'dist/index.js' })
await build({
  ...common,
  entryPoints: ['src/cli.ts'],
  outfile: 'dist/cli.js',
  banner: { js: '#!/usr/bin/env node\n' + banner.js }
})
