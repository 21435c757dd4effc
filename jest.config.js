// Tests run from TypeScript sources through swc (TypeScript 7 has no JS API for ts-jest); type-checking is
// `npm run typecheck`, run first by `npm test`.
/** @type {import('jest').Config} */
module.exports = {
  roots: ['<rootDir>/test'],
  testEnvironment: 'node',
  transform: { '^.+\\.tsx?$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  testTimeout: 60000,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
};
