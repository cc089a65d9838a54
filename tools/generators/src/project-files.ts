import { posix } from 'node:path';
import { formatFiles, installPackagesTask, type GeneratorCallback, type Tree } from '@nx/devkit';
import type { ServiceNames } from './names.ts';
import { addRootReferences, referencesTo } from './workspace-edits.ts';

/**
 * The files every project of this workspace has, written exactly as the hand-made ones are:
 * package.json with `exports` and its two tags, tsconfig.json + tsconfig.lib|app.json +
 * tsconfig.spec.json with the references `nx sync` keeps, eslint.config.mjs and jest.config.cjs
 * over the root ones.
 */

export interface ProjectSpec {
  dir: string;
  packageName: string;
  description: string;
  kind: 'app' | 'lib';
  tags: [string, string];
  dependencies: string[];
  devDependencies?: string[];
  /** Third-party packages with their ranges (from the root package.json). */
  externalDependencies?: Record<string, string>;
  /** Merged into `nx`: targets. */
  targets?: Record<string, unknown>;
  /** Second argument of jest.shared.cjs, as a JS object literal. */
  jestOptions?: string;
  /** The package's entry point, relative to its folder. */
  main: string;
  /** Apps its tests may import (to run the real API below), as apps/onboarding-process-api's tests do. */
  testsMayImportApps?: string[];
  /** Merged into tsconfig.lib|app.json's compilerOptions (e.g. a library for browsers: no Node types). */
  compilerOptions?: Record<string, unknown>;
  /** eslint.config.mjs in full, instead of the root config as is. */
  eslintConfig?: string;
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

export function writeProject(tree: Tree, spec: ProjectSpec): void {
  const up = posix.relative(spec.dir, '.') || '.';
  const stars = (names: string[]) => Object.fromEntries(names.map((name) => [name, '*']));
  tree.write(
    posix.join(spec.dir, 'package.json'),
    json({
      name: spec.packageName,
      version: '0.0.1',
      private: true,
      description: spec.description,
      main: `./${spec.main}`,
      types: `./${spec.main}`,
      exports: { '.': `./${spec.main}`, './package.json': './package.json' },
      dependencies: { ...stars(spec.dependencies), ...spec.externalDependencies },
      ...(spec.devDependencies?.length ? { devDependencies: stars(spec.devDependencies) } : {}),
      nx: { tags: spec.tags, ...(spec.targets ? { targets: spec.targets } : {}) },
    }),
  );
  const build = spec.kind === 'app' ? 'app' : 'lib';
  tree.write(
    posix.join(spec.dir, 'tsconfig.json'),
    json({
      extends: `${up}/tsconfig.base.json`,
      files: [],
      include: [],
      references: [{ path: `./tsconfig.${build}.json` }, { path: './tsconfig.spec.json' }],
    }),
  );
  tree.write(
    posix.join(spec.dir, `tsconfig.${build}.json`),
    json({
      extends: `${up}/tsconfig.base.json`,
      compilerOptions: {
        rootDir: 'src',
        outDir: `out-tsc/${build}`,
        tsBuildInfoFile: `out-tsc/${build}/tsconfig.${build}.tsbuildinfo`,
        ...spec.compilerOptions,
      },
      include: ['src/**/*.ts'],
      exclude: ['src/**/*.spec.ts', 'src/**/*.test.ts'],
      references: referencesTo(tree, spec.dir, [...spec.dependencies, ...(spec.devDependencies ?? [])]),
    }),
  );
  tree.write(
    posix.join(spec.dir, 'tsconfig.spec.json'),
    json({
      extends: `${up}/tsconfig.base.json`,
      compilerOptions: { outDir: 'out-tsc/spec', tsBuildInfoFile: 'out-tsc/spec/tsconfig.spec.tsbuildinfo', types: ['jest', 'node'] },
      include: ['src/**/*.spec.ts', 'src/**/*.test.ts', 'test/**/*.ts'],
      references: [{ path: `./tsconfig.${build}.json` }],
    }),
  );
  tree.write(posix.join(spec.dir, 'eslint.config.mjs'), spec.eslintConfig ?? eslintConfig(up, spec.testsMayImportApps ?? []));
  const displayName = spec.packageName.replace('@bartholomew/', '');
  tree.write(
    posix.join(spec.dir, 'jest.config.cjs'),
    `module.exports = require('${up}/jest.shared.cjs')('${displayName}'${spec.jestOptions ? `, ${spec.jestOptions}` : ''});\n`,
  );
}

function eslintConfig(up: string, apps: string[]): string {
  if (apps.length === 0) return `import baseConfig from '${up}/eslint.config.mjs';\n\nexport default [...baseConfig];\n`;
  return `import baseConfig, { depConstraints } from '${up}/eslint.config.mjs';

export default [
  ...baseConfig,
  {
    // The tests run the REAL API below from its app plugin, on its own port and database. Only tests may import it.
    files: ['test/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          allow: ['^.*/eslint(\\\\.base)?\\\\.config\\\\.[cm]?[jt]s$', '^.*/jest\\\\.(shared|preset)\\\\.c?js$', ${apps.map((app) => `'${app}'`).join(', ')}],
          depConstraints,
        },
      ],
    },
  },
];
`;
}

/** The esbuild bundle and image targets every app has (see apps/billing-system-api/package.json). */
export function appTargets(names: ServiceNames, port: number): Record<string, unknown> {
  return {
    'docker-build': {
      command: `docker build -f deploy/Dockerfile --build-arg SERVICE=${names.name} --build-arg PORT=${port} -t bartholomew/${names.name}:latest .`,
      options: { cwd: '{workspaceRoot}' },
      cache: false,
    },
    build: {
      executor: '@nx/esbuild:esbuild',
      outputs: ['{options.outputPath}'],
      options: {
        platform: 'node',
        format: ['cjs'],
        bundle: true,
        thirdParty: false,
        main: `apps/${names.name}/src/main.ts`,
        outputPath: `dist/apps/${names.name}`,
        tsConfig: `apps/${names.name}/tsconfig.app.json`,
        declaration: false,
        skipTypeCheck: true,
        generatePackageJson: false,
        esbuildOptions: { outExtension: { '.js': '.js' } },
      },
    },
  };
}

/** Writes `files` (path relative to `dir` → content). */
export function writeFiles(tree: Tree, dir: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) tree.write(posix.join(dir, path), content);
}

