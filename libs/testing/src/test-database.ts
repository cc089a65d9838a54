/**
 * A fresh, uniquely named PostgreSQL database for one test file, so test files never see each
 * other's rows and can run in parallel. Where the server comes from:
 *   1. TEST_DATABASE_URL (CI, or set by this library's Jest globalSetup for the whole run);
 *   2. otherwise a server for this process (container, else embedded), shared by the databases
 *      alive in it and stopped when the last one is dropped. That costs a server start per test
 *      file, which is why projects that touch the database wire the globalSetup (see README).
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import pg from 'pg';
import { startTestPostgresServer, type TestPostgresServer } from './test-postgres-server';

export interface TestDatabase {
  /** Connection URL of the new database (pass it where a service takes DATABASE_URL). */
  url: string;
  /** Its name, for assertions and for finding it when a test leaks it. */
  name: string;
  /** DROP DATABASE ... WITH (FORCE), closing connections a test forgot. Safe to call twice. */
  drop(): Promise<void>;
}

/** Creates a database for this test file; call drop() in afterAll. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (adminUrl) return createDatabaseOn(adminUrl, async () => undefined);

  const lease = await leaseProcessServer();
  try {
    return await createDatabaseOn(lease.adminUrl, lease.release);
  } catch (err) {
    await lease.release();
    throw err;
  }
}

async function createDatabaseOn(adminUrl: string, afterDrop: () => Promise<void>): Promise<TestDatabase> {
  // Lower-case letters and digits only: no quoting surprises, and easy to spot in \l.
  const name = `test_${process.pid}_${randomBytes(5).toString('hex')}`;
  await withAdminClient(adminUrl, async (admin) => {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(name)}`);
        return;
      } catch (err) {
        // 55006: someone is connected to template1 at that instant; it passes.
        if ((err as { code?: string }).code !== '55006' || attempt >= 10) throw err;
        await delay(100 * attempt);
      }
    }
  });

  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  let dropping: Promise<void> | undefined;
  return {
    url: url.toString(),
    name,
    drop: () =>
      (dropping ??= (async () => {
        try {
          await withAdminClient(adminUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(name)} WITH (FORCE)`));
        } finally {
          await afterDrop();
        }
      })()),
  };
}

async function withAdminClient<T>(adminUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  client.on('error', () => undefined); // a server stopping under us must not crash the test process
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

interface ProcessServer {
  server: Promise<TestPostgresServer>;
  users: number;
}
let processServer: ProcessServer | undefined;

/** The fallback server of this process, counted so the last drop() stops it (no leaked process or folder). */
async function leaseProcessServer(): Promise<{
  adminUrl: string;
  release(): Promise<void>;
}> {
  const entry = (processServer ??= {
    server: startTestPostgresServer(),
    users: 0,
  });
  entry.users += 1;
  let server: TestPostgresServer;
  try {
    server = await entry.server;
  } catch (err) {
    entry.users -= 1;
    if (processServer === entry) processServer = undefined;
    throw err;
  }
  let released = false;
  return {
    adminUrl: server.adminUrl,
    release: async () => {
      if (released) return;
      released = true;
      entry.users -= 1;
      if (entry.users > 0) return;
      if (processServer === entry) processServer = undefined;
      await server.stop();
    },
  };
}
