import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SERVICES, WORKSPACE_ROOT, documentPath } from './contract-files';

/** The committed ruleset: Spectral's OpenAPI rules and the OWASP API Security Top 10 (2023) rules. */
const RULESET = join(WORKSPACE_ROOT, 'contracts/.spectral.yaml');
const SEVERITY = ['error', 'warning', 'information', 'hint'] as const;

interface SpectralResult {
  code: string;
  message: string;
  severity: 0 | 1 | 2 | 3;
  path: string[];
}

/** Runs the Spectral CLI on one document (a child process: the CLI is what CI and developers run). */
function lint(file: string): SpectralResult[] {
  const run = spawnSync(
    process.execPath,
    [join(WORKSPACE_ROOT, 'node_modules/@stoplight/spectral-cli/dist/index.js'), 'lint', '--ruleset', RULESET, '--format', 'json', '--quiet', file],
    { cwd: WORKSPACE_ROOT, encoding: 'utf8' },
  );
  if (!run.stdout.trim().startsWith('[')) throw new Error(`spectral did not lint ${file}: ${run.stderr || run.stdout}`);
  return JSON.parse(run.stdout) as SpectralResult[];
}

const errorsOf = (results: SpectralResult[]) =>
  results.filter((result) => SEVERITY[result.severity] === 'error').map((result) => `${result.code} at ${result.path.join('.')}: ${result.message}`);

describe('Spectral (OpenAPI + OWASP API Security rulesets)', () => {
  it.each(SERVICES)('finds no error in the committed document of %s', (service) => {
    expect(errorsOf(lint(documentPath(service)))).toEqual([]);
  });

  describe('on a document that breaks the rules the platform keeps', () => {
    let folder: string;
    beforeAll(() => {
      // Beside the committed documents, so the ruleset's per-file overrides do not apply to it.
      folder = mkdtempSync(join(WORKSPACE_ROOT, 'contracts', '.lint-'));
    });
    afterAll(() => rmSync(folder, { recursive: true, force: true }));

    it('reports them as errors', () => {
      const document = JSON.parse(readFileSync(join(WORKSPACE_ROOT, documentPath('mobile-experience-api')), 'utf8'));
      document.servers = [{ url: 'http://bank.example', description: 'Somewhere' }];
      document.components.securitySchemes.bearer.description = 'A token';
      const file = join(folder, 'broken.json');
      writeFileSync(file, JSON.stringify(document));
      expect(
        lint(file)
          .filter((result) => result.severity === 0)
          .map((result) => result.code),
      ).toEqual(
        expect.arrayContaining([
          'owasp:api2:2023-jwt-best-practices',
          'owasp:api8:2023-no-server-http',
          'owasp:api9:2023-inventory-access',
          'owasp:api9:2023-inventory-environment',
        ]),
      );
    });
  });
});
