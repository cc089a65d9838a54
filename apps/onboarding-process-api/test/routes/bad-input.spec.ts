import type { LightMyRequestResponse } from 'fastify';
import { application, buildTestApp, expectProblem, newKey, type TestApp } from '../helper';

/**
 * Every endpoint, fed what a careless or hostile caller sends: always an RFC 9457 problem with a
 * 4xx status that names the issue — never a 500. No System APIs are running here (their URLs
 * point at a closed port), so a request that gets as far as a downstream shows the 503 answer.
 */
describe('bad input on every endpoint', () => {
  let test: TestApp;
  let onboardingId: string;
  beforeAll(async () => {
    test = await buildTestApp(undefined, { env: { WORKFLOW_WORKER_ENABLED: 'false', BODY_LIMIT_BYTES: '4096' } });
    const res = await test.call({ method: 'POST', url: '/v1/onboardings', payload: application(), headers: { 'idempotency-key': newKey() } });
    onboardingId = res.json().id;
  });
  afterAll(() => test.close());

  const neverA500 = (res: LightMyRequestResponse) => {
    expect(res.statusCode).not.toBe(500);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({
      type: expect.stringMatching(/^urn:problem:/),
      title: expect.any(String),
      status: res.statusCode,
      code: expect.any(String),
    });
  };

  const valid = application();
  const withApplicant = (change: Record<string, unknown>) => ({ ...valid, applicant: { ...valid.applicant, ...change } });

  describe('POST /v1/onboardings', () => {
    const post = (payload: string, contentType = 'application/json') =>
      test.call({ method: 'POST', url: '/v1/onboardings', payload, headers: { 'idempotency-key': newKey(), 'content-type': contentType } });

    it.each<[string, string, string]>([
      ['malformed JSON', '{"applicant": ', 'application/json'],
      ['an empty body', '', 'application/json'],
      ['a JSON array', '[]', 'application/json'],
      ['JSON null', 'null', 'application/json'],
      ['an unknown top-level field', JSON.stringify({ ...valid, admin: true }), 'application/json'],
      ['an SSN given as a number', JSON.stringify(withApplicant({ ssn: 123456789 })), 'application/json'],
      ['an SSN of the wrong shape', JSON.stringify(withApplicant({ ssn: '12-345-6789' })), 'application/json'],
      ['a date of birth that does not exist', JSON.stringify(withApplicant({ dateOfBirth: '1990-02-30' })), 'application/json'],
      ['a missing applicant', JSON.stringify({ ...valid, applicant: undefined }), 'application/json'],
      ['a deposit in euros', JSON.stringify({ ...valid, openingDeposit: { amountMinor: 100, currency: 'EUR' } }), 'application/json'],
      ['a deposit of fractional cents', JSON.stringify({ ...valid, openingDeposit: { amountMinor: 1.5, currency: 'USD' } }), 'application/json'],
      [
        'a routing number as a number',
        JSON.stringify({ ...valid, fundingAccount: { ...valid.fundingAccount, routingNumber: 21000021 } }),
        'application/json',
      ],
      ['form data', 'applicant=ada', 'application/x-www-form-urlencoded'],
      ['a body over the size limit', JSON.stringify({ ...valid, padding: 'x'.repeat(5000) }), 'application/json'],
    ])('answers %s with a 4xx problem', async (_label, payload, contentType) => {
      const res = await post(payload, contentType);
      neverA500(res);
      expect(res.statusCode).toBeGreaterThanOrEqual(400);
      expect(res.statusCode).toBeLessThan(500);
    });

    it('refuses an end-user subject with spaces or control characters', async () => {
      const res = await test.call({
        method: 'POST',
        url: '/v1/onboardings',
        payload: valid,
        headers: { 'idempotency-key': newKey() },
        endUser: 'user ada',
      });
      expectProblem(res, 400, 'VALIDATION_FAILED');
    });

    it('refuses callers without a credential (401) and System-layer callers (403)', async () => {
      const anonymous = await test.app.inject({ method: 'POST', url: '/v1/onboardings', payload: valid, headers: { 'idempotency-key': newKey() } });
      expectProblem(anonymous, 401, 'UNAUTHENTICATED_CALLER');
      const system = await test.app.inject({
        method: 'POST',
        url: '/v1/onboardings',
        payload: valid,
        headers: { 'idempotency-key': newKey(), 'x-service-credential': 'account-system-api.system-secret-for-onboarding-tests' },
      });
      expectProblem(system, 403, 'CALLER_NOT_ALLOWED');
    });
  });

  describe('GET /v1/onboardings/{id} and GET /v1/onboardings', () => {
    it.each([
      ['/v1/onboardings/not-a-uuid', 400],
      ['/v1/onboardings/00000000-0000-4000-8000-000000000000', 404],
      ['/v1/onboardings', 400],
      ['/v1/onboardings?owner=', 400],
      ['/v1/onboardings?owner=user-ada&limit=0', 400],
      ['/v1/onboardings?owner=user-ada&limit=many', 400],
      ['/v1/onboardings?owner=user-ada&limit=101', 400],
      ['/v1/onboardings?owner=user-ada&status=archived', 400],
      ['/v1/onboardings?owner=user-ada&cursor=%00%01', 400],
      ['/v1/onboardings?owner=user-ada&cursor=bm90LWEtY3Vyc29y', 400],
    ])('answers GET %s with %s', async (url, status) => {
      const res = await test.call({ url });
      neverA500(res);
      expect(res.statusCode).toBe(status);
    });
  });

  describe('POST /v1/onboardings/{id}/ach-confirmation', () => {
    const confirm = (id: string, payload: unknown) =>
      test.call({ method: 'POST', url: `/v1/onboardings/${id}/ach-confirmation`, payload: payload as object });

    it.each<[string, unknown]>([
      ['one amount', { amountsMinor: [32] }],
      ['three amounts', { amountsMinor: [32, 45, 1] }],
      ['amounts as strings', { amountsMinor: ['32', '45'] }],
      ['a dollar', { amountsMinor: [100, 45] }],
      ['no amounts', {}],
      ['an extra field', { amountsMinor: [32, 45], force: true }],
    ])('refuses %s with 400', async (_label, payload) => {
      const res = await confirm(onboardingId, payload);
      expectProblem(res, 400, 'VALIDATION_FAILED');
    });

    it('answers 409 when no micro-deposits are pending, 404 for an unknown or foreign onboarding, 400 for a bad id', async () => {
      expectProblem(await confirm(onboardingId, { amountsMinor: [32, 45] }), 409, 'NO_MICRO_DEPOSITS_PENDING');
      expectProblem(await confirm('00000000-0000-4000-8000-000000000000', { amountsMinor: [32, 45] }), 404, 'ONBOARDING_NOT_FOUND');
      const foreign = await test.call({
        method: 'POST',
        url: `/v1/onboardings/${onboardingId}/ach-confirmation`,
        payload: { amountsMinor: [32, 45] },
        endUser: 'user-mallory',
      });
      expectProblem(foreign, 404, 'ONBOARDING_NOT_FOUND');
      expectProblem(await confirm('42', { amountsMinor: [32, 45] }), 400, 'VALIDATION_FAILED');
    });
  });

  describe('POST /v1/onboardings/{id}/review', () => {
    const review = (id: string, payload: unknown, as: 'operator' | 'experience' = 'operator') =>
      test.call({
        method: 'POST',
        url: `/v1/onboardings/${id}/review`,
        payload: payload as object,
        as,
        endUser: as === 'operator' ? null : 'user-ada',
      });

    it.each<[string, unknown]>([
      ['an unknown decision', { decision: 'escalate', reason: 'unsure' }],
      ['a blank reason', { decision: 'approve', reason: '   ' }],
      ['no reason', { decision: 'approve' }],
      ['a reason too long', { decision: 'approve', reason: 'x'.repeat(501) }],
    ])('refuses %s with 400', async (_label, payload) => {
      expectProblem(await review(onboardingId, payload), 400, 'VALIDATION_FAILED');
    });

    it('answers 409 for an onboarding not in review, 404 for an unknown one, 403 for a non-operator', async () => {
      expectProblem(await review(onboardingId, { decision: 'approve', reason: 'ok' }), 409, 'ONBOARDING_NOT_IN_REVIEW');
      expectProblem(await review('00000000-0000-4000-8000-000000000000', { decision: 'approve', reason: 'ok' }), 404, 'ONBOARDING_NOT_FOUND');
      expectProblem(await review(onboardingId, { decision: 'approve', reason: 'ok' }, 'experience'), 403, 'OPERATOR_ONLY');
    });
  });

  describe('GET /v1/customers/{customerId}/overview', () => {
    it('answers 400 for a bad id and 404 for a customer the end user has no onboarding for', async () => {
      expectProblem(await test.call({ url: '/v1/customers/nope/overview' }), 400, 'VALIDATION_FAILED');
      expectProblem(await test.call({ url: '/v1/customers/00000000-0000-4000-8000-000000000000/overview' }), 404, 'CUSTOMER_NOT_FOUND');
    });

    it('answers 503 problem (not 500) when the account System API cannot be reached', async () => {
      const res = await test.call({ url: '/v1/customers/00000000-0000-4000-8000-000000000000/overview', as: 'operator', endUser: null });
      neverA500(res);
      expect(res.statusCode).toBe(503);
      expect(res.json().code).toBe('DOWNSTREAM_UNAVAILABLE');
    });
  });

  describe('GET /v1/customers/{customerId}/accounts/{accountId}/transactions', () => {
    const ID = '00000000-0000-4000-8000-000000000000';
    const transactions = (query = '', customerId = ID) => `/v1/customers/${customerId}/accounts/${ID}/transactions${query}`;

    it.each([
      ['a bad customer id', transactions('', 'nope'), 400, 'VALIDATION_FAILED'],
      ['a day that does not exist', transactions('?from=2025-02-30'), 400, 'VALIDATION_FAILED'],
      ['a limit of 101', transactions('?limit=101'), 400, 'VALIDATION_FAILED'],
      ['an unknown query parameter', transactions('?sort=asc'), 400, 'VALIDATION_FAILED'],
      ['from after to', transactions('?from=2025-03-02&to=2025-03-01'), 400, 'INVALID_DATE_RANGE'],
      ['a customer the end user has no onboarding for', transactions(), 404, 'CUSTOMER_NOT_FOUND'],
    ])('answers %s with a problem', async (_label, url, status, code) => {
      expectProblem(await test.call({ url }), status, code);
    });

    it('answers 503 problem (not 500) when the account System API cannot be reached', async () => {
      const res = await test.call({ url: transactions(), as: 'operator', endUser: null });
      neverA500(res);
      expect(res.statusCode).toBe(503);
      expect(res.json().code).toBe('DOWNSTREAM_UNAVAILABLE');
    });
  });

  it('answers an unknown route with a 404 problem', async () => {
    expectProblem(await test.call({ url: '/v1/onboardingz' }), 404, 'ROUTE_NOT_FOUND');
  });
});
