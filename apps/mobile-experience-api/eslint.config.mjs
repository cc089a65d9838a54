import baseConfig, { depConstraints } from '../../eslint.config.mjs';

/** Ways to reach another service other than its typed client. */
const AD_HOC_HTTP = ['undici', 'http', 'https', 'http2', 'node:http', 'node:https', 'node:http2', 'axios', 'got', 'node-fetch'];

export default [
  ...baseConfig,
  {
    // An Experience API calls the onboarding Process API only, and only through its client
    // (@bartholomew/clients-onboarding-process): module boundaries refuse System API clients, and
    // this refuses ad-hoc HTTP that would bypass the client's breaker, timeouts and credential.
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: AD_HOC_HTTP.map((name) => ({ name, message: 'Call the Process API through @bartholomew/clients-onboarding-process.' })) }],
      'no-restricted-globals': ['error', { name: 'fetch', message: 'Call the Process API through @bartholomew/clients-onboarding-process.' }],
    },
  },
  {
    // End-to-end tests start the REAL Process API and the System APIs below it from their app
    // plugins, each on its own port and database. Only tests may import those apps.
    files: ['test/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          allow: [
            '^.*/eslint(\\.base)?\\.config\\.[cm]?[jt]s$',
            '^.*/jest\\.(shared|preset)\\.c?js$',
            '@bartholomew/onboarding-process-api',
            '@bartholomew/account-system-api',
            '@bartholomew/billing-system-api',
          ],
          depConstraints,
        },
      ],
    },
  },
];
