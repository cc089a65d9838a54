import { captureLogs, createTestDatabase, type TestDatabase } from '@bartholomew/testing';
import pino from 'pino';
import { openDatabase, type Database } from './database';

describe('Database on DATABASE_URL', () => {
  let testDb: TestDatabase;
  let db: Database;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    // One connection: a transaction that failed to release it would make the next query hang.
    db = await openDatabase({
      databaseUrl: testDb.url,
      dataDir: '/nonexistent',
      databaseName: 'unused',
      log: pino({ level: 'silent' }),
      poolSize: 1,
    });
    await db.query('CREATE TABLE transfers (id int PRIMARY KEY, amount_cents bigint NOT NULL)');
  });
  afterAll(async () => {
    await db?.close();
    await testDb?.drop();
  });
  beforeEach(async () => {
    await db.query('TRUNCATE transfers');
  });

  const transferCount = async () => (await db.query('SELECT count(*)::int AS n FROM transfers')).rows[0].n;

  it('commits a transaction whose callback resolves, and returns its result', async () => {
    const result = await db.transaction(async (client) => {
      await client.query('INSERT INTO transfers VALUES (1, 500)');
      await client.query('INSERT INTO transfers VALUES (2, 700)');
      return 'done';
    });

    expect(result).toBe('done');
    expect(await transferCount()).toBe(2);
  });

  it('rolls back every statement of a transaction whose callback throws, and rethrows the error', async () => {
    const failure = new Error('billing setup failed');

    await expect(
      db.transaction(async (client) => {
        await client.query('INSERT INTO transfers VALUES (1, 500)');
        throw failure;
      }),
    ).rejects.toBe(failure);

    expect(await transferCount()).toBe(0);
  });

  it('gives the connection back clean after a statement failed inside a transaction', async () => {
    await expect(
      db.transaction(async (client) => {
        await client.query('INSERT INTO transfers VALUES (1, 500)');
        await client.query('INSERT INTO transfers VALUES (1, 600)'); // duplicate key
      }),
    ).rejects.toMatchObject({ code: '23505' });

    // Same single connection: it would answer "current transaction is aborted" without ROLLBACK.
    expect(await transferCount()).toBe(0);
    expect(db.pool.idleCount).toBe(1);
  });

  it('logs which server it uses without the password', async () => {
    const logs = captureLogs();
    const url = new URL(testDb.url);
    if (!url.password) url.password = 'not-checked-by-trust-auth';
    const other = await openDatabase({
      databaseUrl: url.toString(),
      dataDir: '/nonexistent',
      databaseName: 'unused',
      log: pino({}, logs.stream),
    });
    try {
      expect((await other.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await other.close();
    }

    expect(logs.text()).toContain(`${url.host}/${testDb.name}`);
    expect(logs.text()).not.toContain(url.password);
  });

  it('can be closed twice', async () => {
    const other = await openDatabase({
      databaseUrl: testDb.url,
      dataDir: '/x',
      databaseName: 'unused',
      log: pino({ level: 'silent' }),
    });
    await other.query('SELECT 1');

    await other.close();

    await expect(other.close()).resolves.toBeUndefined();
  });
});
