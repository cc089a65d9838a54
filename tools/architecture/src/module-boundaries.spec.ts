import { resolve } from 'node:path';
import { ESLint } from 'eslint';

/**
 * The layering of ARCHITECTURE.md is enforced by `@nx/enforce-module-boundaries`. These tests lint
 * imports as if they were written inside each app, and prove that forbidden ones fail lint —
 * so nobody can loosen the depConstraints without a red test.
 */
const workspaceRoot = resolve(__dirname, '../../..');
const eslint = new ESLint({ cwd: workspaceRoot });

async function boundaryErrors(importer: string, imported: string): Promise<string[]> {
  const code = `import * as dependency from '${imported}';\nexport const used = dependency;\n`;
  const [result] = await eslint.lintText(code, { filePath: resolve(workspaceRoot, importer, 'src/boundary-fixture.ts') });
  return result.messages.filter((m) => m.ruleId === '@nx/enforce-module-boundaries').map((m) => m.message);
}

describe('API-led module boundaries', () => {
  it('refuses an API client inside a System API (a System API calls no other API)', async () => {
    const errors = await boundaryErrors('apps/account-system-api', '@bartholomew/clients-billing-system');
    expect(errors.join('\n')).toMatch(/tags constraints|not allowed/i);
  });

  it('refuses one System API importing the contracts of its own layer’s client from another app', async () => {
    const errors = await boundaryErrors('apps/billing-system-api', '@bartholomew/clients-account-system');
    expect(errors.length).toBeGreaterThan(0);
  });

  it('lets a System API use the shared platform and its own contracts', async () => {
    expect(await boundaryErrors('apps/account-system-api', '@bartholomew/platform')).toEqual([]);
    expect(await boundaryErrors('apps/account-system-api', '@bartholomew/contracts-account-system')).toEqual([]);
  });

  it('refuses shared libraries depending on a layer above them', async () => {
    const errors = await boundaryErrors('libs/platform', '@bartholomew/contracts-account-system');
    expect(errors.length).toBeGreaterThan(0);
  });
});
