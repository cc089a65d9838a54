#!/usr/bin/env node
// `npm run openapi`: bundles the generator with esbuild — workspace packages compiled in,
// third-party packages left to node_modules (like tools/bench/run.mjs) — and runs it.
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = resolve(here, '../..');
// Inside the workspace, so the bundle resolves node_modules like the sources do.
const outdir = join(root, 'dist/tools/contracts');
const thirdPartyExternal = {
  name: 'third-party-external',
  setup(builder) {
    builder.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@bartholomew/') ? undefined : { path: args.path, external: true }));
  },
};
await build({
  entryPoints: { 'generate-openapi': join(here, 'src/generate-openapi.ts') },
  outdir,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node24',
  plugins: [thirdPartyExternal],
  logLevel: 'warning',
});
const run = spawnSync(process.execPath, [join(outdir, 'generate-openapi.js')], {
  stdio: 'inherit',
  cwd: root,
});
process.exit(run.status ?? 1);
