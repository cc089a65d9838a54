import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { composeCli, composePath, composeSchemaErrors, workspaceRoot } from './workspace';

/**
 * No Docker engine exists on our machines or CI. The file is checked everywhere against the Compose
 * Specification's JSON schema (unknown keys, wrong types, invalid depends_on conditions); where a
 * Compose CLI is installed (CI installs Debian's v1), `docker-compose config -q` checks it too,
 * which also catches what a schema cannot (undefined networks or volumes, merge errors).
 */

/** Both ways of breaking a file that the checks must notice. */
const BROKEN = 'services:\n  a:\n    image: x\n    depends_on:\n      b:\n        condition: sometimes\n  b:\n    image: y\n    healthcheck: yes\n';

describe('docker-compose.yml, validated against the Compose Specification schema', () => {
  it('conforms to the schema', () => {
    const errors = composeSchemaErrors(readFileSync(composePath, 'utf8'));
    if (errors.length > 0) throw new Error(`docker-compose.yml breaks the Compose Specification:\n${errors.join('\n')}`);
    expect(errors).toEqual([]);
  });

  it('really validates: a broken file is rejected, naming what is wrong', () => {
    const errors = composeSchemaErrors(BROKEN);
    expect(errors.some((error) => error.startsWith('/services/a/depends_on/b/condition must be equal to one of the allowed values'))).toBe(true);
    expect(errors.some((error) => error.startsWith('/services/b/healthcheck must be object'))).toBe(true);
  });

  it('knows the custom formats of the spec: a malformed duration or port is rejected', () => {
    const errors = composeSchemaErrors("services:\n  a:\n    image: x\n    stop_grace_period: soon\n    ports: ['80:eighty']\n");
    expect(errors.some((error) => error.startsWith('/services/a/stop_grace_period must match format "duration"'))).toBe(true);
    expect(errors.some((error) => error.startsWith('/services/a/ports/0 must match format "ports"'))).toBe(true);
  });
});

const cli = composeCli();

/** `<compose> -f <file> config -q` (or, `quiet: false`, the resolved file), with the CLI found on this machine. */
function composeConfig(
  file: string,
  { quiet = true, env = {} }: { quiet?: boolean; env?: Record<string, string> } = {},
): {
  status: number | null;
  output: string;
  stdout: string;
} {
  if (!cli) throw new Error('no Compose CLI');
  const run = spawnSync(cli.command, [...cli.args, '-f', file, '--project-directory', workspaceRoot, 'config', ...(quiet ? ['-q'] : [])], {
    cwd: workspaceRoot,
    encoding: 'utf8',
    timeout: 60_000,
    // Only the choice under test comes from the host: a developer's own CORE_BANKING_BACKEND must not leak in.
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}`.trim(), stdout: run.stdout };
}

// Only where a Compose CLI is installed: the schema checks above always run, so nothing goes unchecked without one.
(cli ? describe : describe.skip)(`docker-compose.yml, validated by the Compose CLI (${cli?.version ?? 'none installed'})`, () => {
  it('is accepted by `config -q`', () => {
    const { status, output } = composeConfig(composePath);
    if (status !== 0) throw new Error(`the Compose CLI rejected docker-compose.yml:\n${output}`);
    expect(status).toBe(0);
  });

  it('resolves CORE_BANKING_BACKEND from the host, postgres when unset: `CORE_BANKING_BACKEND=mainframe docker compose up`', () => {
    const backendOf = (env: Record<string, string>) => {
      const { status, output, stdout } = composeConfig(composePath, { quiet: false, env });
      if (status !== 0) throw new Error(`the Compose CLI rejected docker-compose.yml:\n${output}`);
      const resolved = parse(stdout) as { services: Record<string, { environment?: Record<string, unknown> }> };
      return resolved.services['account-system-api']?.environment?.['CORE_BANKING_BACKEND'];
    };
    expect([backendOf({}), backendOf({ CORE_BANKING_BACKEND: 'mainframe' })]).toEqual(['postgres', 'mainframe']);
  });

  it('really validates: a broken file is rejected (so a passing check means something)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stack-checks-'));
    try {
      const broken = join(dir, 'docker-compose.yml');
      writeFileSync(broken, BROKEN);
      const { status, output } = composeConfig(broken);
      expect(status).not.toBe(0);
      expect(output).toMatch(/invalid|condition/i);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
if (!cli)
  console.log(
    'stack-checks: no Compose CLI installed (docker-compose or docker compose); docker-compose.yml is checked against the Compose Specification schema only',
  );
