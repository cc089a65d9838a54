import baseConfig, { depConstraints } from '../../../eslint.config.mjs';

export default [
  ...baseConfig,
  {
    // The client's tests run it against the real account System API over HTTP. Only tests may
    // import the app; the client itself stays within its layer's constraints.
    files: ['test/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          allow: ['^.*/eslint(\\.base)?\\.config\\.[cm]?[jt]s$', '^.*/jest\\.(shared|preset)\\.c?js$', '@bartholomew/account-system-api'],
          depConstraints,
        },
      ],
    },
  },
];
