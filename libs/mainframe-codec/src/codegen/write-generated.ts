/** `npx nx run @bartholomew/mainframe-codec:generate`: writes the modules rendered from the copybooks. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderGeneratedFiles } from './render';

const libraryRoot = process.argv[2];
if (!libraryRoot) throw new Error('usage: write-generated <library root>');
for (const file of renderGeneratedFiles(libraryRoot)) {
  const target = join(libraryRoot, file.path);
  let current: string | undefined;
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    current = undefined; // not generated yet
  }
  if (current === file.text) continue;
  writeFileSync(target, file.text);
  console.log(`wrote ${file.path}`);
}
