import Fastify from 'fastify';
import pg from 'pg';
import { accountSystem, AccountSystemConfigSchema } from '@bartholomew/account-system-api';
import { loadConfig, PiiVault, serviceServerOptions } from '@bartholomew/platform/server';
import { unloadCore } from './core-unload';
import { carryIdempotencyKeys, refuseWritesInDoubt } from './idempotency-keys';
import { loadLedger, type TableLoad } from './ledger-load';
import { verifyMigration, type Verification } from './verify';

/**
 * The move to the cloud core: the mainframe's core files (the core-banking gateway's database)
 * into the account System API's PostgreSQL ledger, then verified. Run it while nothing writes to
 * the core (the account System API stopped or refusing writes); then start the account System API
 * with CORE_BANKING_BACKEND=postgres on the ledger database, at the address it had.
 */
export interface CoreMigrationOptions {
  /** The core-banking gateway's DATABASE_URL. */
  coreUrl: string;
  /** The account System API's DATABASE_URL (the ledger). */
  ledgerUrl: string;
  /** Base64 PII keys: the gateway's PII_ENCRYPTION_KEY and the account System API's. */
  corePiiKey: string;
  ledgerPiiKey: string;
  /** Only compare the two sides (e.g. again just before the switch-over); write nothing. */
  verifyOnly?: boolean;
}

export interface CoreMigrationReport {
  /** Per ledger table, what this run moved; absent with `verifyOnly`. */
  loads?: TableLoad[];
  verification: Verification;
}

export async function migrateCore(options: CoreMigrationOptions): Promise<CoreMigrationReport> {
  const keys = { core: vaultOf(options.corePiiKey), ledger: vaultOf(options.ledgerPiiKey) };
  if (!options.verifyOnly) await applyLedgerSchema(options.ledgerUrl, options.ledgerPiiKey);
  const core = new pg.Client({ connectionString: options.coreUrl });
  const ledger = new pg.Client({ connectionString: options.ledgerUrl });
  try {
    await core.connect();
    await ledger.connect();
    if (options.verifyOnly) return { verification: await verifyMigration(core, ledger) };
    await refuseWritesInDoubt(ledger);
    const loads = await loadLedger(ledger, await unloadCore(core, keys));
    loads.push(await carryIdempotencyKeys(ledger));
    return { loads, verification: await verifyMigration(core, ledger) };
  } finally {
    await Promise.allSettled([core.end(), ledger.end()]);
  }
}

const vaultOf = (base64Key: string) => new PiiVault(Buffer.from(base64Key, 'base64'));

/**
 * The ledger's schema is the one the account System API applies at start: its own app plugin is
 * started on the ledger database (never listening) and closed, so this build's migrations are run
 * exactly as the service runs them.
 */
async function applyLedgerSchema(databaseUrl: string, piiKey: string): Promise<void> {
  const config = loadConfig(AccountSystemConfigSchema, {
    PORT: '0',
    LOG_LEVEL: 'silent',
    DATABASE_URL: databaseUrl,
    PII_ENCRYPTION_KEY: piiKey,
    CORE_BANKING_BACKEND: 'postgres',
  });
  const app = Fastify(serviceServerOptions(config));
  try {
    await app.register(accountSystem, { config });
    await app.ready();
  } finally {
    await app.close();
  }
}
