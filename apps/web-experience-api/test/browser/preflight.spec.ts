import type { LightMyRequestResponse } from 'fastify';
import { ConfigError, loadConfig } from '@bartholomew/platform';
import { WebExperienceConfigSchema } from '../../src/config';
import { type TestApp, buildTestApp, expectProblem } from '../helper';

const WEB_BANKING = 'https://bank.example';
const STAGING = 'https://staging.bank.example:8443';

const preflight = (origin: string, headers: Record<string, string> = {}) => ({
  method: 'OPTIONS' as const,
  url: '/v1/overview',
  headers: {
    origin,
    'access-control-request-method': 'GET',
    'access-control-request-headers': 'authorization',
    ...headers,
  },
});

const corsHeaders = (res: LightMyRequestResponse) => Object.keys(res.headers).filter((name) => name.startsWith('access-control-'));

/**
 * CORS as a browser sees it, answered by the web Experience API itself (inject): the configured
 * web banking origins may call it with a bearer token, nothing else may. The browser spec next to
 * this one shows a real browser honouring these answers.
 */
describe('cross-origin calls from browsers', () => {
  let test: TestApp;

  beforeAll(async () => {
    test = await buildTestApp({
      processUrl: 'http://127.0.0.1:9',
      env: { CORS_ALLOWED_ORIGINS: ` ${WEB_BANKING} , ${STAGING}` },
    });
  });
  afterAll(() => test?.close());

  it.each([WEB_BANKING, STAGING])('answers the preflight of %s with 204, before any token check, cached for two hours', async (origin) => {
    const res = await test.app.inject(preflight(origin));
    expect(res.statusCode).toBe(204);
    expect(res.headers).toMatchObject({
      'access-control-allow-origin': origin,
      'access-control-allow-methods': 'GET, HEAD, POST',
      'access-control-allow-headers': 'authorization, content-type, idempotency-key, if-none-match, x-request-id',
      'access-control-max-age': '7200',
    });
    expect(String(res.headers.vary)).toMatch(/\borigin\b/i);
    // Bearer tokens, not cookies: a browser never sends cookies or client certificates along.
    expect(res.headers).not.toHaveProperty('access-control-allow-credentials');
    expect(res.body).toBe('');
  });

  it('lets a page on an allowed origin read a refusal and the headers a client needs', async () => {
    const res = await test.app.inject({
      url: '/v1/overview',
      headers: { origin: WEB_BANKING },
    });
    expectProblem(res, 401, 'UNAUTHENTICATED');
    expect(res.headers['access-control-allow-origin']).toBe(WEB_BANKING);
    expect(String(res.headers['access-control-expose-headers']).split(', ')).toEqual([
      'etag',
      'location',
      'retry-after',
      'x-request-id',
      'x-ratelimit-limit',
      'x-ratelimit-remaining',
      'x-ratelimit-reset',
      'x-stale',
      'age',
    ]);
  });

  it.each([
    ['an unknown origin', 'https://evil.example'],
    ['a look-alike host', 'https://bank.example.evil.example'],
    ['the same host over http', 'http://bank.example'],
    ['the same host on another port', 'https://bank.example:8443'],
    ['an opaque origin (sandboxed frame, file://)', 'null'],
  ])('sends %s no CORS header at all, so the browser refuses the call', async (_label, origin) => {
    // A preflight carries no token: without CORS it is just an unauthenticated call.
    const answer = await test.app.inject(preflight(origin));
    expectProblem(answer, 401, 'UNAUTHENTICATED');
    expect(corsHeaders(answer)).toEqual([]);
    const read = await test.app.inject({
      url: '/v1/overview',
      headers: {
        origin,
        authorization: `Bearer ${await test.idp.token('ada')}`,
      },
    });
    expect(corsHeaders(read)).toEqual([]);
  });

  it('answers a plain OPTIONS without an origin like any call without a token: 401 problem+json, no CORS headers', async () => {
    const res = await test.app.inject({
      method: 'OPTIONS',
      url: '/v1/overview',
    });
    expectProblem(res, 401, 'UNAUTHENTICATED');
    expect(corsHeaders(res)).toEqual([]);
  });
});

describe('with no CORS_ALLOWED_ORIGINS (the default)', () => {
  let test: TestApp;

  beforeAll(async () => {
    test = await buildTestApp({ processUrl: 'http://127.0.0.1:9' });
  });
  afterAll(() => test?.close());

  it('allows no origin at all', async () => {
    const answer = await test.app.inject(preflight(WEB_BANKING));
    expectProblem(answer, 404, 'ROUTE_NOT_FOUND');
    expect(corsHeaders(answer)).toEqual([]);
    expect(
      corsHeaders(
        await test.app.inject({
          url: '/v1/overview',
          headers: { origin: WEB_BANKING },
        }),
      ),
    ).toEqual([]);
  });
});

describe('CORS_ALLOWED_ORIGINS', () => {
  const minimal = {
    JWT_ISSUER: 'http://127.0.0.1/dev-issuer',
    JWT_AUDIENCE: 'web-experience-api',
    JWT_PUBLIC_KEYS: '{"keys":[]}',
    SERVICE_CREDENTIAL_SECRET: 'secret-of-at-least-16',
  };

  it('takes exact origins, comma-separated, and defaults to none', () => {
    expect(loadConfig(WebExperienceConfigSchema, minimal).CORS_ALLOWED_ORIGINS).toBe('');
    const origins = 'https://bank.example,http://127.0.0.1:4200, http://[::1]:8080';
    expect(
      loadConfig(WebExperienceConfigSchema, {
        ...minimal,
        CORS_ALLOWED_ORIGINS: origins,
      }).CORS_ALLOWED_ORIGINS,
    ).toBe(origins);
  });

  it.each([
    ['a wildcard', '*'],
    ['a wildcard host', 'https://*.bank.example'],
    ['a trailing slash, which no browser sends', 'https://bank.example/'],
    ['a path', 'https://bank.example/app'],
    ['a host without a scheme', 'bank.example'],
    ['an upper-case host, which no browser sends', 'https://Bank.example'],
    ['the opaque origin', 'null'],
    ['an empty entry', 'https://bank.example,,https://staging.bank.example'],
  ])('refuses to start with %s, naming the variable', (_label, value) => {
    const attempt = () =>
      loadConfig(WebExperienceConfigSchema, {
        ...minimal,
        CORS_ALLOWED_ORIGINS: value,
      });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/CORS_ALLOWED_ORIGINS/);
  });
});
