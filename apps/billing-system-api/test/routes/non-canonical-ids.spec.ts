import { randomUUID } from 'node:crypto';
import { addPaymentMethod, bankAccount, buildTestApp, expectProblem, newKey, openBillingAccount, openingRequest, type TestApp } from '../helper';

const CANONICAL = '5f0c8a9e-4a8e-4e7b-9d3c-3f1d2b6a7c10';

/**
 * Ids in forms ajv's `uuid` format accepts or PostgreSQL would read differently — `urn:uuid:`,
 * braces, upper case, no dashes, odd dashes — are the caller's mistake: a 400 problem that does
 * not echo the id, never a 500 from the database refusing it.
 */
describe('ids that are not in the canonical form', () => {
  let test: TestApp;
  let billingAccountId: string;
  let paymentMethodId: string;
  beforeAll(async () => {
    test = await buildTestApp();
    billingAccountId = await openBillingAccount(test);
    paymentMethodId = await addPaymentMethod(test, billingAccountId);
  });
  afterAll(() => test.close());

  const nonCanonical = [
    `urn:uuid:${CANONICAL}`,
    `{${CANONICAL}}`,
    CANONICAL.toUpperCase(),
    CANONICAL.replace(/-/g, ''),
    '5f0c8a9e4a8e-4e7b-9d3c-3f1d-2b6a7c10',
  ];

  const routes = (id: string) => {
    const inPath = encodeURIComponent(id);
    return [
      {
        method: 'GET' as const,
        url: `/v1/billing-accounts?customerId=${inPath}`,
      },
      {
        method: 'GET' as const,
        url: `/v1/billing-account-summaries?customerId=${inPath}`,
      },
      { method: 'GET' as const, url: `/v1/billing-accounts/${inPath}` },
      { method: 'POST' as const, url: `/v1/billing-accounts/${inPath}/close` },
      {
        method: 'POST' as const,
        url: `/v1/billing-accounts/${inPath}/plan`,
        payload: { planCode: 'premium-checking' },
      },
      {
        method: 'GET' as const,
        url: `/v1/billing-accounts/${inPath}/payment-methods`,
      },
      {
        method: 'POST' as const,
        url: `/v1/billing-accounts/${inPath}/payment-methods`,
        payload: bankAccount(),
      },
      {
        method: 'GET' as const,
        url: `/v1/billing-accounts/${billingAccountId}/payment-methods/${inPath}`,
      },
      {
        method: 'GET' as const,
        url: `/v1/billing-accounts/${inPath}/payment-methods/${paymentMethodId}`,
      },
      {
        method: 'POST' as const,
        url: `/v1/billing-accounts/${billingAccountId}/payment-methods/${inPath}/verification`,
        payload: { amountsMinor: [12, 34] },
      },
      {
        method: 'POST' as const,
        url: '/v1/billing-accounts',
        payload: openingRequest({ customerId: id }),
      },
      {
        method: 'POST' as const,
        url: '/v1/billing-accounts',
        payload: openingRequest({ accountId: id }),
      },
    ];
  };

  it.each(nonCanonical)('answers %s with a 400 problem on every route that takes an id', async (id) => {
    for (const route of routes(id)) {
      const res = await test.call({
        ...route,
        headers: { 'idempotency-key': newKey() },
      });
      expect({
        route: `${route.method} ${route.url}`,
        status: res.statusCode,
      }).toEqual({ route: `${route.method} ${route.url}`, status: 400 });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(res.json().detail).not.toContain(id);
    }
  });

  it('still serves the canonical form', async () => {
    const res = await test.call({
      url: `/v1/billing-accounts/${billingAccountId}/payment-methods/${paymentMethodId}`,
    });
    expect(res.statusCode).toBe(200);
    const unknown = await test.call({
      url: `/v1/billing-accounts/${randomUUID()}`,
    });
    expectProblem(unknown, 404, 'BILLING_ACCOUNT_NOT_FOUND');
  });
});
