import baseConfig, { depConstraints } from '../../eslint.config.mjs';

export default [
  ...baseConfig,
  {
    // Contract governance only: it builds every app from its app plugin to read its OpenAPI document
    // and starts the mobile app for the generated-client journey (nothing that ships imports this project).
    files: ['src/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          allow: [
            '^.*/eslint(\\.base)?\\.config\\.[cm]?[jt]s$',
            '@bartholomew/account-system-api',
            '@bartholomew/billing-system-api',
            '@bartholomew/onboarding-process-api',
            '@bartholomew/mobile-experience-api',
            '@bartholomew/web-experience-api',
          ],
          depConstraints,
        },
      ],
    },
  },
];
