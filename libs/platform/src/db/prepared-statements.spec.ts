import { createTestDatabase, type TestDatabase } from '@bartholomew/testing';
import pg from 'pg';
import pino from 'pino';
import { openDatabase, type Database } from './database';
import { statementNameOf } from './prepared-statements';

describe('named prepared statements for parameterised queries', () => {
  let testDb: TestDatabase;
  let db: Database;
  let other: pg.Client;

  /** What this pool's one connection has prepared, by text. */
  const prepared = async () =>
    (await db.query<{ name: string; statement: string }>('SELECT name, statement FROM pg_prepared_statements', [])).rows.filter(
      ({ statement }) => !statement.includes('pg_prepared_statements'),
    );

  beforeAll(async () => {
    testDb = await createTestDatabase();
    // One connection, so what one query prepared is visible to the next.
    db = await openDatabase({
      databaseUrl: testDb.url,
      dataDir: '/nonexistent',
      databaseName: 'unused',
      log: pino({ level: 'silent' }),
      poolSize: 1,
    });
    other = new pg.Client({ connectionString: testDb.url });
    await other.connect();
  });
  afterAll(async () => {
    await other?.end();
    await db?.close();
    await testDb?.drop();
  });
  beforeEach(async () => {
    await other.query('DROP TABLE IF EXISTS ledger_entries');
    await other.query('CREATE TABLE ledger_entries (id int PRIMARY KEY, amount_minor bigint NOT NULL)');
    await other.query('INSERT INTO ledger_entries VALUES (1, 500), (2, 700)');
  });

  it('prepares a parameterised text once per connection and reuses it', async () => {
    const text = 'SELECT amount_minor::int AS amount FROM ledger_entries WHERE id = $1';
    expect((await db.query(text, [1])).rows).toEqual([{ amount: 500 }]);
    expect((await db.query(text, [2])).rows).toEqual([{ amount: 700 }]);
    const statements = (await prepared()).filter(({ statement }) => statement === text);
    expect(statements).toEqual([{ name: statementNameOf(text), statement: text }]);
  });

  it('leaves texts without parameters as simple queries', async () => {
    await db.query('SELECT count(*) FROM ledger_entries');
    await db.transaction(async (client) => client.query('UPDATE ledger_entries SET amount_minor = amount_minor + 1'));
    const statements = (await prepared()).map(({ statement }) => statement);
    expect(statements.filter((statement) => statement.includes('count(*)') || statement.includes('UPDATE ledger_entries'))).toEqual([]);
  });

  it('prepares parameterised statements inside transactions too, and commits what they did', async () => {
    const text = 'UPDATE ledger_entries SET amount_minor = amount_minor + $1 WHERE id = $2';
    await db.transaction(async (client) => {
      await client.query(text, [5, 1]);
      await client.query(text, [5, 1]);
    });
    expect((await other.query('SELECT amount_minor::int AS amount FROM ledger_entries WHERE id = 1')).rows).toEqual([{ amount: 510 }]);
    expect((await prepared()).map(({ statement }) => statement)).toContain(text);
  });

  it('survives another replica’s migration changing a table under a prepared SELECT *: outside a transaction at once', async () => {
    const text = 'SELECT * FROM ledger_entries WHERE id = $1';
    expect((await db.query(text, [1])).rows).toEqual([{ id: 1, amount_minor: '500' }]);
    await other.query("ALTER TABLE ledger_entries ADD COLUMN memo text NOT NULL DEFAULT 'opening'");
    expect((await db.query(text, [1])).rows).toEqual([{ id: 1, amount_minor: '500', memo: 'opening' }]);
  });

  it('…and inside a transaction from its retry on (the failed one rolls back as any failed transaction does)', async () => {
    const text = 'SELECT id FROM ledger_entries WHERE amount_minor > $1 ORDER BY id';
    const starTextInTransaction = 'SELECT * FROM ledger_entries WHERE amount_minor > $1 ORDER BY id';
    await db.transaction(async (client) => client.query(starTextInTransaction, [0]));
    await other.query('ALTER TABLE ledger_entries ADD COLUMN booked_on date');
    await expect(db.transaction(async (client) => client.query(starTextInTransaction, [0]))).rejects.toMatchObject({ code: '0A000' });
    const retried = await db.transaction(async (client) => client.query(starTextInTransaction, [0]));
    expect(retried.rows.map((row: Record<string, unknown>) => Object.keys(row))).toEqual([
      ['id', 'amount_minor', 'booked_on'],
      ['id', 'amount_minor', 'booked_on'],
    ]);
    expect((await db.query(text, [0])).rows).toEqual([{ id: 1 }, { id: 2 }]);
  });
});
