#!/usr/bin/env node
// `npm run openapi`: the OpenAPI generator, bundled and run (tools/run-bundled.mjs).
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the workspace's runner of bundled tools, in no project
import { runBundled } from '../run-bundled.mjs';

await runBundled('contracts', { 'generate-openapi': join(fileURLToPath(new URL('.', import.meta.url)), 'src/generate-openapi.ts') }, []);
