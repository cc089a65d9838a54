import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';
import { loadConfig, ServiceConfigSchema } from './config';
import { EndUserAuthConfigSchema } from './end-user-auth';
import { platform } from './platform-plugin';
import { serviceServerOptions } from './server-options';
import { Type } from '@sinclair/typebox';

const ISSUER = 'https://login.bartholomew.test';
const AUDIENCE = 'mobile-experience-api';

describe('end-user authentication (Experience APIs)', () => {
  let app: FastifyInstance;
  let privateKey: CryptoKey;
  let otherKey: CryptoKey;
  let publicJwk: JWK;

  const sign = (claims: { sub?: string; iss?: string; aud?: string; exp?: string | number; nbf?: string | number }, key = privateKey) => {
    const jwt = new SignJWT({}).setProtectedHeader({ alg: 'ES256', kid: 'dev-1' }).setIssuedAt();
    if (claims.sub !== undefined) jwt.setSubject(claims.sub);
    jwt.setIssuer(claims.iss ?? ISSUER).setAudience(claims.aud ?? AUDIENCE).setExpirationTime(claims.exp ?? '5m');
    if (claims.nbf !== undefined) jwt.setNotBefore(claims.nbf);
    return jwt.sign(key);
  };
  const whoAmI = (headers: Record<string, string> = {}, url = '/v1/me') => app.inject({ url, headers });

  beforeAll(async () => {
    ({ privateKey, publicKey: publicJwk } = await generateKeyPair('ES256').then(async (pair) => ({ privateKey: pair.privateKey, publicKey: await exportJWK(pair.publicKey) })));
    otherKey = (await generateKeyPair('ES256')).privateKey;
    const env = {
      PORT: '0',
      LOG_LEVEL: 'silent',
      PII_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
      JWT_ISSUER: ISSUER,
      JWT_AUDIENCE: AUDIENCE,
      JWT_PUBLIC_KEYS: JSON.stringify({ keys: [{ ...publicJwk, kid: 'dev-1', alg: 'ES256', use: 'sig' }] }),
      RATE_LIMIT_PER_MINUTE: '5',
    };
    const config = loadConfig(Type.Object({ ...ServiceConfigSchema.properties, ...EndUserAuthConfigSchema.properties }), env);
    app = Fastify(serviceServerOptions(config)).withTypeProvider<TypeBoxTypeProvider>();
    await app.register(platform, {
      service: { name: 'sample-experience-api', title: 'Sample', version: '1.0.0', description: 'test' },
      config,
      endUsers: config,
    });
    app.get('/v1/me', async (request) => ({ subject: request.endUser.subject }));
    await app.ready();
  });
  afterAll(() => app.close());

  it("accepts a valid token and exposes its subject as the request's end user", async () => {
    const res = await whoAmI({ authorization: `Bearer ${await sign({ sub: 'alice' })}` });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ subject: 'alice' });
  });

  it.each([
    ['no token', async () => ({})],
    ['an expired token', async () => ({ authorization: `Bearer ${await sign({ sub: 'bob', exp: Math.floor(Date.now() / 1000) - 60 })}` })],
    ['a token not yet valid', async () => ({ authorization: `Bearer ${await sign({ sub: 'bob', nbf: Math.floor(Date.now() / 1000) + 600 })}` })],
    ['a token for another audience', async () => ({ authorization: `Bearer ${await sign({ sub: 'bob', aud: 'web-experience-api' })}` })],
    ['a token from another issuer', async () => ({ authorization: `Bearer ${await sign({ sub: 'bob', iss: 'https://evil.test' })}` })],
    ['a token signed by an unknown key', async () => ({ authorization: `Bearer ${await sign({ sub: 'bob' }, otherKey)}` })],
    ['a token without a subject', async () => ({ authorization: `Bearer ${await sign({})}` })],
    [
      'an unsigned alg:none token',
      async () => {
        const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
        const exp = Math.floor(Date.now() / 1000) + 300;
        return { authorization: `Bearer ${encode({ alg: 'none', typ: 'JWT' })}.${encode({ sub: 'mallory', iss: ISSUER, aud: AUDIENCE, exp })}.` };
      },
    ],
  ])('refuses %s with 401 problem+json', async (_label, headers) => {
    const res = await whoAmI(await headers());
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json().code).toBe('UNAUTHENTICATED');
  });

  it('refuses a token passed in the query string, even a valid one', async () => {
    const token = await sign({ sub: 'alice' });
    const res = await whoAmI({ authorization: `Bearer ${token}` }, `/v1/me?access_token=${token}`);
    expect(res.statusCode).toBe(401);
    expect(res.json().detail).toMatch(/never in the URL/);
  });

  it('limits requests per end user with 429, Retry-After and problem+json, without touching other users', async () => {
    const carol = `Bearer ${await sign({ sub: 'carol' })}`;
    const statuses: number[] = [];
    let limited;
    for (let i = 0; i < 7; i += 1) {
      const res = await whoAmI({ authorization: carol, 'x-forwarded-for': `10.0.0.${i}` });
      statuses.push(res.statusCode);
      if (res.statusCode === 429) limited = res;
    }
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    expect(limited?.headers['retry-after']).toMatch(/^\d+$/);
    expect(limited?.json()).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    const dave = await whoAmI({ authorization: `Bearer ${await sign({ sub: 'dave' })}` });
    expect(dave.statusCode).toBe(200);
  });

  it('documents bearer authentication, not service credentials, in OpenAPI', async () => {
    const doc = (await app.inject({ url: '/openapi.json' })).json();
    expect(doc.components.securitySchemes).toEqual({ bearer: expect.objectContaining({ type: 'http', scheme: 'bearer' }) });
    expect(doc.security).toEqual([{ bearer: [] }]);
  });

  it('keeps health and docs open without a token', async () => {
    expect((await app.inject({ url: '/health/live' })).statusCode).toBe(200);
  });
});
