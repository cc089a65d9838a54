import { type TestApp, buildTestApp, expectProblem } from '../helper';

describe('end-user authentication', () => {
  let test: TestApp;
  const ROUTES = [
    '/v1/overview',
    '/v1/applications',
    '/v1/applications/5f0c8a9e-4a8e-4e7b-9d3c-3f1d2b6a7c10',
    '/v1/accounts/5f0c8a9e-4a8e-4e7b-9d3c-3f1d2b6a7c10/transactions',
    '/v1/products',
  ];
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    test = await buildTestApp({ processUrl: 'http://127.0.0.1:9' });
  });
  afterAll(() => test?.close());

  const refusals: Array<[string, () => Promise<Record<string, string>>]> = [
    ['no token', async () => ({})],
    ['a forged token', async () => bearer(await test.idp.forgedToken('mallory'))],
    ['an expired token', async () => bearer(await test.idp.token('alice', { exp: Math.floor(Date.now() / 1000) - 120 }))],
    ["a token for the mobile API's audience only", async () => bearer(await test.idp.token('alice', { aud: 'mobile-experience-api' }))],
    ['a token from another issuer', async () => bearer(await test.idp.token('alice', { iss: 'https://evil.example' }))],
    ['an unsigned alg:none token', async () => bearer(test.idp.unsignedToken('alice'))],
  ];

  it.each(refusals)('refuses %s on every route with 401 problem+json', async (_label, headers) => {
    for (const url of ROUTES) expectProblem(await test.app.inject({ url, headers: await headers() }), 401, 'UNAUTHENTICATED');
  });

  it('refuses a token in the query string, and keeps it out of the logs', async () => {
    const token = await test.idp.token('alice');
    expectProblem(await test.app.inject({ url: `/v1/overview?token=${token}`, headers: bearer(token) }), 401, 'UNAUTHENTICATED');
    expect(test.logs.text()).not.toContain(token);
  });
});
