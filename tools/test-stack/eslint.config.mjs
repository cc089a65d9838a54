import baseConfig, { depConstraints } from '../../eslint.config.mjs';

export default [
  ...baseConfig,
  {
    // Test support only: it starts the REAL apps below the Experience APIs from their app plugins
    // (and the core-banking gateway below the account System API on its mainframe backend), so it
    // may import those apps (nothing that ships imports this project).
    files: ['src/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          allow: [
            '^.*/eslint(\\.base)?\\.config\\.[cm]?[jt]s$',
            '@bartholomew/onboarding-process-api',
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
