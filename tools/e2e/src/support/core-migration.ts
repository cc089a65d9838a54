/**
 * The operator's command of the switch-over, run as the account System API's README says
 * (`npm run migrate:core`, i.e. tools/core-migration/run.mjs): the core-banking gateway's database
 * into the account System API's, the two PII keys in the environment, never on the command line.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../../..');

export interface CoreMigrationRun {
  /** 0 verified, 1 not verified or stopped, 2 usage (tools/core-migration/src/cli.ts). */
  exitCode: number | null;
  /** What it printed: the report (counts, totals, mismatches by id — no PII). */
  report: string;
}

export async function runCoreMigration(options: {
  gatewayDatabaseUrl: string;
  accountSystemDatabaseUrl: string;
  gatewayPiiKey: string;
  accountSystemPiiKey: string;
}): Promise<CoreMigrationRun> {
  const child = spawn(
    process.execPath,
    [join(ROOT, 'tools/core-migration/run.mjs'), '--from', options.gatewayDatabaseUrl, '--to', options.accountSystemDatabaseUrl],
    {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        GATEWAY_PII_ENCRYPTION_KEY: options.gatewayPiiKey,
        ACCOUNT_SYSTEM_PII_ENCRYPTION_KEY: options.accountSystemPiiKey,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let report = '';
  child.stdout.on('data', (chunk: Buffer) => (report += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (report += chunk.toString()));
  // 'close', not 'exit': the report is complete only once its pipes are.
  const [exitCode] = (await once(child, 'close')) as [number | null];
  return { exitCode, report };
}
