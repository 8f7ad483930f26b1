// Tests are TypeScript ES modules, run under Node 24 (the `node` devDependency
// puts it first on PATH in npm scripts) with jest's ESM support.
//
// Three tiers, each a jest project (`jest --selectProjects unit`):
//   unit  in-process, no external tools, no dist/: seconds (npm run test:unit)
//   e2e   the bundled action and CLI as child processes against the real
//         registry, the local Sigstore stack and the real cosign/skopeo/oras
//   soak  faults, crashes, a 2 GiB tree and a hung registry: the slow ones
// `npm test` runs all three, with coverage of src/ from the in-process tests.
const shared = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: { isolatedModules: true } }]
  }
}

export default {
  projects: ['unit', 'e2e', 'soak'].map(tier => ({
    ...shared,
    displayName: tier,
    testMatch: [`<rootDir>/__tests__/${tier}/**/*.test.ts`]
  })),
  testTimeout: 60_000,
  collectCoverageFrom: ['src/**/*.ts'],
  coverageReporters: ['text-summary', 'json-summary'],
  // The floor is what the in-process tests measured (84.9% statements, 74.5%
  // branches, 85.1% functions, 86.9% lines) less a small margin: a change
  // that drops coverage below it fails `npm test`.
  coverageThreshold: { global: { statements: 85, branches: 74, functions: 86, lines: 87 } },
  verbose: true,
  reporters: ['default', '<rootDir>/scripts/jest-summary-reporter.js']
}
