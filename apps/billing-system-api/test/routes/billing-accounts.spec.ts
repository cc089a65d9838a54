import { randomUUID } from 'node:crypto';
import {
  addPaymentMethod,
  bankAccount,
  buildTestApp,
  callers,
  expectProblem,
  newKey,
  openBillingAccount,
  openingRequest,
  type TestApp,
} from '../helper';

describe('billing account routes', () => {
  let test: TestApp;
  beforeAll(async () => {
    test = await buildTestApp();
  });
  afterAll(() => test.close());

  const open = (payload: unknown, key: string = newKey(), headers: Record<string, string> = {}) =>
    test.call({ method: 'POST', url: '/v1/billing-accounts', payload: payload as object, headers: { 'idempotency-key': key, ...headers } });
  const countBillingAccounts = async (where = 'true', params: unknown[] = []) =>
    (await test.app.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM billing_accounts WHERE ${where}`, params)).rows[0].n;

  describe('POST /v1/billing-accounts', () => {
    it('opens an open billing account on the requested plan and says where it lives', async () => {
      const request = openingRequest({ planCode: 'premium-checking' });
      const res = await open(request);

      expect(res.statusCode).toBe(201);
      const account = res.json();
      expect(account).toEqual({
        billingAccountId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        ...request,
        status: 'open',
        openedAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      expect(res.headers.location).toBe(`/v1/billing-accounts/${account.billingAccountId}`);
      expect(res.headers['idempotent-replayed']).toBeUndefined();
      expect(await countBillingAccounts('id = $1', [account.billingAccountId])).toBe(1);
    });

    it('replays the first answer for the same key and body, without opening a second account', async () => {
      const key = newKey();
      const request = openingRequest();
      const first = await open(request, key);
      const again = await open(request, key);

      expect(again.statusCode).toBe(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.json()).toEqual(first.json());
      expect(await countBillingAccounts('customer_id = $1', [request.customerId])).toBe(1);
    });

    it('refuses the same key with a different body with 422 IDEMPOTENCY_KEY_REUSED', async () => {
      const key = newKey();
      const request = openingRequest();
      await open(request, key);
      const res = await open({ ...request, planCode: 'premium-checking' }, key);

      expectProblem(res, 422, 'IDEMPOTENCY_KEY_REUSED');
      expect(await countBillingAccounts('customer_id = $1', [request.customerId])).toBe(1);
    });

    it('opens exactly one billing account for twenty concurrent requests with one key', async () => {
      const key = newKey();
      const request = openingRequest();
      const answers = await Promise.all(Array.from({ length: 20 }, () => open(request, key)));

      expect(answers.map((res) => res.statusCode)).toEqual(Array(20).fill(201));
      expect(new Set(answers.map((res) => res.json().billingAccountId)).size).toBe(1);
      expect(answers.filter((res) => res.headers['idempotent-replayed'] === 'true')).toHaveLength(19);
      expect(await countBillingAccounts('customer_id = $1', [request.customerId])).toBe(1);
    });

    it('keeps idempotency keys apart per caller: another caller’s identical key is a new request', async () => {
      const key = newKey();
      const first = await open(openingRequest(), key);
      const other = await open(openingRequest(), key, callers.operator);

      expect(other.statusCode).toBe(201);
      expect(other.headers['idempotent-replayed']).toBeUndefined();
      expect(other.json().billingAccountId).not.toBe(first.json().billingAccountId);
    });

    it('answers 422 UNKNOWN_FEE_PLAN for a plan the catalogue does not have, and opens nothing', async () => {
      const request = openingRequest({ planCode: 'platinum-checking' });
      const res = await open(request);

      expectProblem(res, 422, 'UNKNOWN_FEE_PLAN');
      expect(await countBillingAccounts('customer_id = $1', [request.customerId])).toBe(0);
    });

    it('refuses a second open billing account for the same deposit account with 409, and allows one after closing', async () => {
      const request = openingRequest();
      const firstId = await openBillingAccount(test, request);

      expectProblem(await open({ ...request, customerId: randomUUID() }), 409, 'BILLING_ACCOUNT_ALREADY_EXISTS');

      await test.call({ method: 'POST', url: `/v1/billing-accounts/${firstId}/close` });
      const reopened = await open(request);
      expect(reopened.statusCode).toBe(201);
      expect(reopened.json().billingAccountId).not.toBe(firstId);
    });

    it.each([
      ['no Idempotency-Key', undefined],
      ['a malformed Idempotency-Key', 'short'],
      ['an Idempotency-Key with spaces', 'has spaces in it'],
    ])('refuses a request with %s with 400', async (_label, key) => {
      const request = openingRequest();
      const res = await test.call({
        method: 'POST',
        url: '/v1/billing-accounts',
        payload: request,
        headers: key === undefined ? {} : { 'idempotency-key': key },
      });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(await countBillingAccounts('customer_id = $1', [request.customerId])).toBe(0);
    });

    it.each([
      ['malformed JSON', '{"customerId": ', 'application/json', 400, 'MALFORMED_JSON'],
      ['an unknown field', JSON.stringify({ ...openingRequest(), discount: 100 }), 'application/json', 400, 'VALIDATION_FAILED'],
      ['a customer id that is a number', JSON.stringify({ ...openingRequest(), customerId: 42 }), 'application/json', 400, 'VALIDATION_FAILED'],
      [
        'a customer id that is not a UUID',
        JSON.stringify({ ...openingRequest(), customerId: 'cust-42' }),
        'application/json',
        400,
        'VALIDATION_FAILED',
      ],
      ['a missing plan code', JSON.stringify({ customerId: randomUUID(), accountId: randomUUID() }), 'application/json', 400, 'VALIDATION_FAILED'],
      ['an oversized body', JSON.stringify({ ...openingRequest(), planCode: 'x'.repeat(5000) }), 'application/json', 413, 'PAYLOAD_TOO_LARGE'],
      ['a form body', 'customerId=1&planCode=basic-checking', 'application/x-www-form-urlencoded', 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ])('answers %s with a problem, never a 500', async (_label, payload, contentType, status, code) => {
      const res = await test.call({
        method: 'POST',
        url: '/v1/billing-accounts',
        payload,
        headers: { 'content-type': contentType, 'idempotency-key': newKey() },
      });
      expectProblem(res, status, code);
    });
  });

  describe('GET /v1/billing-accounts/{billingAccountId}', () => {
    it('reads a billing account as it was opened', async () => {
      const request = openingRequest();
      const id = await openBillingAccount(test, request);
      const res = await test.call({ url: `/v1/billing-accounts/${id}` });

      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ billingAccountId: id, ...request, status: 'open' });
    });

    it('answers 404 BILLING_ACCOUNT_NOT_FOUND for an unknown id', async () => {
      const id = randomUUID();
      const res = await test.call({ url: `/v1/billing-accounts/${id}` });
      expectProblem(res, 404, 'BILLING_ACCOUNT_NOT_FOUND');
      expect(res.json().detail).toContain(id);
    });

    it('refuses an id that is not a UUID with 400', async () => {
      expectProblem(await test.call({ url: '/v1/billing-accounts/12345' }), 400, 'VALIDATION_FAILED');
    });
  });

  describe('GET /v1/billing-accounts?customerId=', () => {
    it('lists the billing accounts of that customer only, oldest first', async () => {
      const customerId = randomUUID();
      const first = await openBillingAccount(test, openingRequest({ customerId }));
      const second = await openBillingAccount(test, openingRequest({ customerId, planCode: 'everyday-savings' }));
      await openBillingAccount(test, openingRequest());

      const res = await test.call({ url: `/v1/billing-accounts?customerId=${customerId}` });
      expect(res.statusCode).toBe(200);
      expect(res.json().items.map((account: { billingAccountId: string }) => account.billingAccountId)).toEqual([first, second]);
    });

    it('answers an empty list for a customer without billing accounts', async () => {
      const res = await test.call({ url: `/v1/billing-accounts?customerId=${randomUUID()}` });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ items: [] });
    });

    it.each([
      ['without a customer id', '/v1/billing-accounts'],
      ['with a customer id that is not a UUID', '/v1/billing-accounts?customerId=42'],
      ['with an unknown query parameter', `/v1/billing-accounts?customerId=${randomUUID()}&status=open`],
    ])('refuses a listing %s with 400', async (_label, url) => {
      expectProblem(await test.call({ url }), 400, 'VALIDATION_FAILED');
    });
  });

  describe('GET /v1/billing-account-summaries?customerId=', () => {
    const summaries = (customerId: string) => test.call({ url: `/v1/billing-account-summaries?customerId=${customerId}` });

    it('lists that customer’s billing accounts as GET /v1/billing-accounts does, each with its own payment methods', async () => {
      const customerId = randomUUID();
      const first = await openBillingAccount(test, openingRequest({ customerId }));
      const second = await openBillingAccount(test, openingRequest({ customerId, planCode: 'everyday-savings' }));
      const other = await openBillingAccount(test, openingRequest());
      const firstMethods = [
        await addPaymentMethod(test, first, bankAccount({ accountNumber: '000111122223' })),
        await addPaymentMethod(test, first, bankAccount({ accountNumber: '000444455556' })),
      ];
      await addPaymentMethod(test, other);

      const res = await summaries(customerId);
      expect(res.statusCode).toBe(200);
      const listed = (await test.call({ url: `/v1/billing-accounts?customerId=${customerId}` })).json().items;
      const methodsOf = async (id: string) => (await test.call({ url: `/v1/billing-accounts/${id}/payment-methods` })).json().items;
      expect(res.json()).toEqual({
        items: [
          { billingAccount: listed[0], paymentMethods: await methodsOf(first) },
          { billingAccount: listed[1], paymentMethods: [] },
        ],
      });
      expect(listed.map((account: { billingAccountId: string }) => account.billingAccountId)).toEqual([first, second]);
      expect(res.json().items[0].paymentMethods.map((method: { paymentMethodId: string }) => method.paymentMethodId)).toEqual(firstMethods);
      expect(res.body).not.toContain('000111122223');
    });

    it('answers an empty list for a customer without billing accounts, and 400 without a customer id', async () => {
      expect((await summaries(randomUUID())).json()).toEqual({ items: [] });
      expectProblem(await test.call({ url: '/v1/billing-account-summaries' }), 400, 'VALIDATION_FAILED');
    });
  });

  describe('POST /v1/billing-accounts/{billingAccountId}/plan', () => {
    const changePlan = (id: string, payload: unknown) =>
      test.call({ method: 'POST', url: `/v1/billing-accounts/${id}/plan`, payload: payload as object });

    it('moves an open billing account to another plan', async () => {
      const id = await openBillingAccount(test);
      const before = (await test.call({ url: `/v1/billing-accounts/${id}` })).json();
      const res = await changePlan(id, { planCode: 'premium-checking' });

      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ billingAccountId: id, planCode: 'premium-checking', status: 'open' });
      expect(Date.parse(res.json().updatedAt)).toBeGreaterThanOrEqual(Date.parse(before.updatedAt));
      expect((await test.call({ url: `/v1/billing-accounts/${id}` })).json().planCode).toBe('premium-checking');
    });

    it('answers 422 UNKNOWN_FEE_PLAN for a plan the catalogue does not have and keeps the old plan', async () => {
      const id = await openBillingAccount(test);
      expectProblem(await changePlan(id, { planCode: 'platinum-checking' }), 422, 'UNKNOWN_FEE_PLAN');
      expect((await test.call({ url: `/v1/billing-accounts/${id}` })).json().planCode).toBe('basic-checking');
    });

    it('refuses to re-plan a closed billing account with 409 BILLING_ACCOUNT_CLOSED', async () => {
      const id = await openBillingAccount(test);
      await test.call({ method: 'POST', url: `/v1/billing-accounts/${id}/close` });
      expectProblem(await changePlan(id, { planCode: 'premium-checking' }), 409, 'BILLING_ACCOUNT_CLOSED');
      expect((await test.call({ url: `/v1/billing-accounts/${id}` })).json().planCode).toBe('basic-checking');
    });

    it('answers 404 BILLING_ACCOUNT_NOT_FOUND for an unknown billing account', async () => {
      expectProblem(await changePlan(randomUUID(), { planCode: 'premium-checking' }), 404, 'BILLING_ACCOUNT_NOT_FOUND');
    });

    it('refuses a body with unknown fields with 400', async () => {
      const id = await openBillingAccount(test);
      expectProblem(await changePlan(id, { planCode: 'premium-checking', effective: 'now' }), 400, 'VALIDATION_FAILED');
    });
  });

  describe('POST /v1/billing-accounts/{billingAccountId}/close', () => {
    const close = (id: string) => test.call({ method: 'POST', url: `/v1/billing-accounts/${id}/close` });

    it('closes an open billing account and records when', async () => {
      const id = await openBillingAccount(test);
      const res = await close(id);

      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ billingAccountId: id, status: 'closed', closedAt: expect.any(String) });
      expect((await test.call({ url: `/v1/billing-accounts/${id}` })).json().status).toBe('closed');
    });

    it('answers a second close with the account unchanged, so a retried compensation succeeds', async () => {
      const id = await openBillingAccount(test);
      const first = await close(id);
      const second = await close(id);

      expect(second.statusCode).toBe(200);
      expect(second.json()).toEqual(first.json());
    });

    it('answers 404 BILLING_ACCOUNT_NOT_FOUND for an unknown billing account', async () => {
      expectProblem(await close(randomUUID()), 404, 'BILLING_ACCOUNT_NOT_FOUND');
    });
  });
});
