import Fastify, { type FastifyInstance } from 'fastify';
import { createTestDatabase, type TestDatabase } from '@bartholomew/testing';
import { loadConfig, ServiceConfigSchema } from './config';
import type { BreakerState } from './downstreams';
import { IDEMPOTENCY_KEYS_TABLE_SQL, fingerprintRequest, withIdempotency } from './idempotency';
import { platform } from './platform-plugin';
import { serviceServerOptions } from './server-options';
import { startService } from './start-service';

const SECRET = 'process-secret-0123456789';

async function buildApp(database: TestDatabase, port = 0, env: Record<string, string> = {}): Promise<FastifyInstance> {
  const config = loadConfig(ServiceConfigSchema, {
    ...env,
    PORT: String(port),
    LOG_LEVEL: 'silent',
    DATABASE_URL: database.url,
    ACCEPTED_CALLERS: `onboarding-process-api:process:${SECRET}`,
    PII_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64'),
    SHUTDOWN_GRACE_MS: '5000',
  });
  const app = Fastify(serviceServerOptions(config));
  await app.register(platform, {
    service: { name: 'ledger-api', title: 'Ledger', version: '1.0.0', description: 'test' },
    config,
    acceptedLayers: ['process'],
    migrations: [
      { version: 1, name: 'idempotency', sql: IDEMPOTENCY_KEYS_TABLE_SQL },
      { version: 2, name: 'entries', sql: 'CREATE TABLE entries (id serial PRIMARY KEY, memo text NOT NULL)' },
    ],
  });
  return app;
}

