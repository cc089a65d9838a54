import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { captureLogs } from '@bartholomew/testing';
import pg from 'pg';
import pino from 'pino';
import { openDatabase } from './database';
import { startEmbeddedPostgres } from './embedded-postgres';

jest.setTimeout(60_000);

const silent = pino({ level: 'silent' });

async function answers(config: pg.ClientConfig): Promise<boolean> {
  const client = new pg.Client(config);
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

describe('embedded PostgreSQL (no DATABASE_URL)', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'platform-db-spec-'));
  });
  afterEach(async () => {
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('starts a real server in <dataDir>/postgres, creates the database, and close() stops it', async () => {
    const logs = captureLogs();
    const db = await openDatabase({
      dataDir,
      databaseName: 'accounts',
      log: pino({}, logs.stream),
    });
    const config = { ...db.pool.options } as pg.ClientConfig;
    try {
      const { rows } = await db.query('SELECT current_database() AS name, version() AS version');
      expect(rows[0].name).toBe('accounts');
      expect(rows[0].version).toMatch(/^PostgreSQL 18\./);
      expect(existsSync(path.join(dataDir, 'postgres', 'PG_VERSION'))).toBe(true);
    } finally {
      await db.close();
    }

    expect(await answers(config)).toBe(false);
    expect(existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
    const using = logs.records().find((r) => r['msg'] === 'using embedded PostgreSQL (no DATABASE_URL)');
    expect(using).toMatchObject({
      dataDir: path.join(dataDir, 'postgres'),
      port: config.port,
      mode: 'started',
    });
    const password = (await fs.readFile(path.join(dataDir, 'postgres.password'), 'utf8')).trim();
    expect(password.length).toBeGreaterThan(20);
    expect(logs.text()).not.toContain(password);
  });

  it('keeps the data across restarts and does not initialise the cluster again', async () => {
    const first = await openDatabase({
      dataDir,
      databaseName: 'billing',
      log: silent,
    });
    await first.query("CREATE TABLE fee_plans (code text); INSERT INTO fee_plans VALUES ('basic')");
    await first.close();

    const logs = captureLogs();
    const second = await openDatabase({
      dataDir,
      databaseName: 'billing',
      log: pino({}, logs.stream),
    });
    try {
      expect((await second.query('SELECT code FROM fee_plans')).rows).toEqual([{ code: 'basic' }]);
    } finally {
      await second.close();
    }
    expect(logs.text()).toContain('started embedded PostgreSQL');
    expect(logs.text()).not.toContain('initialising');
  });

  it('lets two processes starting together on one folder share one server', async () => {
    const [a, b] = await Promise.all([startEmbeddedPostgres({ dataDir, log: silent }), startEmbeddedPostgres({ dataDir, log: silent })]);
    try {
      expect([a.mode, b.mode].sort()).toEqual(['shared', 'started']);
      expect(a.port).toBe(b.port);

      const sharer = a.mode === 'shared' ? a : b;
      await sharer.stop();
      expect(await answers(a.connectionConfig('postgres'))).toBe(true); // the sharer leaves it running
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
    expect(await answers(a.connectionConfig('postgres'))).toBe(false);
  });

  it('adopts a server left running by a process that died, and stops it on close', async () => {
    const crashed = await startEmbeddedPostgres({ dataDir, log: silent });
    // Pretend its owner was killed: the owner file names a process that no longer exists.
    const deadPid = spawnSync(process.execPath, ['-e', '']).pid;
    await fs.writeFile(path.join(dataDir, 'postgres.owner'), String(deadPid));

    const adopter = await startEmbeddedPostgres({ dataDir, log: silent });
    expect(adopter.mode).toBe('adopted');
    expect(adopter.port).toBe(crashed.port);

    await adopter.stop();
    expect(await answers(crashed.connectionConfig('postgres'))).toBe(false);
    await crashed.stop(); // its child has exited already: must not hang
  });
});
