import { createTestDatabase, type TestDatabase } from '@bartholomew/testing';
import pino from 'pino';
import { openDatabase, type Database } from './database';
import { runMigrations, type Migration } from './migrations';

const log = pino({ level: 'silent' });

const createAccounts: Migration = {
  version: 1,
  name: 'create accounts',
  sql: 'CREATE TABLE accounts (id bigint PRIMARY KEY)',
};
const addBalance: Migration = {
  version: 2,
  name: 'add balance',
  sql: 'ALTER TABLE accounts ADD COLUMN balance_cents bigint NOT NULL DEFAULT 0',
};

describe('runMigrations', () => {
  let testDb: TestDatabase;
  let db: Database;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    db = await openDatabase({
      databaseUrl: testDb.url,
      dataDir: '/nonexistent',
      databaseName: 'unused',
      log,
    });
  });
  afterAll(async () => {
    await db?.close();
    await testDb?.drop();
  });
  beforeEach(async () => {
    await db.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
  });

  const appliedVersions = async () =>
    (await db.query<{ version: string }>('SELECT version FROM schema_migrations ORDER BY version')).rows.map((r) => Number(r.version));
  const tableExists = async (name: string) =>
    (await db.query<{ found: string | null }>('SELECT to_regclass($1) AS found', [name])).rows[0]?.found !== null;

  it('applies pending migrations in version order, whatever order they are listed in', async () => {
    const run = await runMigrations(db, [addBalance, createAccounts], log);

    expect(run.applied).toEqual([
      { version: 1, name: 'create accounts' },
      { version: 2, name: 'add balance' },
    ]);
    expect(await appliedVersions()).toEqual([1, 2]);
    await db.query('INSERT INTO accounts (id) VALUES (7)');
    expect((await db.query('SELECT balance_cents FROM accounts')).rows).toEqual([{ balance_cents: '0' }]);
  });

  it('does nothing when run again', async () => {
    await runMigrations(db, [createAccounts, addBalance], log);
    const before = (await db.query('SELECT version, applied_at FROM schema_migrations ORDER BY version')).rows;

    const again = await runMigrations(db, [createAccounts, addBalance], log);

    expect(again.applied).toEqual([]);
    expect((await db.query('SELECT version, applied_at FROM schema_migrations ORDER BY version')).rows).toEqual(before);
  });

  it('applies only the new migration when one is added', async () => {
    await runMigrations(db, [createAccounts], log);

    const run = await runMigrations(db, [createAccounts, addBalance], log);

    expect(run.applied.map((m) => m.version)).toEqual([2]);
    expect(await appliedVersions()).toEqual([1, 2]);
  });

  it('applies each migration once when two instances migrate at the same moment', async () => {
    // Neither statement is idempotent: without the lock one instance would fail or insert twice.
    const slowSeed: Migration = {
      version: 3,
      name: 'seed fee plan',
      sql: "CREATE TABLE fee_plans (code text PRIMARY KEY); SELECT pg_sleep(0.3); INSERT INTO fee_plans VALUES ('basic')",
    };
    const second = await openDatabase({
      databaseUrl: testDb.url,
      dataDir: '/nonexistent',
      databaseName: 'unused',
      log,
    });
    try {
      const runs = await Promise.all([runMigrations(db, [createAccounts, slowSeed], log), runMigrations(second, [createAccounts, slowSeed], log)]);

      const applied = runs.flatMap((run) => run.applied.map((m) => m.version)).sort();
      expect(applied).toEqual([1, 3]);
      expect(await appliedVersions()).toEqual([1, 3]);
      expect((await db.query('SELECT count(*)::int AS n FROM fee_plans')).rows[0].n).toBe(1);
    } finally {
      await second.close();
    }
  });

  it('refuses to run when an applied migration was edited, and applies nothing else', async () => {
    await runMigrations(db, [createAccounts], log);
    const edited = {
      ...createAccounts,
      sql: 'CREATE TABLE accounts (id uuid PRIMARY KEY)',
    };

    await expect(runMigrations(db, [edited, addBalance], log)).rejects.toMatchObject({
      code: 'MIGRATION_CHECKSUM_MISMATCH',
      message: expect.stringContaining('1 (create accounts)'),
    });
    expect(await appliedVersions()).toEqual([1]);
  });

  it('does not count a change of line endings as an edit', async () => {
    await runMigrations(db, [{ ...addBalance, version: 5, sql: 'SELECT 1;\nSELECT 2;' }], log);

    const run = await runMigrations(db, [{ ...addBalance, version: 5, sql: 'SELECT 1;\r\nSELECT 2;' }], log);

    expect(run.applied).toEqual([]);
  });

  it('records a migration in the same transaction as its SQL, so neither survives without the other', async () => {
    // The migration's own row makes the bookkeeping INSERT fail after its SQL succeeded.
    const clashing: Migration = {
      version: 4,
      name: 'clashing',
      sql: "CREATE TABLE ledger (id int); INSERT INTO schema_migrations (version, name, checksum) VALUES (4, 'x', 'x')",
    };

    await expect(runMigrations(db, [clashing], log)).rejects.toMatchObject({
      code: 'MIGRATION_FAILED',
    });

    expect(await tableExists('ledger')).toBe(false);
    expect(await appliedVersions()).toEqual([]);
  });

  it('refuses two migrations with the same version before touching the database', async () => {
    const clash = { ...addBalance, version: 1 };

    await expect(runMigrations(db, [createAccounts, clash], log)).rejects.toMatchObject({
      code: 'MIGRATION_DUPLICATE_VERSION',
    });
    expect(await tableExists('schema_migrations')).toBe(false);
    expect(await tableExists('accounts')).toBe(false);
  });

  it('rolls back a failing migration whole, keeps the ones before it, and retries it next time', async () => {
    const broken: Migration = {
      version: 2,
      name: 'broken',
      sql: 'CREATE TABLE ledger (id int); SELECT 1 / 0',
    };

    await expect(runMigrations(db, [createAccounts, broken], log)).rejects.toMatchObject({
      code: 'MIGRATION_FAILED',
      message: expect.stringContaining('division by zero'),
    });
    expect(await appliedVersions()).toEqual([1]);
    expect(await tableExists('ledger')).toBe(false);

    const fixed = { ...broken, sql: 'CREATE TABLE ledger (id int)' };
    expect((await runMigrations(db, [createAccounts, fixed], log)).applied.map((m) => m.version)).toEqual([2]);
  });
});
