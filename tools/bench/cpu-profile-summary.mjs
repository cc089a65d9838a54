#!/usr/bin/env node
// A V8 .cpuprofile (BENCH_CPU_PROFILE_DIR, or node --cpu-prof) summarised: self time by package or
// file, and by function — where a hop's CPU goes, without opening DevTools.
//   node tools/bench/cpu-profile-summary.mjs <file.cpuprofile> [how many rows, 40]
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const [file, rows = '40'] = process.argv.slice(2);
if (!file) {
  console.error('usage: node tools/bench/cpu-profile-summary.mjs <file.cpuprofile> [rows]');
  process.exit(2);
}
const root = fileURLToPath(new URL('../../', import.meta.url));
const profile = JSON.parse(readFileSync(file, 'utf8'));
const nodes = new Map(profile.nodes.map((node) => [node.id, node]));

// Self time per profile node: each sample is charged the time until the next one.
const selfUs = new Map();
profile.samples.forEach((id, index) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)));
const totalUs = [...selfUs.values()].reduce((sum, us) => sum + us, 0);

/** A third-party package by name, Node's own modules by module, our code by path. */
function placeOf({ callFrame }) {
  const url = callFrame.url ?? '';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  if (url.startsWith('node:')) return url;
  if (!url) return `(${callFrame.functionName || 'native'})`;
  return url.replace(/^file:\/\//, '').replace(root, '');
}

function table(title, keyOf) {
  const sums = new Map();
  for (const [id, us] of selfUs) {
    const key = keyOf(nodes.get(id));
    sums.set(key, (sums.get(key) ?? 0) + us);
  }
  console.log(`\n${title}`);
  for (const [key, us] of [...sums].sort((a, b) => b[1] - a[1]).slice(0, Number(rows))) {
    console.log(`${((100 * us) / totalUs).toFixed(1).padStart(5)} %  ${key}`);
  }
}

console.log(`${file}: ${(totalUs / 1000).toFixed(0)} ms sampled`);
table('self time by package or file', placeOf);
table('self time by function', (node) => `${node.callFrame.functionName || '(anonymous)'}  ${placeOf(node)}:${node.callFrame.lineNumber + 1}`);
