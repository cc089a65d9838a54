import { randomUUID } from 'node:crypto';
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import Fastify, { type FastifyInstance, type InjectOptions, type LightMyRequestResponse } from 'fastify';
import { Redis } from 'ioredis';
import { SignJWT, exportJWK, exportSPKI, generateKeyPair, type CryptoKey, type JWK } from 'jose';
import { captureLogs, type CapturedLogs } from '@bartholomew/testing';
import { loadConfig, ServiceConfigSchema } from './config';
import { EndUserAuthConfigSchema } from './end-user-auth';
import { platform } from './platform-plugin';
import { serviceServerOptions } from './server-options';

const ISSUER = 'https://login.bartholomew.test';
const AUDIENCE = 'mobile-experience-api';
const INVALID_TOKEN = 'The bearer token is not valid';
/** Present here and on CI; every key this file writes is under a prefix of its own run. */
const REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

let privateKey: CryptoKey;
let publicKey: CryptoKey;
let otherKey: CryptoKey;
let publicJwk: JWK;

interface Claims {
  sub?: string;
  iss?: string;
  aud?: string;
  exp?: string | number;
  nbf?: string | number;
  iat?: number;
}
const sign = (claims: Claims, key = privateKey) => {
  const jwt = new SignJWT({}).setProtectedHeader({ alg: 'ES256', kid: 'dev-1' }).setIssuedAt(claims.iat);
  if (claims.sub !== undefined) jwt.setSubject(claims.sub);
  jwt
    .setIssuer(claims.iss ?? ISSUER)
    .setAudience(claims.aud ?? AUDIENCE)
    .setExpirationTime(claims.exp ?? '5m');
  if (claims.nbf !== undefined) jwt.setNotBefore(claims.nbf);
  return jwt.sign(key);
};
const bearer = async (claims: Claims, key = privateKey) => ({
  authorization: `Bearer ${await sign(claims, key)}`,
});
const nowSeconds = () => Math.floor(Date.now() / 1000);

interface TestApp {
  app: FastifyInstance;
  logs: CapturedLogs;
  get(headers?: Record<string, string>, options?: Partial<InjectOptions>): Promise<LightMyRequestResponse>;
}
const opened: FastifyInstance[] = [];

/** A sample Experience API: the platform with end users, one route that says who is calling. */
async function startApp(env: Record<string, string> = {}): Promise<TestApp> {
  const logs = captureLogs();
  const config = loadConfig(
    Type.Object({
      ...ServiceConfigSchema.properties,
      ...EndUserAuthConfigSchema.properties,
    }),
    {
      PORT: '0',
      LOG_LEVEL: 'info',
      PII_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
      JWT_ISSUER: ISSUER,
      JWT_AUDIENCE: AUDIENCE,
      JWT_PUBLIC_KEYS: JSON.stringify({
        keys: [{ ...publicJwk, kid: 'dev-1', alg: 'ES256', use: 'sig' }],
      }),
      // Refusals answered at once, except where a test is about holding them.
      RATE_LIMIT_REFUSAL_DELAY_MS: '0',
      ...env,
    },
  );
  const app = Fastify(serviceServerOptions(config, { logStream: logs.stream })).withTypeProvider<TypeBoxTypeProvider>();
  opened.push(app);
  await app.register(platform, {
    service: {
      name: 'sample-experience-api',
      title: 'Sample',
      version: '1.0.0',
      description: 'test',
    },
    config,
    endUsers: config,
  });
  app.get('/v1/me', async (request) => ({ subject: request.endUser.subject }));
  await app.ready();
  return {
    app,
    logs,
    get: (headers = {}, options = {}) => app.inject({ url: '/v1/me', headers, ...options }),
  };
}

const refusals = (logs: CapturedLogs) => logs.records().filter((record) => record['msg'] === 'end-user token refused');

beforeAll(async () => {
  ({ privateKey, publicKey } = await generateKeyPair('ES256', {
    extractable: true,
  }));
  publicJwk = await exportJWK(publicKey);
  otherKey = (await generateKeyPair('ES256')).privateKey;
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((app) => app.close()));
});

