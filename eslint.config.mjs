import nx from '@nx/eslint-plugin';

/**
 * API-led layering, enforced at build time (service credentials enforce it again at run time):
 * calls go down exactly one layer, experience -> process -> system -> backend.
 */
export const depConstraints = [
  // Layers
  { sourceTag: 'layer:shared', onlyDependOnLibsWithTags: ['layer:shared'] },
  { sourceTag: 'layer:backend', onlyDependOnLibsWithTags: ['layer:shared'] },
  { sourceTag: 'layer:system', onlyDependOnLibsWithTags: ['layer:shared', 'layer:system'] },
  { sourceTag: 'layer:process', onlyDependOnLibsWithTags: ['layer:shared', 'layer:process', 'layer:system'] },
  { sourceTag: 'layer:experience', onlyDependOnLibsWithTags: ['layer:shared', 'layer:experience', 'layer:process'] },
  // A System API calls no other API: no client library at all.
  { allSourceTags: ['layer:system', 'type:app'], notDependOnLibsWithTags: ['type:client'] },
  // Types
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib', 'type:kit', 'type:contracts', 'type:client', 'type:testing'] },
  { sourceTag: 'type:client', onlyDependOnLibsWithTags: ['type:lib', 'type:contracts', 'type:testing'] },
  // A layer's kit: what that layer's apps share, including their seam to the layer below (its client).
  { sourceTag: 'type:kit', onlyDependOnLibsWithTags: ['type:lib', 'type:contracts', 'type:client', 'type:testing'] },
  { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts'] },
  { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib', 'type:contracts', 'type:testing'] },
  { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:lib', 'type:contracts', 'type:testing'] },
  // Workspace tooling (tools/generators): nothing depends on it; it may read libraries and test support.
  { sourceTag: 'type:tooling', onlyDependOnLibsWithTags: ['type:lib', 'type:contracts', 'type:testing'] },
];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    ignores: ['**/dist', '**/out-tsc', '**/test-output', '.tools/**', '.data/**'],
  },
  {
    files: ['**/*.ts', '**/*.js', '**/*.cjs', '**/*.mjs'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          allow: ['^.*/eslint(\\.base)?\\.config\\.[cm]?[jt]s$', '^.*/jest\\.(shared|preset)\\.c?js$'],
          depConstraints,
        },
      ],
    },
  },
  {
    files: ['**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
];
