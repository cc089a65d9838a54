#!/usr/bin/env node
// `npx nx run @bartholomew/mainframe-codec:generate`: bundles the generator with esbuild (the
// library's TypeScript compiled in, like tools/contracts/generate.mjs) and runs it, so the
// generated modules under src/generated follow copybooks/*.cpy.
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const libraryRoot = fileURLToPath(new URL('.', import.meta.url));
const root = resolve(libraryRoot, '../..');
const outdir = join(root, 'dist/libs/mainframe-codec');
await build({
  entryPoints: { 'write-generated': join(libraryRoot, 'src/codegen/write-generated.ts') },
  outdir,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node24',
  logLevel: 'warning',
});
const run = spawnSync(process.execPath, [join(outdir, 'write-generated.js'), libraryRoot], { stdio: 'inherit', cwd: root });
process.exit(run.status ?? 1);