describe('end-user authentication (Experience APIs)', () => {
  let test: TestApp;
  beforeEach(async () => {
    test = await startApp({ RATE_LIMIT_PER_MINUTE: '5' });
  });

  it("accepts a valid token and exposes its subject as the request's end user, with the customer's quota", async () => {
    const res = await test.get(await bearer({ sub: 'alice' }));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ subject: 'alice' });
    expect(res.headers).toMatchObject({
      'x-ratelimit-limit': '5',
      'x-ratelimit-remaining': '4',
    });
  });

  it('accepts the same token again and again while it is valid', async () => {
    const headers = await bearer({ sub: 'alice' });
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await test.get(headers)).statusCode);
    expect(statuses).toEqual([200, 200, 200]);
  });

  it('asks for a bearer token when there is none', async () => {
    const res = await test.get();
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(res.json()).toMatchObject({
      code: 'UNAUTHENTICATED',
      detail: 'A bearer token is required',
    });
  });

  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  it.each([
    ['an expired token', () => bearer({ sub: 'bob', exp: nowSeconds() - 60 })],
    ['a token not yet valid', () => bearer({ sub: 'bob', nbf: nowSeconds() + 600 })],
    [
      'a token issued a year in the future',
      () =>
        bearer({
          sub: 'bob',
          iat: nowSeconds() + 365 * 86_400,
          exp: nowSeconds() + 366 * 86_400,
        }),
    ],
    ['a token issued a minute in the future', () => bearer({ sub: 'bob', iat: nowSeconds() + 60 })],
    ['a token for another audience', () => bearer({ sub: 'bob', aud: 'web-experience-api' })],
    ['a token from another issuer', () => bearer({ sub: 'bob', iss: 'https://evil.test' })],
    ['a token signed by an unknown key', () => bearer({ sub: 'bob' }, otherKey)],
    ['a token without a subject', () => bearer({})],
    [
      'an unsigned alg:none token',
      async () => ({
        authorization: `Bearer ${encode({ alg: 'none', typ: 'JWT' })}.${encode({ sub: 'mallory', iss: ISSUER, aud: AUDIENCE, exp: nowSeconds() + 300 })}.`,
      }),
    ],
    [
      'an HS256 token keyed with the public key',
      async () => {
        const secret = new TextEncoder().encode(await exportSPKI(publicKey));
        const token = await new SignJWT({})
          .setProtectedHeader({ alg: 'HS256', kid: 'dev-1' })
          .setSubject('mallory')
          .setIssuer(ISSUER)
          .setAudience(AUDIENCE)
          .setIssuedAt()
          .setExpirationTime('5m')
          .sign(secret);
        return { authorization: `Bearer ${token}` };
      },
    ],
    ['a token that is not a JWT', async () => ({ authorization: 'Bearer not-a-jwt' })],
    [
      'a token with a forged payload',
      async () => ({
        authorization: `Bearer ${encode({ alg: 'ES256', kid: 'dev-1' })}.${encode({ sub: 'mallory' })}.c2lnbmF0dXJl`,
      }),
    ],
  ])('refuses %s with 401 problem+json and the same detail as every other refusal', async (_label, headers) => {
    const res = await test.get(await headers());
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
    expect(res.json()).toMatchObject({
      status: 401,
      code: 'UNAUTHENTICATED',
      detail: INVALID_TOKEN,
    });
  });

  it('logs why a token was refused, at info and without the token; the caller learns nothing of it', async () => {
    const token = await sign({ sub: 'bob', aud: 'web-experience-api' });
    const res = await test.get({ authorization: `Bearer ${token}` });
    expect(res.json().detail).toBe(INVALID_TOKEN);
    expect(refusals(test.logs)).toEqual([
      expect.objectContaining({
        level: 30,
        reason: expect.stringMatching(/^aud claim/),
      }),
    ]);
    expect(test.logs.text()).not.toContain(token.split('.')[2]);
    expect(test.logs.text()).not.toContain(token.split('.')[1]);
  });

  it('refuses a token passed in the query string, even a valid one', async () => {
    const token = await sign({ sub: 'alice' });
    const res = await test.get({ authorization: `Bearer ${token}` }, { url: `/v1/me?access_token=${token}` });
    expect(res.statusCode).toBe(401);
    expect(res.json().detail).toMatch(/never in the URL/);
  });

  it('limits requests per end user with 429, Retry-After, rate-limit headers and problem+json, without touching other users', async () => {
    const carol = await bearer({ sub: 'carol' });
    const answers = [];
    for (let i = 0; i < 7; i += 1) answers.push(await test.get({ ...carol, 'x-forwarded-for': `10.0.0.${i}` }));
    expect(answers.map((res) => res.statusCode)).toEqual([200, 200, 200, 200, 200, 429, 429]);
    const limited = answers[5];
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
    // Five a minute refill one every 12 s: the next request goes through then, the whole quota in a minute.
    expect(limited.headers).toMatchObject({
      'retry-after': '12',
      'x-ratelimit-limit': '5',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': '60',
    });
    expect(limited.json()).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    expect((await test.get(await bearer({ sub: 'dave' }))).statusCode).toBe(200);
  });

  it('documents bearer authentication, not service credentials, in OpenAPI', async () => {
    const doc = (await test.app.inject({ url: '/openapi.json' })).json();
    expect(doc.components.securitySchemes).toEqual({
      bearer: expect.objectContaining({ type: 'http', scheme: 'bearer' }),
    });
    expect(doc.security).toEqual([{ bearer: [] }]);
  });

  it('keeps health and docs open without a token', async () => {
    expect((await test.app.inject({ url: '/health/live' })).statusCode).toBe(200);
  });
});

