import pg from 'pg';
import { createTestDatabase, type TestDatabase } from './test-database';

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined); // dropped under the test on purpose
  await client.connect();
  return client;
}

describe('createTestDatabase', () => {
  const created: TestDatabase[] = [];
  afterAll(async () => {
    await Promise.all(created.map((db) => db.drop()));
  });

  it('gives each caller its own empty database that accepts writes', async () => {
    const first = await createTestDatabase();
    const second = await createTestDatabase();
    created.push(first, second);
    expect(first.name).not.toBe(second.name);

    const a = await connect(first.url);
    const b = await connect(second.url);
    try {
      expect((await a.query('SELECT current_database() AS name')).rows[0].name).toBe(first.name);
      await a.query('CREATE TABLE accounts (id int PRIMARY KEY)');
      await a.query('INSERT INTO accounts VALUES (1)');
      expect((await a.query('SELECT count(*)::int AS n FROM accounts')).rows[0].n).toBe(1);

      expect((await b.query('SELECT current_database() AS name')).rows[0].name).toBe(second.name);
      expect((await b.query(`SELECT to_regclass('accounts') AS found`)).rows[0].found).toBeNull();
    } finally {
      await Promise.all([a.end(), b.end()]);
    }
  });

  it('drops the database even while a test still holds a connection to it', async () => {
    const db = await createTestDatabase();
    created.push(db);
    const forgotten = await connect(db.url);

    await db.drop();

    await expect(connect(db.url)).rejects.toMatchObject({ code: '3D000' }); // invalid_catalog_name
    await forgotten.end().catch(() => undefined);
    await expect(db.drop()).resolves.toBeUndefined(); // a second drop is harmless
  });
});
