import baseConfig, { depConstraints } from '../../eslint.config.mjs';

export default [
  ...baseConfig,
  {
    // End-to-end tests start the REAL account and billing System APIs from their app plugins,
    // each on its own port and database, and the core-banking gateway below the account System
    // API on its mainframe backend. Only tests may import those apps.
    files: ['test/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          allow: [
            '^.*/eslint(\\.base)?\\.config\\.[cm]?[jt]s$',
            '^.*/jest\\.(shared|preset)\\.c?js$',
            '@bartholomew/account-system-api',
            '@bartholomew/billing-system-api',
            '@bartholomew/core-banking-gateway',
          ],
          depConstraints,
        },
      ],
    },
  },
];
