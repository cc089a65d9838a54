import type { InjectOptions } from 'fastify';
import { type TestApp, buildTestApp } from '../helper';

const ID = '5f0c8a9e-4a8e-4e7b-9d3c-3f1d2b6a7c10';

/** Bad input on every web endpoint: 4xx problem+json, refused before the Process API is called. */
describe('bad input on every web endpoint', () => {
  let test: TestApp;
  beforeAll(async () => {
    test = await buildTestApp({ processUrl: 'http://127.0.0.1:9' });
  });
  afterAll(() => test?.close());

  const get = (url: string): InjectOptions => ({ method: 'GET', url });
  const cases: Array<[string, InjectOptions, number]> = [
    ['an application id that is not a UUID', get('/v1/applications/123'), 400],
    ['an application list of zero', get('/v1/applications?limit=0'), 400],
    ['an application list of 101', get('/v1/applications?limit=101'), 400],
    ['an application list with a malformed cursor', get('/v1/applications?cursor=a%20b'), 400],
    ['an application list with an unknown parameter', get('/v1/applications?owner=bob'), 400],
    ['transactions of an account id that is not a UUID', get('/v1/accounts/abc/transactions'), 400],
    ['transactions from a date that is not a date', get(`/v1/accounts/${ID}/transactions?from=yesterday`), 400],
    ['transactions to a day that does not exist', get(`/v1/accounts/${ID}/transactions?to=2025-02-30`), 400],
    ['transactions with from after to', get(`/v1/accounts/${ID}/transactions?from=2025-03-02&to=2025-03-01`), 400],
    ['transactions with a limit of 1000', get(`/v1/accounts/${ID}/transactions?limit=1000`), 400],
    ['the overview with an unknown parameter', get('/v1/overview?customerId=1'), 400],
    ['the products with an unknown parameter', get('/v1/products?productType=savings'), 400],
    ['a POST where only GET exists', { method: 'POST', url: '/v1/overview', payload: {} }, 404],
    ['a route that does not exist', get('/v1/transfers'), 404],
  ];

  it.each(cases)('answers %s with problem+json', async (_label, options, status) => {
    const res = await test.call({ ...options, as: 'alice' });
    expect({ status: res.statusCode, type: res.headers['content-type'] }).toEqual({
      status,
      type: expect.stringMatching(/^application\/problem\+json/),
    });
    expect(res.json()).toMatchObject({ status, code: expect.stringMatching(/^[A-Z_]+$/) });
  });
});