describe('platform with a database', () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  beforeAll(async () => {
    database = await createTestDatabase();
    app = await buildApp(database);
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  it('holds at most DATABASE_POOL_SIZE connections, 10 unless set', async () => {
    expect(app.db.pool.options.max).toBe(10);
    const small = await buildApp(database, 0, { DATABASE_POOL_SIZE: '2' });
    try {
      await small.ready();
      // Five queries at once, each holding its connection a moment: never more than two sessions.
      await Promise.all(Array.from({ length: 5 }, () => small.db.query('SELECT pg_sleep(0.05)')));
      expect(small.db.pool.totalCount).toBeLessThanOrEqual(2);
      expect(small.db.pool.options.max).toBe(2);
    } finally {
      await small.close();
    }
  });

  it('applies the migrations at start and reports the database ready', async () => {
    const tables = await app.db.query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name IN ('entries', 'idempotency_keys')`);
    expect(tables.rows[0].n).toBe(2);
    const ready = await app.inject({ url: '/health/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ status: 'ok', checks: { database: 'ok' } });
  });

  it('lists open circuit breakers in readiness and metrics without failing readiness', async () => {
    let state: BreakerState = 'open';
    app.downstreams.add({ name: 'billing-system-api', breakerState: () => state });
    const ready = await app.inject({ url: '/health/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ status: 'degraded', checks: { downstreams: { 'billing-system-api': 'open' } } });
    const metrics = await app.inject({ url: '/metrics' });
    expect(metrics.body).toMatch(/downstream_circuit_state\{[^}]*downstream="billing-system-api"[^}]*\} 2/);
    state = 'closed';
    expect((await app.inject({ url: '/health/ready' })).json().status).toBe('ok');
  });

  it('is not ready while a component the service registered is down, and says which', async () => {
    let workerRunning = false;
    app.readinessChecks.set('worker', async () => {
      if (!workerRunning) throw new Error('worker stopped');
    });
    const down = await app.inject({ url: '/health/ready' });
    expect(down.statusCode).toBe(503);
    expect(down.json()).toMatchObject({ status: 'unavailable', checks: { database: 'ok', components: { worker: 'unavailable' } } });
    workerRunning = true;
    const up = await app.inject({ url: '/health/ready' });
    expect(up.statusCode).toBe(200);
    expect(up.json().checks.components).toEqual({ worker: 'ok' });
    app.readinessChecks.delete('worker');
  });

  describe('withIdempotency', () => {
    const record = (key: string, memo: string) =>
      withIdempotency(app.db, { scope: 'test:record', key, requestHash: fingerprintRequest(app.pii, { memo }) }, async (client) => {
        const inserted = await client.query<{ id: number }>('INSERT INTO entries (memo) VALUES ($1) RETURNING id', [memo]);
        return { statusCode: 201, body: { id: inserted.rows[0].id, memo } };
      });
    const count = async (memo: string) => (await app.db.query('SELECT count(*)::int AS n FROM entries WHERE memo = $1', [memo])).rows[0].n;

    it('replays the first answer for the same key and body', async () => {
      const first = await record('key-replay-0001', 'replay');
      const second = await record('key-replay-0001', 'replay');
      expect(first.replayed).toBe(false);
      expect(second).toEqual({ statusCode: 201, body: first.body, replayed: true });
      expect(await count('replay')).toBe(1);
    });

    it('refuses the same key with a different body with 422', async () => {
      await record('key-conflict-01', 'original');
      await expect(record('key-conflict-01', 'changed')).rejects.toMatchObject({ statusCode: 422, code: 'IDEMPOTENCY_KEY_REUSED' });
      expect(await count('changed')).toBe(0);
    });

    it('makes exactly one effect from twenty concurrent requests with one key', async () => {
      const results = await Promise.all(Array.from({ length: 20 }, () => record('key-concurrent-1', 'concurrent')));
      expect(await count('concurrent')).toBe(1);
      expect(results.filter((r) => !r.replayed)).toHaveLength(1);
      expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    });

    it('refuses a request whose key is still in flight with 409 when asked to, then replays once it is done', async () => {
      let finish!: () => void;
      const slow = withIdempotency(
        app.db,
        { scope: 'test:refuse', key: 'key-in-flight-1', requestHash: 'same' },
        async (client) => {
          await client.query('INSERT INTO entries (memo) VALUES ($1)', ['in-flight']);
          await new Promise<void>((resolve) => (finish = resolve));
          return { statusCode: 202, body: { accepted: true } };
        },
        { whileInFlight: 'refuse' },
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
      const duplicate = withIdempotency(
        app.db,
        { scope: 'test:refuse', key: 'key-in-flight-1', requestHash: 'same' },
        async () => ({ statusCode: 202, body: { accepted: true } }),
        {
          whileInFlight: 'refuse',
        },
      );
      await expect(duplicate).rejects.toMatchObject({ statusCode: 409, code: 'IDEMPOTENT_REQUEST_IN_PROGRESS' });
      finish();
      expect((await slow).replayed).toBe(false);
      const replay = await withIdempotency(
        app.db,
        { scope: 'test:refuse', key: 'key-in-flight-1', requestHash: 'same' },
        async () => ({ statusCode: 202, body: { accepted: false } }),
        {
          whileInFlight: 'refuse',
        },
      );
      expect(replay).toEqual({ statusCode: 202, body: { accepted: true }, replayed: true });
      expect(await count('in-flight')).toBe(1);
    });

    it('stores nothing when the effect fails, so a retry may succeed', async () => {
      const failing = withIdempotency(app.db, { scope: 'test:record', key: 'key-failing-01', requestHash: 'h' }, async () => {
        throw new Error('downstream refused');
      });
      await expect(failing).rejects.toThrow('downstream refused');
      const stored = await app.db.query('SELECT 1 FROM idempotency_keys WHERE key = $1', ['key-failing-01']);
      expect(stored.rowCount).toBe(0);
    });
  });
});

describe('graceful shutdown', () => {
  it('lets an in-flight request finish before the service closes', async () => {
    const database = await createTestDatabase();
    const app = await buildApp(database);
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const handling = new Promise<void>((resolve) => (entered = resolve));
    app.get('/v1/slow', async () => {
      entered();
      await released;
      return { done: true };
    });
    await startService(app, app.config);
    const address = app.server.address() as { port: number };
    const inFlight = fetch(`http://127.0.0.1:${address.port}/v1/slow`, { headers: { 'x-service-credential': `onboarding-process-api.${SECRET}` } });
    await handling; // the request is in progress (a fixed wait was not always enough on a busy machine)
    const closing = app.close();
    setTimeout(release, 200);
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ done: true });
    await closing;
    await database.drop();
  });
});
