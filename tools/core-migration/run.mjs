#!/usr/bin/env node
// `npm run migrate:core`: the migration tool, bundled and run with the given arguments (tools/run-bundled.mjs).
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the workspace's runner of bundled tools, in no project
import { runBundled } from '../run-bundled.mjs';

await runBundled('core-migration', { main: join(fileURLToPath(new URL('.', import.meta.url)), 'src/main.ts') });
