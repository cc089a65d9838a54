/**
 * The Node version this workspace runs on (package.json `engines`), checked before anything that
 * would crash on another one with a stack trace (undici 8 on Node 20). Plain Node and built-ins
 * only, so that it runs on any Node still in use:
 *   - `npm ci` / `npm install`: the root `preinstall` script (`node tools/node-version.mjs`);
 *   - `npm start`: the first thing tools/start-stack.mjs does.
 * An unsupported Node gets one line naming the version needed, and exit code 1.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const parse = (version) =>
  version
    .replace(/^v/, '')
    .split('.')
    .map((part) => Number.parseInt(part, 10) || 0);
function compare(a, b) {
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) - (b[i] ?? 0);
  return 0;
}
const SATISFIED = {
  '>=': (c) => c >= 0,
  '>': (c) => c > 0,
  '<=': (c) => c <= 0,
  '<': (c) => c < 0,
  '=': (c) => c === 0,
  '': (c) => c === 0,
};

/** True when `version` meets every comparator of a range like ">=24 <25" (the form `engines` uses here). */
export function satisfies(version, range) {
  const comparators = range.trim().split(/\s+/).filter(Boolean);
  return comparators.every((comparator) => {
    const [, operator, bound] = /^(>=|<=|>|<|=)?v?(\d+(?:\.\d+){0,2})$/.exec(comparator) ?? [];
    if (bound === undefined) throw new Error(`unsupported engines range "${range}"`);
    return SATISFIED[operator ?? ''](compare(parse(version), parse(bound)));
  });
}

/** The one line refusing this Node, or undefined when it is supported. */
export function nodeVersionProblem(
  version = process.versions.node,
  range = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).engines.node,
) {
  if (satisfies(version, range)) return undefined;
  const needed = /^>=\s*v?(\d+)\s+<\s*v?(\d+)$/.exec(range.trim());
  const wanted = needed && Number(needed[2]) === Number(needed[1]) + 1 ? `Node ${needed[1]}` : `Node ${range}`;
  return `This workspace needs ${wanted} (package.json engines: "${range}"); this is Node ${version}. Switch with \`nvm use\` (.nvmrc) or install Node ${needed?.[1] ?? range}, then run the command again.`;
}

/** Exits with the one line when this Node is unsupported. */
export function requireSupportedNode() {
  const problem = nodeVersionProblem();
  if (problem) {
    console.error(problem);
    process.exit(1);
  }
}

// Run as the preinstall script. `npm ci --dry-run` (a lock-file check) installs and runs nothing,
// so it is not refused: only a real install would leave a workspace that crashes on this Node.
const dryRun = process.env.npm_config_dry_run === 'true';
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href && !dryRun) requireSupportedNode();
