import { type TestApp, buildTestApp } from '../helper';

/**
 * The phone app is not a browser: it sends no preflight and reads every header, so this API allows
 * no browser origin — even when the environment it shares with web banking lists some.
 */
describe('no CORS on the mobile Experience API', () => {
  let test: TestApp;
  const origin = 'https://bank.example';

  beforeAll(async () => {
    test = await buildTestApp({
      processUrl: 'http://127.0.0.1:9',
      env: { CORS_ALLOWED_ORIGINS: origin },
    });
  });
  afterAll(() => test?.close());

  it('answers a preflight and a read from a web banking origin with no CORS header at all', async () => {
    const answers = [
      await test.app.inject({
        method: 'OPTIONS',
        url: '/v1/home',
        headers: {
          origin,
          'access-control-request-method': 'GET',
          'access-control-request-headers': 'authorization',
        },
      }),
      await test.call({ url: '/v1/home', headers: { origin }, as: 'ada' }),
    ];
    for (const answer of answers) expect(Object.keys(answer.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
    expect(answers[0].statusCode).not.toBe(204);
  });
});
