#!/usr/bin/env node
// Bundles the migration tool with esbuild — workspace packages compiled in, third-party packages
// left to node_modules — and runs it with the given arguments (as tools/bench/run.mjs does).
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = resolve(here, '../..');
const outdir = join(root, 'dist/tools/core-migration');
const thirdPartyExternal = {
  name: 'third-party-external',
  setup(builder) {
    builder.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@bartholomew/') ? undefined : { path: args.path, external: true }));
  },
};
await build({
  entryPoints: { main: join(here, 'src/main.ts') },
  outdir,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node24',
  plugins: [thirdPartyExternal],
  logLevel: 'warning',
});
const run = spawnSync(process.execPath, [join(outdir, 'main.js'), ...process.argv.slice(2)], { stdio: 'inherit', cwd: root });
process.exit(run.status ?? 1);
