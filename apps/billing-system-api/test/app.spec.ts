import { buildTestApp, callers, expectProblem, type TestApp } from './helper';

describe('billing System API', () => {
  let test: TestApp;
  beforeAll(async () => {
    test = await buildTestApp();
  });
  afterAll(() => test.close());

  describe('callers', () => {
    it('refuses an anonymous caller with 401', async () => {
      expectProblem(await test.app.inject({ url: '/v1/fee-plans' }), 401, 'UNAUTHENTICATED_CALLER');
    });

    it('refuses a credential with a wrong secret with 401', async () => {
      const res = await test.app.inject({ url: '/v1/fee-plans', headers: { 'x-service-credential': 'onboarding-process-api.not-the-right-secret' } });
      expectProblem(res, 401, 'UNAUTHENTICATED_CALLER');
    });

    it('refuses an experience-layer caller with 403, even on writes', async () => {
      expectProblem(await test.app.inject({ url: '/v1/fee-plans', headers: callers.experience }), 403, 'CALLER_NOT_ALLOWED');
      const write = await test.app.inject({
        method: 'POST',
        url: '/v1/billing-accounts',
        headers: { ...callers.experience, 'idempotency-key': 'experience-key-1' },
        payload: {},
      });
      expectProblem(write, 403, 'CALLER_NOT_ALLOWED');
    });

    it('serves process-layer and operator callers', async () => {
      expect((await test.app.inject({ url: '/v1/fee-plans', headers: callers.process })).statusCode).toBe(200);
      expect((await test.app.inject({ url: '/v1/fee-plans', headers: callers.operator })).statusCode).toBe(200);
    });
  });

  describe('operations', () => {
    it('is ready once its database is migrated', async () => {
      const res = await test.app.inject({ url: '/health/ready' });
      expect(res.statusCode).toBe(200);
    });

    it('answers an unknown route with a 404 problem', async () => {
      expectProblem(await test.call({ url: '/v1/invoices' }), 404, 'ROUTE_NOT_FOUND');
    });

    it('declares the replay header on the success answer of every write that takes an Idempotency-Key', async () => {
      const doc = (await test.app.inject({ url: '/openapi.json' })).json();
      const keyed = Object.values(
        doc.paths as Record<string, Record<string, { parameters?: Array<{ name: string }>; responses: Record<string, { headers?: object }> }>>,
      )
        .flatMap((methods) => Object.values(methods))
        .filter((operation) => operation.parameters?.some((parameter) => parameter.name === 'idempotency-key'));
      expect(keyed.length).toBe(2);
      for (const operation of keyed) {
        for (const [status, response] of Object.entries(operation.responses)) {
          if (status.startsWith('2')) expect(response.headers).toHaveProperty('Idempotent-Replayed');
        }
      }
    });

    it('publishes every operation in OpenAPI with an id, a summary, a tag and its problem answers', async () => {
      const doc = (await test.app.inject({ url: '/openapi.json' })).json();
      const operations = Object.entries(doc.paths as Record<string, Record<string, Record<string, unknown>>>).flatMap(([path, methods]) =>
        Object.entries(methods).map(([method, operation]) => ({ path, method, operation })),
      );

      expect(operations.map(({ operation }) => operation.operationId).sort()).toEqual([
        'addPaymentMethod',
        'changeFeePlan',
        'closeBillingAccount',
        'getBillingAccount',
        'getFeePlan',
        'getPaymentMethod',
        'listBillingAccountSummaries',
        'listBillingAccountsOfCustomer',
        'listFeePlans',
        'listPaymentMethods',
        'openBillingAccount',
        'recordPaymentMethodVerification',
      ]);
      for (const { operation } of operations) {
        expect(operation).toMatchObject({ summary: expect.any(String), tags: [expect.any(String)] });
        expect(Object.keys(operation.responses as object)).toEqual(expect.arrayContaining(['400', '401', '403', '500']));
      }
      expect(Object.keys(doc.components.schemas)).toEqual(
        expect.arrayContaining(['BillingAccount', 'FeePlan', 'PaymentMethod', 'AddPaymentMethodRequest', 'OpenBillingAccountRequest']),
      );
    });
  });
});
