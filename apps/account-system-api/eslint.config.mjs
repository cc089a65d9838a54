import baseConfig, { depConstraints } from '../../eslint.config.mjs';

export default [
  ...baseConfig,
  {
    // Tests only: the mainframe adapter's tests start the REAL core-banking gateway in-process
    // (`startGateway`), so they may import that app. Nothing under src/ may.
    files: ['test/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          allow: ['^.*/eslint(\\.base)?\\.config\\.[cm]?[jt]s$', '^.*/jest\\.(shared|preset)\\.c?js$', '@bartholomew/core-banking-gateway'],
          depConstraints,
        },
      ],
    },
  },
];
