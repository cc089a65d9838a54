#!/usr/bin/env node
// Bundles a TypeScript benchmark with esbuild (third-party packages stay external) and runs it.
import { spawnSync } from 'node:child_process';
import { basename, join, resolve } from 'node:path';
import { build } from 'esbuild';

const entry = resolve(process.argv[2]);
// Inside the workspace, so the bundle resolves node_modules like the sources do.
const outfile = join(process.cwd(), 'dist/bench', `${basename(entry, '.ts')}.cjs`);
await build({
  entryPoints: [entry],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node24',
  packages: 'external',
  logLevel: 'warning',
});
const run = spawnSync(process.execPath, [outfile], { stdio: 'inherit' });
process.exit(run.status ?? 1);
