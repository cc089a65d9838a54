import Fastify, { type FastifyInstance } from 'fastify';
import pg from 'pg';
import { encodeFrame, gatewayCodec, ReasonCode } from '@bartholomew/mainframe-codec';
import type { RunningGateway } from '../src/gateway';
import { operations } from '../src/operations';
import { addCustomer, customerAddRequest, GatewayTestClient, startTestGateway, type TestGateway } from './helper';

/** The operations port of one gateway, served in-process. */
async function operationsOf(gateway: RunningGateway): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  await app.register(operations, { gateway });
  await app.ready();
  return app;
}

/** The value of one sample of the Prometheus text, or undefined when the series is absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name}{`) && wanted.every((label) => candidate.includes(label)));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

const waitFor = async (condition: () => Promise<boolean>) => {
  const deadline = Date.now() + 5_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met within 5 s');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

describe('the operations port', () => {
  let gw: TestGateway;
  let app: FastifyInstance;
  beforeAll(async () => {
    gw = await startTestGateway();
    app = await operationsOf(gw.gateway);
  });
  afterAll(async () => {
    await app?.close();
    await gw?.close();
  });

  it('is live, and ready while its database answers and its TCP listener accepts sessions', async () => {
    expect((await app.inject({ url: '/health/live' })).json()).toEqual({ status: 'ok' });
    const ready = await app.inject({ url: '/health/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ok', checks: { database: 'ok', components: { listener: 'ok' } } });
  });

  it('answers any other path 404 problem+json, without echoing the path: there is no API here', async () => {
    const answer = await app.inject({ url: '/v1/accounts/123-45-6789' });
    expect(answer.statusCode).toBe(404);
    expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(answer.json()).toMatchObject({ status: 404, code: 'ROUTE_NOT_FOUND' });
    expect(answer.body).not.toContain('123-45-6789');
  });

  it('counts answers by transaction, return and reason code, and shows the sessions open against the limit', async () => {
    const client = await GatewayTestClient.connect(gw.gateway.port);
    await addCustomer(client);
    await addCustomer(client);
    const missing = await client.call('CUSTINQ', { inqSearchBy: 'C', inqCustId: 1, inqTaxId: 0 });
    expect(missing.reasonCode).toBe(ReasonCode.CUSTOMER_NOT_FOUND);
    await client.call('CUSTADD', customerAddRequest(), 99); // out of sequence

    const metrics = await app.inject({ url: '/metrics' });
    expect(metrics.statusCode).toBe(200);
    expect(metrics.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = metrics.body;
    expect(sample(text, 'gateway_requests_total', { tran_code: 'CUSTADD', return_code: '0', reason_code: '0000' })).toBe(2);
    expect(sample(text, 'gateway_requests_total', { tran_code: 'CUSTINQ', return_code: '8', reason_code: '0801' })).toBe(1);
    expect(sample(text, 'gateway_requests_total', { tran_code: 'CUSTADD', return_code: '12', reason_code: '1201' })).toBe(1);
    expect(sample(text, 'gateway_sessions_open', { service: 'core-banking-gateway' })).toBe(1);
    expect(sample(text, 'gateway_sessions_max')).toBe(16);
    expect(sample(text, 'gateway_batch_window_open')).toBe(0);
    expect(text).toMatch(/^process_cpu_user_seconds_total\{service="core-banking-gateway"\} /m);

    await client.end();
    await waitFor(async () => sample((await app.inject({ url: '/metrics' })).body, 'gateway_sessions_open') === 0);
  });

  it('labels a transaction code that is none of the transactions `unknown`, so a client cannot invent series', async () => {
    const client = await GatewayTestClient.connect(gw.gateway.port);
    const header = gatewayCodec('MESSAGE-HEADER').encode({
      msgTranCode: 'NOSUCHTX',
      msgVersion: 1,
      msgClientId: 'TESTCLNT',
      msgSequenceNo: 1,
      msgReturnCode: 0,
      msgReasonCode: 0,
      msgRetrySeconds: 0,
      msgBodyLength: 0,
    });
    const answer = await client.raw(encodeFrame(header));
    expect(answer.header.msgReasonCode).toBe(ReasonCode.UNKNOWN_TRANSACTION);
    await client.end();
    const text = (await app.inject({ url: '/metrics' })).body;
    expect(sample(text, 'gateway_requests_total', { tran_code: 'unknown', return_code: '12', reason_code: '1202' })).toBe(1);
    expect(text).not.toContain('NOSUCHTX');
  });

  it('shows the batch window open while it refuses updates', async () => {
    const now = new Date();
    const hhmm = (date: Date) => date.toISOString().slice(11, 16);
    const windowed = await gw.start({
      GATEWAY_BATCH_WINDOW: `${hhmm(new Date(now.getTime() - 60 * 60_000))}-${hhmm(new Date(now.getTime() + 60 * 60_000))}`,
    });
    const windowedApp = await operationsOf(windowed);
    try {
      expect(sample((await windowedApp.inject({ url: '/metrics' })).body, 'gateway_batch_window_open')).toBe(1);
    } finally {
      await windowedApp.close();
      await windowed.close();
    }
  });

  it('is not ready once the TCP listener has closed', async () => {
    const closing = await gw.start();
    const closingApp = await operationsOf(closing);
    try {
      await closing.server.close(0);
      const ready = await closingApp.inject({ url: '/health/ready' });
      expect(ready.statusCode).toBe(503);
      expect(ready.json()).toEqual({ status: 'unavailable', checks: { database: 'ok', components: { listener: 'unavailable' } } });
      expect((await closingApp.inject({ url: '/health/live' })).statusCode).toBe(200);
    } finally {
      await closingApp.close();
      await closing.close();
    }
  });
});

describe('the operations port, when the database fails', () => {
  let gw: TestGateway;
  let app: FastifyInstance;
  let admin: pg.Client;
  beforeAll(async () => {
    gw = await startTestGateway();
    app = await operationsOf(gw.gateway);
    admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.query(`ALTER DATABASE ${admin.escapeIdentifier(gw.database.name)} WITH ALLOW_CONNECTIONS true`).catch(() => undefined);
    await admin?.end();
    await app?.close();
    await gw?.close();
  });

  it('answers 503 naming the database while it refuses connections, and 200 again once it is back', async () => {
    const database = admin.escapeIdentifier(gw.database.name);
    await admin.query(`ALTER DATABASE ${database} WITH ALLOW_CONNECTIONS false`);
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [gw.database.name]);
    const down = await app.inject({ url: '/health/ready' });
    expect(down.statusCode).toBe(503);
    expect(down.json()).toEqual({ status: 'unavailable', checks: { database: 'unavailable', components: { listener: 'ok' } } });

    await admin.query(`ALTER DATABASE ${database} WITH ALLOW_CONNECTIONS true`);
    expect((await app.inject({ url: '/health/ready' })).statusCode).toBe(200);
  });
});
