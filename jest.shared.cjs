/**
 * The one Jest setup every project uses: SWC compiles TypeScript to CommonJS,
 * and the few ESM-only packages that light-my-request pulls in are compiled too.
 */
const path = require('node:path');

/** One PostgreSQL server per Jest run (unless TEST_DATABASE_URL names one); a database per test file. */
const withDatabase = {
  globalSetup: path.join(__dirname, 'libs/testing/src/jest-global-setup.ts'),
  globalTeardown: path.join(__dirname, 'libs/testing/src/jest-global-teardown.ts'),
};

module.exports = function jestConfig(displayName, { database = false, ...overrides } = {}) {
  return {
    ...(database ? withDatabase : {}),
    displayName,
    preset: require.resolve('./jest.preset.js'),
    testEnvironment: 'node',
    transform: {
      '^.+\\.[cm]?[tj]s$': [
        '@swc/jest',
        {
          swcrc: false,
          jsc: { target: 'es2023', parser: { syntax: 'typescript' }, keepClassNames: true },
          module: { type: 'commonjs' },
          sourceMaps: 'inline',
        },
      ],
    },
    transformIgnorePatterns: ['/node_modules/(?!(cookie|content-disposition|jose)/)'],
    moduleFileExtensions: ['ts', 'js', 'cjs', 'mjs', 'json'],
    testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
    coverageDirectory: 'test-output/jest/coverage',
    ...overrides,
  };
};
