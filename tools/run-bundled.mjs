// How the workspace's TypeScript tools run without a build step of their own (`npm run bench`,
// `npm run openapi`, `npm run migrate:core`): esbuild bundles the tool — workspace packages
// compiled in, third-party packages left to node_modules — into dist/tools/<name> (inside the
// workspace, so the bundle resolves node_modules like the sources do), then runs its first entry
// point with the arguments given, and exits with its status.
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');

const thirdPartyExternal = {
  name: 'third-party-external',
  setup(builder) {
    builder.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@bartholomew/') ? undefined : { path: args.path, external: true }));
  },
};

/**
 * @param {string} name the tool's folder under dist/tools
 * @param {Record<string, string>} entryPoints output name → source path; the first is run
 * @param {string[]} args passed to it
 */
export async function runBundled(name, entryPoints, args = process.argv.slice(2)) {
  const outdir = join(root, 'dist/tools', name);
  await build({
    entryPoints,
    outdir,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node24',
    plugins: [thirdPartyExternal],
    logLevel: 'warning',
  });
  const [main] = Object.keys(entryPoints);
  const run = spawnSync(process.execPath, [join(outdir, `${main}.js`), ...args], { stdio: 'inherit', cwd: root });
  process.exit(run.status ?? 1);
}
