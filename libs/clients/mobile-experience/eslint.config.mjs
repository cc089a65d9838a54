import baseConfig from '../../../eslint.config.mjs';

/** Node's built-in modules, with and without the `node:` prefix. */
const NODE_BUILTINS = [
  'assert',
  'buffer',
  'child_process',
  'crypto',
  'dns',
  'events',
  'fs',
  'http',
  'http2',
  'https',
  'net',
  'os',
  'path',
  'process',
  'querystring',
  'stream',
  'string_decoder',
  'timers',
  'tls',
  'url',
  'util',
  'worker_threads',
  'zlib',
];

export default [
  ...baseConfig,
  {
    // This client runs inside the React Native app: the platform's global fetch only. No Node
    // built-ins, no undici, no server platform; contracts for their types only (no TypeBox at run time).
    files: ['src/**/*.ts'],
    ignores: ['src/**/*.spec.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            ...NODE_BUILTINS.flatMap((name) => [name, `node:${name}`]).map((name) => ({
              name,
              message: 'The mobile client runs in React Native: no Node built-ins.',
            })),
            { name: 'undici', message: 'Use the global fetch: the mobile client runs in React Native.' },
            { name: '@bartholomew/platform', message: 'The server platform does not run in React Native.' },
            {
              name: '@bartholomew/contracts-mobile-experience',
              allowTypeImports: true,
              message: 'Import types only: schemas would ship TypeBox to the phone.',
            },
            { name: '@bartholomew/contracts-shared', allowTypeImports: true, message: 'Import types only: schemas would ship TypeBox to the phone.' },
            { name: '@sinclair/typebox', allowTypeImports: true, message: 'Import types only.' },
          ],
          patterns: [
            { group: ['node:*'], message: 'The mobile client runs in React Native: no Node built-ins.' },
            { group: ['@bartholomew/platform/*'], message: 'The server platform does not run in React Native (no entry point of it does).' },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'Buffer', message: 'Not in React Native.' },
        { name: 'process', message: 'Not in React Native.' },
        { name: 'require', message: 'Not in React Native.' },
        { name: '__dirname', message: 'Not in React Native.' },
      ],
    },
  },
];
