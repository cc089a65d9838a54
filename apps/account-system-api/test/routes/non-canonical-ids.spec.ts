import { asProcess, buildTestApp, newIdempotencyKey, openAccount, PROBLEM_JSON, type TestApp } from '../helper';

const CANONICAL = '5f0c8a9e-4a8e-4e7b-9d3c-3f1d2b6a7c10';

/**
 * Ids in forms ajv's `uuid` format accepts or PostgreSQL would read differently — `urn:uuid:`,
 * braces, upper case, no dashes, odd dashes — are the caller's mistake: a 400 problem that does
 * not echo the id, never a 500 from the database refusing it.
 */
describe('ids that are not in the canonical form', () => {
  let testApp: TestApp;
  let accountId: string;
  beforeAll(async () => {
    testApp = await buildTestApp();
    accountId = (await openAccount(testApp.app)).accountId;
  });
  afterAll(() => testApp.close());

  const nonCanonical = [
    `urn:uuid:${CANONICAL}`,
    `{${CANONICAL}}`,
    CANONICAL.toUpperCase(),
    CANONICAL.replace(/-/g, ''),
    '5f0c8a9e4a8e-4e7b-9d3c-3f1d-2b6a7c10',
  ];

  const routes = (id: string) => [
    { method: 'GET' as const, url: `/v1/customers/${encodeURIComponent(id)}` },
    {
      method: 'GET' as const,
      url: `/v1/customers/${encodeURIComponent(id)}/accounts`,
    },
    {
      method: 'GET' as const,
      url: `/v1/customers/${encodeURIComponent(id)}/account-summaries`,
    },
    {
      method: 'GET' as const,
      url: `/v1/customers/${encodeURIComponent(id)}/relationship`,
    },
    { method: 'GET' as const, url: `/v1/accounts/${encodeURIComponent(id)}` },
    {
      method: 'GET' as const,
      url: `/v1/accounts/${encodeURIComponent(id)}/balance`,
    },
    {
      method: 'GET' as const,
      url: `/v1/accounts/${encodeURIComponent(id)}/transactions`,
    },
    {
      method: 'POST' as const,
      url: `/v1/accounts/${encodeURIComponent(id)}/transactions`,
      payload: {
        direction: 'credit',
        amount: { amountMinor: 100, currency: 'USD' },
        description: 'Deposit',
      },
    },
    {
      method: 'POST' as const,
      url: '/v1/accounts',
      payload: { customerId: id, productType: 'checking', currency: 'USD' },
    },
  ];

  it.each(nonCanonical)('answers %s with a 400 problem on every route that takes an id', async (id) => {
    for (const route of routes(id)) {
      const res = await testApp.app.inject({
        ...route,
        headers: { ...asProcess, 'idempotency-key': newIdempotencyKey() },
      });
      expect({
        route: route.url,
        status: res.statusCode,
        contentType: res.headers['content-type'],
      }).toEqual({
        route: route.url,
        status: 400,
        contentType: expect.stringMatching(PROBLEM_JSON),
      });
      expect(res.json()).toMatchObject({
        status: 400,
        code: 'VALIDATION_FAILED',
      });
      expect(res.json().detail).not.toContain(id);
    }
  });

  it('still serves the canonical form', async () => {
    const res = await testApp.app.inject({
      url: `/v1/accounts/${accountId}`,
      headers: asProcess,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().accountId).toBe(accountId);
  });
});
