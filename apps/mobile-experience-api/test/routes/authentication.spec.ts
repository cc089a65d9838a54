import { type TestApp, AUDIENCE, buildTestApp, expectProblem } from '../helper';
import { ISSUER } from '@bartholomew/test-stack';

/**
 * Bearer tokens on every API route, verified against the configured issuer, audience and keys.
 * Refusals happen before anything reaches the Process API (nothing listens at its URL here).
 */
describe('end-user authentication', () => {
  let test: TestApp;
  const ROUTES = [
    { method: 'GET' as const, url: '/v1/home' },
    { method: 'GET' as const, url: '/v1/billing' },
    { method: 'GET' as const, url: '/v1/onboardings/5f0c8a9e-4a8e-4e7b-9d3c-3f1d2b6a7c10' },
    { method: 'GET' as const, url: '/v1/accounts/5f0c8a9e-4a8e-4e7b-9d3c-3f1d2b6a7c10' },
    { method: 'POST' as const, url: '/v1/onboardings' },
    { method: 'POST' as const, url: '/v1/onboardings/5f0c8a9e-4a8e-4e7b-9d3c-3f1d2b6a7c10/deposits' },
    { method: 'POST' as const, url: '/v1/accounts' },
    { method: 'GET' as const, url: '/v1/products' },
    { method: 'GET' as const, url: '/v2/onboardings/5f0c8a9e-4a8e-4e7b-9d3c-3f1d2b6a7c10' },
    { method: 'POST' as const, url: '/v2/onboardings' },
    { method: 'POST' as const, url: '/v2/onboardings/5f0c8a9e-4a8e-4e7b-9d3c-3f1d2b6a7c10/deposits' },
    { method: 'POST' as const, url: '/v2/accounts' },
  ];

  beforeAll(async () => {
    test = await buildTestApp({ processUrl: 'http://127.0.0.1:9' });
  });
  afterAll(() => test?.close());

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const refusals: Array<[string, () => Promise<Record<string, string>>]> = [
    ['no token', async () => ({})],
    ['a forged token (signed by an unknown key)', async () => bearer(await test.idp.forgedToken('mallory'))],
    ['an expired token', async () => bearer(await test.idp.token('alice', { exp: Math.floor(Date.now() / 1000) - 120 }))],
    ['a token not valid yet', async () => bearer(await test.idp.token('alice', { nbf: Math.floor(Date.now() / 1000) + 600 }))],
    ['a token for another audience (the web API)', async () => bearer(await test.idp.token('alice', { aud: 'web-experience-api' }))],
    ['a token from another issuer', async () => bearer(await test.idp.token('alice', { iss: 'https://evil.example' }))],
    ['an unsigned alg:none token', async () => bearer(test.idp.unsignedToken('alice'))],
    ['a token whose subject cannot name an owner', async () => bearer(await test.idp.token('alice smith'))],
    ['a basic-auth header', async () => ({ authorization: 'Basic YWxpY2U6c2VjcmV0' })],
  ];

  it.each(refusals)('refuses %s on every route with 401 problem+json', async (_label, headers) => {
    for (const route of ROUTES) {
      const res = await test.app.inject({ ...route, headers: await headers(), payload: route.method === 'POST' ? {} : undefined });
      expectProblem(res, 401, 'UNAUTHENTICATED');
      expect(res.json().detail).not.toMatch(/eyJ/);
    }
  });

  it('refuses a token in the query string, even a valid one', async () => {
    const token = await test.idp.token('alice');
    const res = await test.app.inject({ url: `/v1/home?access_token=${token}`, headers: bearer(token) });
    expectProblem(res, 401, 'UNAUTHENTICATED');
    expect(test.logs.text()).not.toContain(token);
  });

  it('accepts a valid token (the call then fails only because the Process API is not there)', async () => {
    const res = await test.app.inject({
      url: '/v1/home',
      headers: bearer(await test.idp.token('alice', { aud: [AUDIENCE, 'web-experience-api'], iss: ISSUER })),
    });
    expectProblem(res, 503, 'SERVICE_UNAVAILABLE');
  });

  it('keeps health, metrics and the API description open', async () => {
    for (const url of ['/health/live', '/health/ready', '/metrics', '/openapi.json']) {
      expect([url, (await test.app.inject({ url })).statusCode]).toEqual([url, 200]);
    }
  });

  it('limits each user separately with 429, Retry-After and problem+json', async () => {
    const limited = await buildTestApp({ processUrl: 'http://127.0.0.1:9', env: { RATE_LIMIT_PER_MINUTE: '2' } });
    try {
      const statuses: number[] = [];
      let last;
      for (let i = 0; i < 3; i++) {
        last = await limited.call({ url: '/v1/home', as: 'hasty', headers: { 'x-forwarded-for': `10.0.0.${i}` } });
        statuses.push(last.statusCode);
      }
      expect(statuses).toEqual([503, 503, 429]);
      expect(last?.headers['retry-after']).toMatch(/^\d+$/);
      expectProblem(last as never, 429, 'RATE_LIMITED');
      expect((await limited.call({ url: '/v1/home', as: 'calm' })).statusCode).toBe(503);
    } finally {
      await limited.close();
    }
  });
});