describe('the burst limit of one customer', () => {
  it('holds a customer to a few requests a second even with most of the minute quota left, others unaffected', async () => {
    const test = await startApp({ RATE_LIMIT_PER_MINUTE: '1000', RATE_LIMIT_BURST_PER_SECOND: '3' });
    const greedy = await bearer({ sub: 'greedy' });
    const statuses = await Promise.all(Array.from({ length: 6 }, () => test.get(greedy).then((res) => res.statusCode)));
    expect(statuses.filter((status) => status === 200)).toHaveLength(3);
    expect(statuses.filter((status) => status === 429)).toHaveLength(3);
    expect((await test.get(await bearer({ sub: 'patient' }))).statusCode).toBe(200);
  });
});

describe('refusals over a limit', () => {
  it('are held at least half of RATE_LIMIT_REFUSAL_DELAY_MS before the 429, while other clients are served at once', async () => {
    const test = await startApp({ RATE_LIMIT_PER_IP_PER_MINUTE: '2', RATE_LIMIT_REFUSAL_DELAY_MS: '600' });
    const flooder = { remoteAddress: '198.51.100.7' };
    for (let i = 0; i < 2; i += 1) expect((await test.get({}, flooder)).statusCode).toBe(401);
    const order: string[] = [];
    const started = Date.now();
    const refused = test.get({}, flooder).then((res) => {
      order.push('refused');
      return { status: res.statusCode, heldMs: Date.now() - started };
    });
    const served = test.get(await bearer({ sub: 'patient' }), { remoteAddress: '198.51.100.8' }).then((res) => {
      order.push('served');
      return res.statusCode;
    });
    expect(await served).toBe(200);
    expect(await refused).toEqual({ status: 429, heldMs: expect.any(Number) });
    expect((await refused).heldMs).toBeGreaterThanOrEqual(290);
    expect(order).toEqual(['served', 'refused']);
  });

  it('are held for different times, so that refusals that came together do not come back together', async () => {
    const test = await startApp({ RATE_LIMIT_PER_IP_PER_MINUTE: '1', RATE_LIMIT_REFUSAL_DELAY_MS: '600' });
    const flooder = { remoteAddress: '198.51.100.9' };
    expect((await test.get({}, flooder)).statusCode).toBe(401);
    const started = Date.now();
    const held = await Promise.all(
      Array.from({ length: 10 }, () => test.get({}, flooder).then((res) => ({ status: res.statusCode, ms: Date.now() - started }))),
    );
    expect(held.map((answer) => answer.status)).toEqual(Array(10).fill(429));
    const times = held.map((answer) => answer.ms);
    expect(Math.min(...times)).toBeGreaterThanOrEqual(290);
    expect(Math.max(...times)).toBeLessThan(1_000);
    // Spread over 300 ms: ten landing within 60 ms of each other would take a one-in-millions draw.
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThan(60);
  });
});