/** libs/contracts/<api>: TypeBox schemas and types of the API, shared by its server and its client. */
export function writeContractProject(tree: Tree, names: ServiceNames, description: string, files: Record<string, string>): void {
  const dir = `libs/contracts/${names.api}`;
  writeProject(tree, {
    dir,
    packageName: names.contractsPackage,
    description,
    kind: 'lib',
    tags: [`layer:${names.layer}`, 'type:contracts'],
    dependencies: ['@bartholomew/contracts-shared'],
    externalDependencies: { '@sinclair/typebox': '*' },
    main: 'src/index.ts',
  });
  writeFiles(tree, dir, files);
}

/** apps/<name>: the service, with its esbuild bundle and image targets and tests against PostgreSQL. */
export function writeAppProject(
  tree: Tree,
  names: ServiceNames,
  port: number,
  spec: Pick<ProjectSpec, 'description' | 'dependencies' | 'devDependencies' | 'testsMayImportApps'>,
  files: Record<string, string>,
): void {
  const dir = `apps/${names.name}`;
  writeProject(tree, {
    ...spec,
    dir,
    packageName: names.appPackage,
    kind: 'app',
    tags: [`layer:${names.layer}`, 'type:app'],
    targets: appTargets(names, port),
    jestOptions: '{ database: true, testTimeout: 30000 }',
    main: 'src/app.ts',
  });
  writeFiles(tree, dir, files);
}

/**
 * libs/clients/<api>: the typed client, tagged with the layer of the API it calls (its callers sit one
 * layer up). Its tests run against the bundles of `testedAgainst` (this API and what it needs), as
 * callers meet them in production, so its test target depends on their builds.
 */
