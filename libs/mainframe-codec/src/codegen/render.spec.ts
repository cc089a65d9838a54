import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COPYBOOK_SOURCES } from '../generated/copybook-sources';
import { renderGeneratedFiles } from './render';

const LIBRARY_ROOT = join(__dirname, '../..');

describe('the generated modules', () => {
  it('are what the copybooks render to today (else run `npx nx run @bartholomew/mainframe-codec:generate`)', () => {
    const files = renderGeneratedFiles(LIBRARY_ROOT);
    expect(files.map((file) => file.path)).toEqual(['src/generated/copybook-sources.ts', 'src/generated/records.ts']);
    for (const file of files) expect({ path: file.path, text: readFileSync(join(LIBRARY_ROOT, file.path), 'utf8') }).toEqual(file);
  }, 30_000);

  it('carry each copybook exactly as its file holds it', () => {
    for (const [member, text] of Object.entries(COPYBOOK_SOURCES))
      expect(text).toBe(readFileSync(join(LIBRARY_ROOT, 'copybooks', `${member}.cpy`), 'utf8'));
  });
});
