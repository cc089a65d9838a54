/**
 * The one Jest setup every project uses: SWC compiles TypeScript to CommonJS,
 * and the few ESM-only packages that light-my-request pulls in are compiled too.
 */
module.exports = function jestConfig(displayName, overrides = {}) {
  return {
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
