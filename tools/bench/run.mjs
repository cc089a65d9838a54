#!/usr/bin/env node
// `npm run bench`: the orchestrator, its load process and the baselines, bundled and run (tools/run-bundled.mjs).
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the workspace's runner of bundled tools, in no project
import { runBundled } from '../run-bundled.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
await runBundled('bench', {
  main: join(here, 'src/main.ts'),
  'load-driver': join(here, 'src/load/load-driver.ts'),
  'bare-fastify': join(here, 'src/baselines/bare-fastify.ts'),
  monolith: join(here, 'src/baselines/monolith.ts'),
});
