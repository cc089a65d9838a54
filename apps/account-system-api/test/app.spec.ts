import { buildTestApp, callers, credentialOf, customerRequest, newIdempotencyKey, UNKNOWN_ID, type TestApp } from './helper';

const OPERATIONS = [
  { operationId: 'createCustomer', method: 'POST', url: '/v1/customers', path: '/v1/customers' },
  { operationId: 'getCustomer', method: 'GET', url: `/v1/customers/${UNKNOWN_ID}`, path: '/v1/customers/{customerId}' },
  { operationId: 'openAccount', method: 'POST', url: '/v1/accounts', path: '/v1/accounts' },
  { operationId: 'getAccount', method: 'GET', url: `/v1/accounts/${UNKNOWN_ID}`, path: '/v1/accounts/{accountId}' },
  {
    operationId: 'listCustomerAccounts',
    method: 'GET',
    url: `/v1/customers/${UNKNOWN_ID}/accounts`,
    path: '/v1/customers/{customerId}/accounts',
  },
  {
    operationId: 'changeAccountStatus',
    method: 'POST',
    url: `/v1/accounts/${UNKNOWN_ID}/status`,
    path: '/v1/accounts/{accountId}/status',
  },
  { operationId: 'getBalance', method: 'GET', url: `/v1/accounts/${UNKNOWN_ID}/balance`, path: '/v1/accounts/{accountId}/balance' },
  {
    operationId: 'postTransaction',
    method: 'POST',
    url: `/v1/accounts/${UNKNOWN_ID}/transactions`,
    path: '/v1/accounts/{accountId}/transactions',
  },
  {
    operationId: 'listTransactions',
    method: 'GET',
    url: `/v1/accounts/${UNKNOWN_ID}/transactions`,
    path: '/v1/accounts/{accountId}/transactions',
  },
] as const;

describe('account System API', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await buildTestApp();
  });
  afterAll(() => testApp.close());

  const call = (operation: (typeof OPERATIONS)[number], headers: Record<string, string>) =>
    testApp.app.inject({
      method: operation.method,
      url: operation.url,
      headers: { ...headers, 'idempotency-key': newIdempotencyKey() },
      ...(operation.method === 'POST' ? { payload: {} } : {}),
    });

  describe('callers', () => {
    it.each(OPERATIONS)('refuses an anonymous caller of $operationId with 401', async (operation) => {
      const res = await call(operation, {});
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ code: 'UNAUTHENTICATED_CALLER' });
    });

    it.each(OPERATIONS)('refuses an experience-layer caller of $operationId with 403', async (operation) => {
      const res = await call(operation, credentialOf(callers.experience));
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ code: 'CALLER_NOT_ALLOWED' });
    });

    it('serves process-layer and operator callers', async () => {
      const created = await testApp.app.inject({
        method: 'POST',
        url: '/v1/customers',
        payload: customerRequest(),
        headers: { ...credentialOf(callers.process), 'idempotency-key': newIdempotencyKey() },
      });
      expect(created.statusCode).toBe(201);
      const read = await testApp.app.inject({ url: `/v1/customers/${created.json().customerId}`, headers: credentialOf(callers.operator) });
      expect(read.statusCode).toBe(200);
    });
  });

  describe('operations', () => {
    it('is ready when its database answers', async () => {
      const res = await testApp.app.inject({ url: '/health/ready' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ status: 'ok', checks: { database: 'ok' } });
    });

    it('documents every operation in OpenAPI with a summary, a tag and problem answers', async () => {
      const doc = (await testApp.app.inject({ url: '/openapi.json' })).json();
      for (const operation of OPERATIONS) {
        const documented = doc.paths[operation.path]?.[operation.method.toLowerCase()];
        expect(documented).toMatchObject({ operationId: operation.operationId, summary: expect.any(String), tags: [expect.any(String)] });
        expect(Object.keys(documented.responses)).toEqual(expect.arrayContaining(['400', '401', '403', '500']));
      }
    });

    it('declares the replay header on the success answer of every write that takes an Idempotency-Key', async () => {
      const doc = (await testApp.app.inject({ url: '/openapi.json' })).json();
      const keyed = Object.values(
        doc.paths as Record<string, Record<string, { parameters?: Array<{ name: string }>; responses: Record<string, { headers?: object }> }>>,
      )
        .flatMap((methods) => Object.values(methods))
        .filter((operation) => operation.parameters?.some((parameter) => parameter.name === 'idempotency-key'));
      expect(keyed.length).toBe(3);
      for (const operation of keyed) {
        for (const [status, response] of Object.entries(operation.responses)) {
          if (status.startsWith('2')) expect(response.headers).toHaveProperty('Idempotent-Replayed');
        }
      }
    });

    it('names the contract schemas in OpenAPI components', async () => {
      const doc = (await testApp.app.inject({ url: '/openapi.json' })).json();
      expect(Object.keys(doc.components.schemas)).toEqual(
        expect.arrayContaining(['Customer', 'CreateCustomerRequest', 'Account', 'AccountList', 'AccountBalance', 'Transaction', 'TransactionPage']),
      );
    });
  });
});
