import { PiiVault } from '@bartholomew/platform';
import { captureLogs } from '@bartholomew/testing';
import { accountKeyOf } from '../../src/core-banking/mainframe/core-keys';
import { asProcess, buildTestApp, customerRequest, getJson, newIdempotencyKey, postJson, TEST_PII_KEY, type TestApp } from '../helper';
import { closedPort, startTestGateway, type TestGateway } from './mainframe-support';

/** The app with CORE_BANKING_BACKEND=mainframe, on the gateway at `port`. */
const mainframeApp = (port: number, config: Record<string, string> = {}, logStream?: { write(line: string): void }) =>
  buildTestApp({
    config: { CORE_BANKING_BACKEND: 'mainframe', CORE_BANKING_GATEWAY_PORT: String(port), ...config },
    ...(logStream ? { server: { logStream } } : {}),
  });

describe('the account System API on the mainframe backend', () => {
  let core: TestGateway;
  const apps: TestApp[] = [];
  beforeAll(async () => {
    core = await startTestGateway();
  });
  afterAll(async () => {
    for (const testApp of apps) await testApp.close();
    await core.close();
  });
  const started = async (testApp: Promise<TestApp>) => {
    apps.push(await testApp);
    return apps[apps.length - 1].app;
  };

  describe('served from the core', () => {
    const logs = captureLogs();

    it('opens an account and posts to it through the gateway, and no SSN or account number reaches a log', async () => {
      const app = await started(mainframeApp(core.gateway.port, { LOG_LEVEL: 'trace' }, logs.stream));
      const created = await postJson(app, '/v1/customers', customerRequest({ taxId: '123-45-6780' }), { 'idempotency-key': newIdempotencyKey() });
      expect(created.statusCode).toBe(201);
      expect(created.json()).toMatchObject({ taxIdLast4: '6780' });
      const duplicate = await postJson(app, '/v1/customers', customerRequest({ taxId: '123456780' }), { 'idempotency-key': newIdempotencyKey() });
      expect(duplicate.statusCode).toBe(409);
      expect(duplicate.json()).toMatchObject({ code: 'CUSTOMER_ALREADY_EXISTS' });

      const opened = await postJson(
        app,
        '/v1/accounts',
        { customerId: created.json().customerId, productType: 'savings', currency: 'USD' },
        { 'idempotency-key': newIdempotencyKey() },
      );
      expect(opened.statusCode).toBe(201);
      const accountId: string = opened.json().accountId;
      const key = newIdempotencyKey();
      const deposit = { direction: 'credit', amount: { amountMinor: 2_500, currency: 'USD' }, description: 'Opening deposit' };
      const posted = await postJson(app, `/v1/accounts/${accountId}/transactions`, deposit, { 'idempotency-key': key });
      const replayed = await postJson(app, `/v1/accounts/${accountId}/transactions`, deposit, { 'idempotency-key': key });
      expect(posted.statusCode).toBe(201);
      expect(replayed.statusCode).toBe(201);
      expect(replayed.headers['idempotent-replayed']).toBe('true');
      expect(replayed.json()).toEqual(posted.json());
      const overdraft = await postJson(
        app,
        `/v1/accounts/${accountId}/transactions`,
        { direction: 'debit', amount: { amountMinor: 9_999, currency: 'USD' }, description: 'Too much' },
        { 'idempotency-key': newIdempotencyKey() },
      );
      expect(overdraft.statusCode).toBe(422);
      expect(overdraft.json()).toMatchObject({ code: 'INSUFFICIENT_FUNDS' });
      expect((await getJson(app, `/v1/accounts/${accountId}/balance`)).json()).toMatchObject({ ledgerBalance: { amountMinor: 2_500 } });

      const { rows } = await core.gateway.db.query<{ acct_number_encrypted: string }>(
        'SELECT acct_number_encrypted FROM accounts WHERE acct_id = $1',
        [accountKeyOf(accountId)],
      );
      expect(rows).toHaveLength(1);
      // The gateway stores it under the same test key; the adapter saw it in full in ACCTOPN's record.
      const accountNumber = new PiiVault(Buffer.from(TEST_PII_KEY, 'base64')).decrypt(rows[0].acct_number_encrypted);
      expect(accountNumber).toMatch(/^[0-9]{11}$/);
      const text = logs.text();
      expect(logs.records().some((record) => record.code === 'INSUFFICIENT_FUNDS')).toBe(true);
      expect(text).not.toContain('123-45-6780');
      expect(text).not.toContain('123456780');
      expect(text).not.toContain(accountNumber);
      expect(JSON.stringify([created.json(), opened.json(), posted.json()])).not.toContain(accountNumber);
    });
  });

  describe('in the batch window', () => {
    it('answers a write 503 CORE_BANKING_BATCH_WINDOW with Retry-After until the window closes, and still answers reads', async () => {
      const windowed = await core.startAnother({ GATEWAY_BATCH_WINDOW: '23:00-01:00' }, () => new Date('2026-03-02T00:15:00.000Z'));
      const app = await started(mainframeApp(windowed.port));
      const refused = await postJson(app, '/v1/customers', customerRequest(), { 'idempotency-key': newIdempotencyKey() });
      expect(refused.statusCode).toBe(503);
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(refused.headers['retry-after']).toBe('2700');
      expect(refused.json()).toMatchObject({ status: 503, code: 'CORE_BANKING_BATCH_WINDOW' });
      const search = await postJson(app, '/v1/customers/search', { taxId: '000-00-0001' });
      expect(search.statusCode).toBe(200);
    });
  });

  describe('with the gateway down', () => {
    it('answers 503 with Retry-After, opens the breaker, and shows it in /health/ready and /metrics', async () => {
      const app = await started(mainframeApp(await closedPort()));
      const customerId = 'c0b00001-0000-8000-8000-001000000001';
      for (let i = 0; i < 5; i++) {
        const down = await getJson(app, `/v1/customers/${customerId}`);
        expect(down.statusCode).toBe(503);
        expect(down.json()).toMatchObject({ code: 'DOWNSTREAM_UNAVAILABLE' });
      }
      const shortCircuited = await getJson(app, `/v1/customers/${customerId}`);
      expect(shortCircuited.statusCode).toBe(503);
      expect(shortCircuited.headers['retry-after']).toMatch(/^[1-9][0-9]*$/);

      const ready = await app.inject({ url: '/health/ready', headers: asProcess });
      expect(ready.json()).toMatchObject({ status: 'degraded', checks: { downstreams: { 'core-banking-gateway': 'open' } } });
      const metrics = await app.inject({ url: '/metrics', headers: asProcess });
      expect(metrics.body).toMatch(/downstream_circuit_state\{[^}]*downstream="core-banking-gateway"[^}]*\} 2/);
    });
  });
});
