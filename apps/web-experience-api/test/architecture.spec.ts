import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

/**
 * "Calls only go down one layer, through the client": lint refuses anything else in this
 * service's source — a System API client, ad-hoc HTTP (undici, node:http, global fetch) — and lets
 * the Process API client through. Linted as the project lints itself (its own ESLint config).
 */
const projectRoot = resolve(__dirname, '..');
const eslintBin = resolve(projectRoot, '../../node_modules/eslint/bin/eslint.js');

function lintMessages(code: string): string[] {
  const run = spawnSync(process.execPath, [eslintBin, '--format', 'json', '--stdin', '--stdin-filename', resolve(projectRoot, 'src/fixture.ts')], {
    cwd: projectRoot,
    input: code,
    encoding: 'utf8',
    env: { ...process.env, NX_DAEMON: 'false' },
  });
  if (!run.stdout) throw new Error(`eslint produced no report: ${run.stderr}`);
  const [result] = JSON.parse(run.stdout) as Array<{ messages: Array<{ ruleId: string | null; message: string }> }>;
  return result.messages.filter((m) => m.ruleId !== '@typescript-eslint/no-unused-vars').map((m) => `${m.ruleId}: ${m.message}`);
}

describe('the web Experience API reaches the Process API only through its client', () => {
  it.each([
    [
      'a System API client',
      "import { HttpAccountSystemClient } from '@bartholomew/clients-account-system';\nexport const c = HttpAccountSystemClient;",
      /enforce-module-boundaries/,
    ],
    [
      'a System API contract',
      "import { AccountSchema } from '@bartholomew/contracts-account-system';\nexport const c = AccountSchema;",
      /enforce-module-boundaries/,
    ],
    ['undici', "import { request } from 'undici';\nexport const c = request;", /clients-onboarding-process/],
    ['node:http', "import { request } from 'node:http';\nexport const c = request;", /clients-onboarding-process/],
    ['the global fetch', "export const c = () => fetch('http://onboarding-process-api:3201/v1/onboardings');", /clients-onboarding-process/],
  ])('lint refuses %s in src/', (_label, code, message) => {
    expect(lintMessages(code).join('\n')).toMatch(message);
  });

  it('lint accepts the Process API client and contract', () => {
    const code =
      "import { HttpOnboardingProcessClient } from '@bartholomew/clients-onboarding-process';\nimport { OnboardingSchema } from '@bartholomew/contracts-onboarding-process';\nexport const c = [HttpOnboardingProcessClient, OnboardingSchema];\n";
    expect(lintMessages(code)).toEqual([]);
  });
});