describe('rate limits before authentication, per client address', () => {
  const flooder = { remoteAddress: '198.51.100.7' };
  let test: TestApp;
  beforeEach(async () => {
    test = await startApp({
      RATE_LIMIT_PER_IP_PER_MINUTE: '5',
      RATE_LIMIT_PER_MINUTE: '100',
    });
  });

  it('cuts off a flood of forged tokens from one address with 429, without checking their signatures', async () => {
    const answers = [];
    for (let i = 0; i < 8; i += 1) answers.push(await test.get(await bearer({ sub: `mallory-${i}` }, otherKey), flooder));
    expect(answers.map((res) => res.statusCode)).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
    expect(refusals(test.logs)).toHaveLength(5); // the last three never reached verification
    const limited = answers[7];
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(limited.headers['retry-after']).toMatch(/^[1-9]\d*$/);
    expect(limited.headers).toMatchObject({
      'x-ratelimit-limit': '5',
      'x-ratelimit-remaining': '0',
    });
    expect(limited.json()).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
  });

  it('counts requests without any token as well, and unknown routes', async () => {
    for (let i = 0; i < 3; i += 1) await test.get({}, flooder);
    for (let i = 0; i < 2; i += 1) await test.app.inject({ url: '/v1/nothing-here', ...flooder });
    expect((await test.get(await bearer({ sub: 'alice' }), flooder)).statusCode).toBe(429);
  });

  it('holds an address to a few requests a second even with most of its minute left, other addresses unaffected', async () => {
    const bursty = await startApp({ RATE_LIMIT_PER_IP_PER_MINUTE: '100', RATE_LIMIT_PER_IP_BURST_PER_SECOND: '3' });
    const statuses = await Promise.all(Array.from({ length: 6 }, () => bursty.get({}, flooder).then((res) => res.statusCode)));
    expect(statuses.sort()).toEqual([401, 401, 401, 429, 429, 429]);
    expect((await bursty.get(await bearer({ sub: 'alice' }), { remoteAddress: '198.51.100.8' })).statusCode).toBe(200);
  });

  it('leaves other addresses alone', async () => {
    for (let i = 0; i < 6; i += 1) await test.get({}, flooder);
    expect(
      (
        await test.get(await bearer({ sub: 'alice' }), {
          remoteAddress: '198.51.100.8',
        })
      ).statusCode,
    ).toBe(200);
  });

  it('never throttles the ops routes', async () => {
    for (let i = 0; i < 6; i += 1) await test.get({}, flooder);
    for (const url of ['/health/live', '/health/ready', '/openapi.json', '/metrics']) {
      expect(`${url}: ${(await test.app.inject({ url, ...flooder })).statusCode}`).toBe(`${url}: 200`);
    }
  });
});

