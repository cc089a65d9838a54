import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeCli, composePath, workspaceRoot } from './workspace';

/**
 * No Docker engine exists on our machines or CI, but the Compose CLI validates a file without one:
 * `docker-compose config -q` parses it, resolves anchors, and checks it against the Compose schema
 * (unknown keys, wrong types, invalid depends_on conditions, undefined networks or volumes).
 */
function composeConfig(file: string): { status: number | null; output: string } {
  const cli = composeCli();
  const run = spawnSync(cli.command, [...cli.args, '-f', file, '--project-directory', workspaceRoot, 'config', '-q'], {
    cwd: workspaceRoot,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}`.trim() };
}

describe('docker-compose.yml, validated by the Compose CLI', () => {
  it('has a Compose CLI to validate with (install one rather than skip)', () => {
    expect(composeCli().version).toMatch(/compose/i);
  });

  it('is accepted by `docker-compose config -q`', () => {
    const { status, output } = composeConfig(composePath);
    if (status !== 0) throw new Error(`docker-compose config rejected docker-compose.yml:\n${output}`);
    expect(status).toBe(0);
  });

  it('really validates: a broken file is rejected (so a passing check means something)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stack-checks-'));
    try {
      const broken = join(dir, 'docker-compose.yml');
      writeFileSync(broken, 'services:\n  a:\n    image: x\n    depends_on:\n      b:\n        condition: sometimes\n  b:\n    image: y\n    healthcheck: yes\n');
      const { status, output } = composeConfig(broken);
      expect(status).not.toBe(0);
      expect(output).toMatch(/invalid|condition/i);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
