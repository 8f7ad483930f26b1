import { readdirSync } from 'node:fs'
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import jest from 'eslint-plugin-jest'
import prettier from 'eslint-config-prettier'

/**
 * The layers of src/, each depending only on those below it:
 *
 *   entry      index.ts, cli.ts
 *   interface  action/, cli/, options/ (the options table, read from either surface)
 *   app        publish, plan, promote, prune, validate, diff, tags, unchanged,
 *              components, context, inputs (the other src/*.ts)
 *   sign       sign/        (self-verification calls down into verify/)
 *   verify     verify/
 *   formats    cosign/, artifact/
 *   oci        oci/
 *   base       errors.ts, text.ts
 *
 * Each folder lists what it may not import; a lint error names the layer.
 */
/**
 * The app layer: every module at the top of src/ but the entries and the
 * base, read from the folder, so a new module is in a layer from the start.
 */
const APP = readdirSync(new URL('./src/', import.meta.url))
  .filter(file => file.endsWith('.ts'))
  .map(file => file.replace(/\.ts$/, ''))
  .filter(name => !['index', 'cli', 'errors', 'text'].includes(name))
const ABOVE = {
  interface: ['cli'],
  app: ['action', 'cli'],
  sign: APP,
  verify: ['sign'],
  formats: ['verify'],
  oci: ['artifact', 'cosign'],
  base: ['oci']
}
const ORDER = ['interface', 'app', 'sign', 'verify', 'formats', 'oci', 'base']
/** Every module name of the layers above `layer` (its own layer's siblings stay allowed). */
function above(layer) {
  return ORDER.slice(0, ORDER.indexOf(layer) + 1).flatMap(l => ABOVE[l])
}
function layer(files, name, extra = []) {
  const names = [...new Set([...above(name), ...extra])]
  return {
    files,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: names.flatMap(n => [
                `./${n}`,
                `./${n}.js`,
                `./${n}/*`,
                `../${n}`,
                `../${n}.js`,
                `../${n}/*`
              ]),
              message: `src/ is layered (eslint.config.mjs): this module may only import from layers below "${name}"`
            }
          ]
        }
      ]
    }
  }
}

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.cache/', 'coverage/', '__tests__/fixtures/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        fetch: 'readonly',
        setTimeout: 'readonly'
      }
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }]
    }
  },
  // Type-checked rules for the product's code: floating promises, misused
  // promises and unsafe any are bugs a reviewer cannot see.
  ...tseslint.configs.recommendedTypeChecked.map(config => ({
    ...config,
    files: ['src/**/*.ts']
  })),
  {
    files: ['src/**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname }
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error'
    }
  },
  layer(['src/action/**/*.ts', 'src/cli/**/*.ts', 'src/options/**/*.ts'], 'interface'),
  layer(
    APP.map(name => `src/${name}.ts`),
    'app'
  ),
  layer(['src/sign/**/*.ts'], 'sign'),
  layer(['src/verify/**/*.ts'], 'verify'),
  layer(['src/cosign/**/*.ts'], 'formats', ['artifact']),
  layer(['src/artifact/**/*.ts'], 'formats', ['cosign']),
  layer(['src/oci/**/*.ts'], 'oci'),
  layer(['src/errors.ts', 'src/text.ts'], 'base'),
  { files: ['__tests__/**/*.ts'], ...jest.configs['flat/recommended'] },
  prettier
)
