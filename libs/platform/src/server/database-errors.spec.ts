import { connect, createServer, type Server, type Socket } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '@bartholomew/testing';
import { classifyDatabaseError, markDatabaseError } from '../db/errors';
import { openDatabase } from '../db';
import { loadConfig, ServiceConfigSchema } from './config';
import { platform } from './platform-plugin';
import { serviceServerOptions } from './server-options';

const SECRET = 'process-secret-0123456789';
const caller = { 'x-service-credential': `onboarding-process-api.${SECRET}` };
const silentLog = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  debug: () => undefined,
};

/**
 * A TCP relay in front of PostgreSQL that a test can cut: with it closed, the service's database
 * is unreachable exactly as it would be when the server or the network is down.
 */
class CuttableRelay {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  port = 0;
  constructor(
    private readonly target: { host: string; port: number },
    private readonly forward = true,
  ) {}

  async open(): Promise<void> {
    const server = createServer((client) => {
      this.sockets.add(client);
      client.on('close', () => this.sockets.delete(client));
      client.on('error', () => undefined);
      if (!this.forward) return; // accepts and then says nothing: a blackholed server
      const upstream = connect(this.target.port, this.target.host);
      this.sockets.add(upstream);
      upstream.on('close', () => this.sockets.delete(upstream));
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
      client.pipe(upstream).pipe(client);
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as { port: number }).port;
  }

  async cut(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server?.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  urlFor(databaseUrl: string): string {
    const url = new URL(databaseUrl);
    url.host = `127.0.0.1:${this.port}`;
    return url.toString();
  }
}

function targetOf(databaseUrl: string) {
  const url = new URL(databaseUrl);
  return { host: url.hostname, port: Number(url.port || 5432) };
}

async function buildApp(databaseUrl: string): Promise<FastifyInstance> {
  const config = loadConfig(ServiceConfigSchema, {
    PORT: '0',
    LOG_LEVEL: 'silent',
    DATABASE_URL: databaseUrl,
    ACCEPTED_CALLERS: `onboarding-process-api:process:${SECRET}`,
    PII_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64'),
  });
  const app = Fastify(serviceServerOptions(config));
  await app.register(platform, {
    service: {
      name: 'ledger-api',
      title: 'Ledger',
      version: '1.0.0',
      description: 'test',
    },
    config,
    acceptedLayers: ['process'],
    migrations: [
      {
        version: 1,
        name: 'entries',
        sql: 'CREATE TABLE entries (id uuid PRIMARY KEY, amount integer NOT NULL)',
      },
    ],
  });
  // Routes without schemas, so whatever the caller sends reaches PostgreSQL as is.
  app.get<{ Params: { raw: string } }>('/v1/entries/:raw', async (request) => {
    const { rows } = await app.db.query('SELECT id FROM entries WHERE id = $1', [request.params.raw]);
    return { found: rows.length };
  });
  app.post<{ Params: { raw: string } }>('/v1/amounts/:raw', async (request) =>
    app.db.transaction(async (client) => {
      await client.query('INSERT INTO entries (id, amount) VALUES (gen_random_uuid(), $1)', [request.params.raw]);
      return { stored: true };
    }),
  );
  app.get<{ Params: { raw: string } }>('/v1/days/:raw', async (request) => {
    const { rows } = await app.db.query('SELECT $1::timestamptz AS day', [request.params.raw]);
    return { day: rows[0].day };
  });
  app.get('/v1/broken-sql', async () => app.db.query('SELEC 1'));
  app.get('/v1/slow', async () => app.db.query('SELECT pg_sleep(30) /* slow-route */'));
  await app.ready();
  return app;
}

describe('database errors through the error handler', () => {
  let database: TestDatabase;
  let relay: CuttableRelay;
  let app: FastifyInstance;
  beforeAll(async () => {
    database = await createTestDatabase();
    relay = new CuttableRelay(targetOf(database.url));
    await relay.open();
    app = await buildApp(relay.urlFor(database.url));
  });
  afterAll(async () => {
    await app.close();
    await relay.cut();
    await database.drop();
  });

  it.each([
    [
      'an id in a form the uuid type refuses (22P02)',
      'GET',
      `/v1/entries/${encodeURIComponent('urn:uuid:5f0c8a9e-4a8e-4e7b-9d3c-3f1d2b6a7c10')}`,
      'urn:uuid',
    ],
    ['a number out of range (22003)', 'POST', '/v1/amounts/99999999999999', '99999999999999'],
    ['a date out of range (22008)', 'GET', '/v1/days/300000-01-01', '300000-01-01'],
  ] as const)('answers %s with a 400 problem that echoes neither the value nor the driver', async (_label, method, url, value) => {
    const res = await app.inject({ method, url, headers: caller });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({
      status: 400,
      code: 'INVALID_PARAMETER',
      type: 'urn:problem:invalid-parameter',
    });
    expect(res.json().detail).not.toContain(value);
    expect(res.body).not.toMatch(/invalid input syntax|out of range|22P02|22003|22008/);
  });

  it('still answers a bug of ours (a syntax error) with a plain 500', async () => {
    const res = await app.inject({ url: '/v1/broken-sql', headers: caller });
    expect(res.statusCode).toBe(500);
    expect(res.json().code).toBe('INTERNAL_ERROR');
  });

  it('answers 503 DATABASE_UNAVAILABLE with Retry-After when the server shuts the connection down mid-query (57P01)', async () => {
    const pending = app.inject({ url: '/v1/slow', headers: caller });
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      let terminated = 0;
      for (let attempt = 0; attempt < 100 && terminated === 0; attempt += 1) {
        const { rows } = await admin.query(
          `SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity WHERE datname = $1 AND query LIKE '%slow-route%' AND pid <> pg_backend_pid()`,
          [database.name],
        );
        terminated = rows.length;
        if (!terminated) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(terminated).toBe(1);
    } finally {
      await admin.end();
    }
    const res = await pending;
    expect(res.statusCode).toBe(503);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['retry-after']).toMatch(/^\d+$/);
    expect(res.json()).toMatchObject({
      status: 503,
      code: 'DATABASE_UNAVAILABLE',
    });
    expect(res.body).not.toMatch(/57P01|terminat/i);
  });

  it('answers 503 DATABASE_UNAVAILABLE when the database cannot be reached at all, for queries and transactions', async () => {
    await relay.cut();
    const read = await app.inject({
      url: '/v1/entries/5f0c8a9e-4a8e-4e7b-9d3c-3f1d2b6a7c10',
      headers: caller,
    });
    const write = await app.inject({
      method: 'POST',
      url: '/v1/amounts/12',
      headers: caller,
    });
    for (const res of [read, write]) {
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ code: 'DATABASE_UNAVAILABLE' });
      expect(res.headers['retry-after']).toMatch(/^\d+$/);
      expect(res.body).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
    }
  });
});

describe('classifyDatabaseError', () => {
  it('reads a socket error as unavailability only when the database layer raised it', () => {
    const refused = () =>
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {
        code: 'ECONNREFUSED',
      });
    expect(classifyDatabaseError(refused())).toBeUndefined();
    expect(classifyDatabaseError(markDatabaseError(refused()))).toBe('unavailable');
    expect(classifyDatabaseError(new Error('wrapped', { cause: markDatabaseError(refused()) }))).toBe('unavailable');
  });

  it('times out a connection attempt to a server that never answers and calls it unavailable', async () => {
    const database = await createTestDatabase();
    const silent = new CuttableRelay(targetOf(database.url), false);
    await silent.open();
    const db = await openDatabase({
      databaseUrl: silent.urlFor(database.url),
      dataDir: '.data',
      databaseName: 'unused',
      log: silentLog,
      connectionTimeoutMs: 200,
    });
    try {
      const failure = await db.query('SELECT 1').then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(classifyDatabaseError(failure)).toBe('unavailable');
    } finally {
      await db.close();
      await silent.cut();
      await database.drop();
    }
  });
});
