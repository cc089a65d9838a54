import baseConfig from '../../eslint.config.mjs';

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
      'no-restricted-imports': [
        'error',
        { paths: AD_HOC_HTTP.map((name) => ({ name, message: 'Call the Process API through @bartholomew/clients-onboarding-process.' })) },
      ],
      'no-restricted-globals': ['error', { name: 'fetch', message: 'Call the Process API through @bartholomew/clients-onboarding-process.' }],
    },
  },
];
