import baseConfig, { depConstraints } from '../../eslint.config.mjs';

export default [
  ...baseConfig,
  {
    // A one-off operations tool of the account System API: it applies that service's own schema
    // (its app plugin) to the target, and its proof starts the real gateway and service. Nothing
    // that ships imports this project.
    files: ['src/**/*.ts', 'test/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          allow: ['^.*/eslint(\\.base)?\\.config\\.[cm]?[jt]s$', '@bartholomew/account-system-api', '@bartholomew/core-banking-gateway'],
          depConstraints,
        },
      ],
    },
  },
];