describe('rate limits shared through Redis (REDIS_URL)', () => {
  const prefix = `test:${randomUUID()}:`;
  let redis: Redis;
  beforeAll(() => {
    redis = new Redis(REDIS_URL);
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });
  const shared = (env: Record<string, string> = {}) => startApp({ REDIS_URL, RATE_LIMIT_KEY_PREFIX: prefix, ...env });

  it('gives a customer one quota across two instances', async () => {
    const [a, b] = [await shared({ RATE_LIMIT_PER_MINUTE: '4' }), await shared({ RATE_LIMIT_PER_MINUTE: '4' })];
    const erin = await bearer({ sub: 'erin' });
    const answers = [await a.get(erin), await b.get(erin), await a.get(erin), await b.get(erin), await a.get(erin), await b.get(erin)];
    expect(answers.map((res) => res.statusCode)).toEqual([200, 200, 200, 200, 429, 429]);
    expect(answers.slice(0, 4).map((res) => res.headers['x-ratelimit-remaining'])).toEqual(['3', '2', '1', '0']);
    // One key for both: the moment erin's quota will have refilled, about a minute from now.
    const refilledAt = Number(await redis.get(`${prefix}subject:erin`));
    expect(refilledAt).toBeGreaterThan(Date.now() + 50_000);
    expect(refilledAt).toBeLessThan(Date.now() + 70_000);
  });

  it('gives a client address one quota across two instances, before authentication', async () => {
    const [a, b] = [await shared({ RATE_LIMIT_PER_IP_PER_MINUTE: '3' }), await shared({ RATE_LIMIT_PER_IP_PER_MINUTE: '3' })];
    const from = { remoteAddress: '203.0.113.9' };
    const statuses = [
      (await a.get({}, from)).statusCode,
      (await b.get({}, from)).statusCode,
      (await a.get({}, from)).statusCode,
      (await b.get({}, from)).statusCode,
    ];
    expect(statuses).toEqual([401, 401, 401, 429]);
  });

  it('without REDIS_URL counts in each process, in memory', async () => {
    const [a, b] = [await startApp({ RATE_LIMIT_PER_MINUTE: '2' }), await startApp({ RATE_LIMIT_PER_MINUTE: '2' })];
    const frank = await bearer({ sub: 'frank' });
    const statuses = [];
    for (const instance of [a, a, b, b, a]) statuses.push((await instance.get(frank)).statusCode);
    expect(statuses).toEqual([200, 200, 200, 200, 429]);
    expect(await redis.exists(`${prefix}subject:frank`, `bartholomew:rate-limit:subject:frank`)).toBe(0);
  });

  it('closes its Redis connection when the app closes', async () => {
    const ownPrefix = `test:close:${randomUUID()}:`;
    const connections = async () =>
      String(await redis.client('LIST'))
        .split('\n')
        .filter((line: string) => line.includes(`name=rate-limit@${ownPrefix} `)).length;
    const test = await startApp({
      REDIS_URL,
      RATE_LIMIT_KEY_PREFIX: ownPrefix,
    });
    expect(await connections()).toBe(1);
    await test.app.close();
    expect(await connections()).toBe(0);
  });

  describe('when Redis does not answer', () => {
    let closedPort: number;
    beforeAll(async () => {
      const probe = createServer();
      await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
      closedPort = (probe.address() as { port: number }).port;
      await new Promise((resolve) => probe.close(resolve));
    });

    it('starts, keeps answering and keeps limiting (each process alone), and warns once', async () => {
      const test = await startApp({
        REDIS_URL: `redis://127.0.0.1:${closedPort}`,
        RATE_LIMIT_KEY_PREFIX: prefix,
        RATE_LIMIT_PER_MINUTE: '3',
      });
      const grace = await bearer({ sub: 'grace' });
      const statuses = [];
      for (let i = 0; i < 4; i += 1) statuses.push((await test.get(grace)).statusCode);
      expect(statuses).toEqual([200, 200, 200, 429]);
      const warnings = test.logs.records().filter((record) => record['level'] === 40);
      expect(warnings).toEqual([
        expect.objectContaining({
          msg: expect.stringMatching(/rate-limit store \(Redis\) unavailable/),
        }),
      ]);
      expect(test.logs.text()).not.toContain(`:${closedPort}`);
    });

    it('carries on in memory when Redis goes away while serving', async () => {
      const sockets = new Set<Socket>();
      const proxy: Server = createServer((client) => {
        const upstream = new URL(REDIS_URL);
        const server = connect(Number(upstream.port || 6379), upstream.hostname);
        for (const socket of [client, server]) {
          sockets.add(socket);
          socket.on('error', () => socket.destroy());
          socket.on('close', () => sockets.delete(socket));
        }
        client.pipe(server).pipe(client);
      });
      await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
      const port = (proxy.address() as { port: number }).port;
      const test = await startApp({
        REDIS_URL: `redis://127.0.0.1:${port}`,
        RATE_LIMIT_KEY_PREFIX: prefix,
        RATE_LIMIT_PER_MINUTE: '10',
      });
      const heidi = await bearer({ sub: 'heidi' });
      expect([(await test.get(heidi)).statusCode, (await test.get(heidi)).statusCode]).toEqual([200, 200]);
      const shared = await redis.get(`${prefix}subject:heidi`);
      expect(shared).not.toBeNull();

      await new Promise((resolve) => {
        proxy.close(resolve);
        for (const socket of sockets) socket.destroy();
      });
      const during = [];
      for (let i = 0; i < 3; i += 1) during.push((await test.get(heidi)).statusCode);
      expect(during).toEqual([200, 200, 200]);
      expect(await redis.get(`${prefix}subject:heidi`)).toBe(shared); // counted in memory meanwhile
      expect(test.logs.records().filter((record) => record['level'] === 40)).toEqual([
        expect.objectContaining({ msg: expect.stringMatching(/unavailable/) }),
      ]);
    });
  });
});
