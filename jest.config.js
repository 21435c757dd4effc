// Tests run from TypeScript sources through swc (TypeScript 7 has no JS API for ts-jest); type-checking is
// `npm run typecheck`, run first by `npm test`. Two lanes (test/lanes.js): `--selectProjects unit` and
// `--selectProjects integration`; plain `jest` runs both.
const { unitIgnore, unitMatch } = require('./test/lanes');

const common = {
  rootDir: __dirname,
  roots: ['<rootDir>/test'],
  testEnvironment: 'node',
  transform: { '^.+\\.tsx?$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
};

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: unitMatch },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', ...unitIgnore],
    },
  ],
  // Per test (and hook): a test waiting on something that never comes fails by name instead of holding the run.
  testTimeout: 30_000,
  reporters: [
    'default',
    '<rootDir>/test/support/reporters/summary-reporter.js',
    '<rootDir>/test/support/reporters/progress-reporter.js',
  ],
};
