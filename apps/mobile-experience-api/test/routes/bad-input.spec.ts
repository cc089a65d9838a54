import type { InjectOptions } from 'fastify';
import { type TestApp, buildTestApp, signUpForm } from '../helper';
import { newKey } from '@bartholomew/test-stack';

const ID = '5f0c8a9e-4a8e-4e7b-9d3c-3f1d2b6a7c10';
const form = signUpForm();

/**
 * Bad input on every endpoint: a 4xx problem+json that says what is wrong, never a 500 — and it is
 * refused here, before the Process API is called (nothing listens at its URL in this test).
 */
describe('bad input on every mobile endpoint', () => {
  let test: TestApp;
  beforeAll(async () => {
    test = await buildTestApp({ processUrl: 'http://127.0.0.1:9', env: { BODY_LIMIT_BYTES: '4096' } });
  });
  afterAll(() => test?.close());

  const start = (payload: unknown, headers: Record<string, string> = { 'idempotency-key': newKey() }): InjectOptions => ({
    method: 'POST',
    url: '/v1/onboardings',
    payload: payload as object,
    headers,
  });
  const cases: Array<[string, InjectOptions, number]> = [
    ['a sign-up without Idempotency-Key', start(form, {}), 400],
    ['a sign-up with a malformed Idempotency-Key', start(form, { 'idempotency-key': 'no spaces allowed' }), 400],
    ['a sign-up with an unknown field', start({ ...form, promoCode: 'FREE' }), 400],
    ['a sign-up without a last name', start({ ...form, lastName: undefined }), 400],
    ['a sign-up with a blank first name', start({ ...form, firstName: '   ' }), 400],
    ['a sign-up with the SSN as a number', start({ ...form, ssn: 123456789 }), 400],
    ['a sign-up with a malformed SSN', start({ ...form, ssn: '123-45-678' }), 400],
    ['a sign-up with an impossible date of birth', start({ ...form, dateOfBirth: '1990-02-30' }), 400],
    ['a sign-up with a phone without country code', start({ ...form, phone: '2125550123' }), 400],
    ['a sign-up with a lower-case state', start({ ...form, address: { ...form.address, state: 'ny' } }), 400],
    ['a sign-up with an unknown account kind', start({ ...form, account: 'brokerage' }), 400],
    ['a sign-up with an eight-digit routing number', start({ ...form, bank: { ...form.bank, routingNumber: '01100001' } }), 400],
    ['a sign-up with a deposit in fractional cents', start({ ...form, initialDepositCents: 10.5 }), 400],
    ['a sign-up with a negative deposit', start({ ...form, initialDepositCents: -1 }), 400],
    [
      'a sign-up that is not JSON',
      {
        method: 'POST',
        url: '/v1/onboardings',
        payload: '{"firstName":',
        headers: { 'content-type': 'application/json', 'idempotency-key': newKey() },
      },
      400,
    ],
    [
      'a sign-up as text/plain',
      { method: 'POST', url: '/v1/onboardings', payload: 'hello', headers: { 'content-type': 'text/plain', 'idempotency-key': newKey() } },
      415,
    ],
    ['a sign-up larger than the body limit', start({ ...form, firstName: 'A'.repeat(5000) }), 413],
    ['a sign-up that is a JSON array', start([form]), 400],
    ['a poll with an id that is not a UUID', { method: 'GET', url: '/v1/onboardings/not-a-uuid' }, 400],
    ['deposits with one amount', { method: 'POST', url: `/v1/onboardings/${ID}/deposits`, payload: { amounts: [32] } }, 400],
    ['deposits of a dollar', { method: 'POST', url: `/v1/onboardings/${ID}/deposits`, payload: { amounts: [100, 45] } }, 400],
    ['deposits as strings', { method: 'POST', url: `/v1/onboardings/${ID}/deposits`, payload: { amounts: ['32', '45'] } }, 400],
    ['deposits without a body', { method: 'POST', url: `/v1/onboardings/${ID}/deposits` }, 400],
    ['deposits for an id that is not a UUID', { method: 'POST', url: '/v1/onboardings/1/deposits', payload: { amounts: [32, 45] } }, 400],
    ['an account id that is not a UUID', { method: 'GET', url: '/v1/accounts/12345' }, 400],
    ['an account page of zero lines', { method: 'GET', url: `/v1/accounts/${ID}?limit=0` }, 400],
    ['an account page of a thousand lines', { method: 'GET', url: `/v1/accounts/${ID}?limit=1000` }, 400],
    ['an account page with a cursor of the wrong shape', { method: 'GET', url: `/v1/accounts/${ID}?cursor=not%20a%20cursor` }, 400],
    ['an account page with an unknown query parameter', { method: 'GET', url: `/v1/accounts/${ID}?sort=asc` }, 400],
    ['the home screen with an unknown query parameter', { method: 'GET', url: '/v1/home?customerId=1' }, 400],
    ['billing with an unknown query parameter', { method: 'GET', url: '/v1/billing?all=true' }, 400],
    ['the products with an unknown query parameter', { method: 'GET', url: '/v1/products?account=checking' }, 400],
    ['a v2 poll with an id that is not a UUID', { method: 'GET', url: '/v2/onboardings/not-a-uuid' }, 400],
    ['a route that does not exist', { method: 'GET', url: '/v1/transfers' }, 404],
  ];

  it.each(cases)('answers %s with problem+json', async (_label, options, status) => {
    const res = await test.call({ ...options, as: 'alice' });
    expect({ status: res.statusCode, type: res.headers['content-type'] }).toEqual({
      status,
      type: expect.stringMatching(/^application\/problem\+json/),
    });
    expect(res.json()).toMatchObject({ status, code: expect.stringMatching(/^[A-Z_]+$/), title: expect.any(String) });
  });

  it('never echoes the SSN of a refused sign-up, in the answer or the logs', async () => {
    const res = await test.call({ ...start({ ...form, ssn: '987-65-4321', extra: 1 }), as: 'alice' });
    expect(res.statusCode).toBe(400);
    expect(res.body).not.toContain('987-65-4321');
    expect(test.logs.text()).not.toContain('987-65-4321');
  });
});
