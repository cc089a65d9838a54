import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

/**
 * The layering of ARCHITECTURE.md is enforced by `@nx/enforce-module-boundaries`. These tests lint
 * imports as if they were written inside each app, and prove that forbidden ones fail lint —
 * so nobody can loosen the depConstraints without a red test.
 */
const workspaceRoot = resolve(__dirname, '../../..');
const eslintBin = resolve(workspaceRoot, 'node_modules/eslint/bin/eslint.js');

/**
 * Lints a one-line import as if it were a file inside `importer`. ESLint runs as a child process
 * (its config loader needs real dynamic import, which Jest's module sandbox does not offer).
 */
async function boundaryErrors(importer: string, imported: string): Promise<string[]> {
  const code = `import * as dependency from '${imported}';\nexport const used = dependency;\n`;
  const run = spawnSync(
    process.execPath,
    [eslintBin, '--format', 'json', '--stdin', '--stdin-filename', resolve(workspaceRoot, importer, 'src/boundary-fixture.ts')],
    { cwd: workspaceRoot, input: code, encoding: 'utf8', env: { ...process.env, NX_DAEMON: 'false' } },
  );
  if (!run.stdout) throw new Error(`eslint produced no report: ${run.stderr}`);
  const [result] = JSON.parse(run.stdout) as Array<{ messages: Array<{ ruleId: string | null; message: string }> }>;
  return result.messages.filter((m) => m.ruleId === '@nx/enforce-module-boundaries').map((m) => m.message);
}

describe('API-led module boundaries', () => {
  it('refuses an API client inside a System API (a System API calls no other API)', async () => {
    const errors = await boundaryErrors('apps/account-system-api', '@bartholomew/clients-billing-system');
    expect(errors.join('\n')).toMatch(/tagged with "layer:system" and "type:app" can not depend on libs tagged with "type:client"/);
  });

  it('refuses a System API calling a sibling System API through its client', async () => {
    const errors = await boundaryErrors('apps/billing-system-api', '@bartholomew/clients-account-system');
    expect(errors.join('\n')).toMatch(/can not depend on libs tagged with "type:client"/);
  });

  it('refuses an app importing another app', async () => {
    const errors = await boundaryErrors('apps/billing-system-api', '@bartholomew/account-system-api');
    expect(errors.join('\n')).toMatch(/Imports of apps are forbidden/);
  });

  it('lets a System API use the shared platform and its own contracts', async () => {
    expect(await boundaryErrors('apps/account-system-api', '@bartholomew/platform')).toEqual([]);
    expect(await boundaryErrors('apps/account-system-api', '@bartholomew/contracts-account-system')).toEqual([]);
  });

  it('refuses shared libraries depending on a layer above them', async () => {
    const errors = await boundaryErrors('libs/platform', '@bartholomew/contracts-account-system');
    expect(errors.join('\n')).toMatch(/tagged with "layer:shared" can only depend on libs tagged with "layer:shared"/);
  });
});
