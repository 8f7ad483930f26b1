// Tests are TypeScript ES modules, run under Node 24 (the `node` devDependency
// puts it first on PATH in npm scripts) with jest's ESM support.
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: { isolatedModules: true } }]
  },
  testMatch: ['**/__tests__/**/*.test.ts'],
  testTimeout: 60_000,
  collectCoverageFrom: ['src/**/*.ts'],
  verbose: true,
  reporters: ['default', '<rootDir>/scripts/jest-summary-reporter.js']
}
