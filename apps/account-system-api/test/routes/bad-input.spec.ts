import { buildTestApp, customerRequest, newIdempotencyKey, openAccount, asProcess, PROBLEM_JSON, type TestApp } from '../helper';

/** Whatever a caller sends, the answer is a problem+json 4xx — never a 500, never a crash. */
describe('bad input', () => {
  let testApp: TestApp;
  let accountId: string;
  beforeAll(async () => {
    testApp = await buildTestApp({ config: { BODY_LIMIT_BYTES: '2048' } });
    accountId = (await openAccount(testApp.app)).accountId;
  });
  afterAll(() => testApp.close());

  const send = (url: string, payload: string, contentType = 'application/json') =>
    testApp.app.inject({
      method: 'POST',
      url,
      payload,
      headers: { ...asProcess, 'content-type': contentType, 'idempotency-key': newIdempotencyKey() },
    });
  const customer = (overrides: Record<string, unknown>) => JSON.stringify({ ...customerRequest(), ...overrides });
  const posting = (overrides: Record<string, unknown>) =>
    JSON.stringify({ direction: 'credit', amount: { amountMinor: 100, currency: 'USD' }, description: 'Deposit', ...overrides });

  it.each([
    ['malformed JSON', '/v1/customers', '{"legalName": ', 'application/json', 400, 'MALFORMED_JSON'],
    ['an empty JSON body', '/v1/customers', '', 'application/json', 400, 'MALFORMED_JSON'],
    ['a JSON array instead of an object', '/v1/customers', '[]', 'application/json', 400, 'VALIDATION_FAILED'],
    ['an unknown field', '/v1/customers', customer({ isAdmin: true }), 'application/json', 400, 'VALIDATION_FAILED'],
    [
      'an unknown nested field',
      '/v1/customers',
      customer({ address: { ...customerRequest().address, country: 'US' } }),
      'application/json',
      400,
      'VALIDATION_FAILED',
    ],
    ['an SSN sent as a number (no coercion)', '/v1/customers', customer({ taxId: 123456789 }), 'application/json', 400, 'VALIDATION_FAILED'],
    ['a malformed SSN', '/v1/customers', customer({ taxId: '123-456-789' }), 'application/json', 400, 'VALIDATION_FAILED'],
    ['an impossible date of birth', '/v1/customers', customer({ dateOfBirth: '1990-13-01' }), 'application/json', 400, 'VALIDATION_FAILED'],
    [
      'a three-letter state',
      '/v1/customers',
      customer({ address: { ...customerRequest().address, state: 'NYC' } }),
      'application/json',
      400,
      'VALIDATION_FAILED',
    ],
    ['a missing field', '/v1/customers', customer({ email: undefined }), 'application/json', 400, 'VALIDATION_FAILED'],
    [
      'an amount sent as a string',
      'transactions',
      posting({ amount: { amountMinor: '100', currency: 'USD' } }),
      'application/json',
      400,
      'VALIDATION_FAILED',
    ],
    ['an unknown direction', 'transactions', posting({ direction: 'refund' }), 'application/json', 400, 'VALIDATION_FAILED'],
    ['a form-encoded body', '/v1/customers', 'legalName=Ada', 'application/x-www-form-urlencoded', 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['a plain-text body', 'transactions', 'credit 100', 'text/plain', 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['an oversized body', '/v1/customers', customer({ legalName: 'x'.repeat(4000) }), 'application/json', 413, 'PAYLOAD_TOO_LARGE'],
  ])('answers %s with a problem', async (_label, route, payload, contentType, status, code) => {
    const url = route === 'transactions' ? `/v1/accounts/${accountId}/transactions` : route;
    const res = await send(url, payload, contentType);
    expect(res.statusCode).toBe(status);
    expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(res.json()).toMatchObject({ status, code, type: expect.stringMatching(/^urn:problem:/), title: expect.any(String) });
  });

  it('stored nothing for any refused request', async () => {
    expect(await testApp.storedCounts()).toEqual({ customers: 1, postings: 0 });
  });

  it('answers an unknown route with 404 ROUTE_NOT_FOUND', async () => {
    const res = await testApp.app.inject({ method: 'GET', url: '/v1/loans', headers: asProcess });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'ROUTE_NOT_FOUND' });
  });
});
