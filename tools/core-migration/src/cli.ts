import { parseArgs } from 'node:util';
import { Type, type Static } from '@sinclair/typebox';
import { ConfigError, loadConfig } from '@bartholomew/platform/server';
import { migrateCore } from './migrate-core';
import { formatReport } from './report';

/** The two PII keys come from the environment, never from the command line (which `ps` shows). */
export const CoreMigrationKeysSchema = Type.Object({
  GATEWAY_PII_ENCRYPTION_KEY: Type.String({ pattern: '^[A-Za-z0-9+/]{43}=$', description: 'the core-banking gateway’s PII_ENCRYPTION_KEY' }),
  ACCOUNT_SYSTEM_PII_ENCRYPTION_KEY: Type.String({ pattern: '^[A-Za-z0-9+/]{43}=$', description: 'the account System API’s PII_ENCRYPTION_KEY' }),
});

export const USAGE = `Usage: npm run migrate:core -- --from <gateway DATABASE_URL> --to <account System API DATABASE_URL> [--verify-only]
Environment: GATEWAY_PII_ENCRYPTION_KEY, ACCOUNT_SYSTEM_PII_ENCRYPTION_KEY (base64, 32 bytes).
Exit status: 0 verified, 1 not verified or stopped, 2 usage.
`;

export const ExitCode = { verified: 0, failed: 1, usage: 2 } as const;

/**
 * The command: parses its arguments, runs the migration, prints the report; answers the exit
 * status. A failure prints its message only: ours name no value, and a driver's message names a
 * constraint, never a row (its `detail`, which can, is not printed).
 */
export async function runCli(argv: string[], env: Record<string, string | undefined>, print: (text: string) => void): Promise<number> {
  let from: string | undefined;
  let to: string | undefined;
  let verifyOnly = false;
  let keys: Static<typeof CoreMigrationKeysSchema>;
  try {
    const { values } = parseArgs({
      args: argv,
      options: { from: { type: 'string' }, to: { type: 'string' }, 'verify-only': { type: 'boolean', default: false } },
      strict: true,
    });
    ({ from, to } = values);
    verifyOnly = values['verify-only'] === true;
    keys = loadConfig(CoreMigrationKeysSchema, env);
  } catch (error) {
    print(`${error instanceof ConfigError || error instanceof TypeError ? error.message : String(error)}\n${USAGE}`);
    return ExitCode.usage;
  }
  if (!from?.match(/^postgres(ql)?:\/\//) || !to?.match(/^postgres(ql)?:\/\//)) {
    print(`--from and --to are PostgreSQL URLs\n${USAGE}`);
    return ExitCode.usage;
  }
  try {
    const report = await migrateCore({
      coreUrl: from,
      ledgerUrl: to,
      corePiiKey: keys.GATEWAY_PII_ENCRYPTION_KEY,
      ledgerPiiKey: keys.ACCOUNT_SYSTEM_PII_ENCRYPTION_KEY,
      verifyOnly,
    });
    print(formatReport(report));
    return report.verification.mismatches.length === 0 ? ExitCode.verified : ExitCode.failed;
  } catch (error) {
    print(`Core migration stopped: ${error instanceof Error ? error.message : 'unknown failure'}\n`);
    return ExitCode.failed;
  }
}