export function writeClientProject(
  tree: Tree,
  names: ServiceNames,
  spec: Pick<ProjectSpec, 'description' | 'dependencies' | 'compilerOptions' | 'eslintConfig'> & { testedAgainst: string[] },
  files: Record<string, string>,
): void {
  const dir = `libs/clients/${names.api}`;
  writeProject(tree, {
    dir,
    packageName: names.clientsPackage,
    description: spec.description,
    kind: 'lib',
    tags: [`layer:${names.layer}`, 'type:client'],
    dependencies: spec.dependencies,
    devDependencies: ['@bartholomew/testing'],
    targets: { test: { dependsOn: [{ projects: spec.testedAgainst, target: 'build' }] } },
    // Starting bundles and their databases takes seconds on a busy machine: more than Jest's 5 s default.
    jestOptions: '{ database: true, testTimeout: 30000 }',
    main: 'src/index.ts',
    compilerOptions: spec.compilerOptions,
    eslintConfig: spec.eslintConfig,
  });
  writeFiles(tree, dir, files);
}

/**
 * The last step of every generator: the new projects in the root tsconfig.json references,
 * everything formatted, then `npm install`, which links the new packages into node_modules and
 * records them in package-lock.json (npm ci needs both).
 */
export async function finishGenerator(tree: Tree, projectDirs: string[], skipInstall: boolean | undefined): Promise<GeneratorCallback | undefined> {
  addRootReferences(tree, projectDirs);
  await formatFiles(tree);
  return skipInstall ? undefined : () => installPackagesTask(tree, true);
}

/** The shared variables of every service's .env.example (libs/platform's ServiceConfigSchema). */
export function platformEnvExample(names: ServiceNames, port: number, database: boolean): string {
  return `# Interface and port to listen on (0.0.0.0 in containers).
HOST=127.0.0.1
PORT=${port}

# fatal | error | warn | info | debug | trace | silent
LOG_LEVEL=info
${
  database
    ? `
# PostgreSQL holding this service's database (migrations run at start). Leave unset to run an
# embedded PostgreSQL in DATA_DIR.
# DATABASE_URL=postgres://postgres@127.0.0.1:5432/${names.database}
`
    : ''
}
# Local data folder${database ? ': embedded PostgreSQL cluster and,' : ':'} without PII_ENCRYPTION_KEY, a development key.
DATA_DIR=.data

# Largest accepted request body, in bytes (1024..10485760).
BODY_LIMIT_BYTES=65536

# Longest time to receive a whole request, in ms (100..120000).
REQUEST_TIMEOUT_MS=10000

# On SIGTERM/SIGINT, how long in-flight requests may finish before the process exits, in ms.
SHUTDOWN_GRACE_MS=10000

# Longest one start-up step (migrations, worker pool) may take before the service exits, in ms.
STARTUP_TIMEOUT_MS=60000

# Slow or numerous clients: request headers must arrive within HEADERS_TIMEOUT_MS (else 408);
# idle keep-alive connections close after KEEP_ALIVE_TIMEOUT_MS (keep it above the load
# balancer's idle timeout); connections beyond MAX_CONNECTIONS are closed on arrival.
HEADERS_TIMEOUT_MS=5000
KEEP_ALIVE_TIMEOUT_MS=72000
MAX_CONNECTIONS=2000
# Open connections one peer address may hold (0: no cap). Behind a proxy the peer is the proxy:
# raise it above the proxy's connection pool.
MAX_CONNECTIONS_PER_PEER=256

# Proxies whose X-Forwarded-For gives the client address (request.ip): comma-separated
# addresses/CIDRs (loopback, linklocal, uniquelocal allowed) or a hop count. Empty trusts none.
TRUST_PROXY=

# base64 of 32 random bytes: keys request fingerprints (and encrypts PII at rest, if any).
# Required in production; unset, a development key is generated in DATA_DIR.
# PII_ENCRYPTION_KEY=
`;
}
