import { captureLogs } from '@bartholomew/testing';
import { buildTestApp, customerRequest, newIdempotencyKey, openAccount, post, postJson, type TestApp } from './helper';

/** SSNs and account numbers are PII: they must not reach a log line, not even inside an error. */
describe('logs', () => {
  const logs = captureLogs();
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await buildTestApp({ config: { LOG_LEVEL: 'trace' }, server: { logStream: logs.stream } });
  });
  afterAll(() => testApp.close());

  it('never contain an SSN or an account number, even when the SSN collides', async () => {
    const { app } = testApp;
    const first = await postJson(app, '/v1/customers', customerRequest({ taxId: '987-65-4321' }), { 'idempotency-key': newIdempotencyKey() });
    expect(first.statusCode).toBe(201);
    // The same SSN in both formats: the database's unique violation carries the fingerprint, the
    // error handler sees the collision — none of it may leave the SSN in a log.
    for (const taxId of ['987-65-4321', '987654321']) {
      const duplicate = await postJson(app, '/v1/customers', customerRequest({ taxId }), { 'idempotency-key': newIdempotencyKey() });
      expect(duplicate.statusCode).toBe(409);
    }
    // Found by SSN: the search carries it in the body, and a malformed one is refused without echoing it.
    expect((await postJson(app, '/v1/customers/search', { taxId: '987654321' })).json().items).toHaveLength(1);
    expect((await postJson(app, '/v1/customers/search', { taxId: '987-65-4321x' })).statusCode).toBe(400);
    const account = await openAccount(app, first.json().customerId);
    await post(app, account.accountId, 'credit', 1_000);
    await post(app, account.accountId, 'debit', 5_000);
    await app.inject({
      url: `/v1/accounts/${account.accountId}`,
      headers: { 'x-service-credential': 'onboarding-process-api.process-secret-0123456789' },
    });

    const { rows } = await app.db.query<{ account_number_encrypted: string }>('SELECT account_number_encrypted FROM accounts');
    const accountNumbers = rows.map((row) => app.pii.decrypt(row.account_number_encrypted));
    expect(accountNumbers).toHaveLength(1);

    const text = logs.text();
    // The capture saw the refusals, so the absence below is meaningful.
    expect(logs.records().filter((record) => record.code === 'CUSTOMER_ALREADY_EXISTS')).toHaveLength(2);
    expect(logs.records().some((record) => record.code === 'INSUFFICIENT_FUNDS')).toBe(true);
    expect(text).not.toContain('987-65-4321');
    expect(text).not.toContain('987654321');
    for (const accountNumber of accountNumbers) expect(text).not.toContain(accountNumber);
    expect(text).not.toContain('process-secret-0123456789');
  });
});
