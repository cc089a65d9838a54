import type { IncomingHttpHeaders } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { Type } from '@sinclair/typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import { MockAgent } from 'undici';
import { withDeadline } from '../shared/request-deadline';
import {
  DownstreamContractViolation,
  DownstreamRejected,
  DownstreamTimeout,
  DownstreamUnavailable,
  ServiceClientCore,
  urlPath,
  type ServiceClientCoreOptions,
} from './index';

const AccountSchema = Type.Object(
  {
    id: Type.String(),
    status: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
  },
  { additionalProperties: false },
);
const SSN = '123-45-6789';
const problem = (status: number, code: string) => ({
  type: `urn:problem:${code}`,
  title: 'Problem',
  status,
  code,
});

/**
 * A real downstream on a real socket, scripted per test: counts hits per route, remembers the
 * headers it saw, and notices when a caller hangs up on it.
 */
interface Downstream {
  app: FastifyInstance;
  baseUrl: string;
  hits: Record<string, number>;
  seen: Array<{ url: string; headers: IncomingHttpHeaders; body: unknown }>;
  connections: number;
  accountsFailing: boolean;
  flakyFailuresLeft: number;
  writeFailuresLeft: number;
  slowCallerHungUp: Promise<void>;
}

async function startDownstream(): Promise<Downstream> {
  const app = Fastify({ logger: false });
  let callerHungUp = () => undefined as void;
  const state: Downstream = {
    app,
    baseUrl: '',
    hits: {},
    seen: [],
    connections: 0,
    accountsFailing: false,
    flakyFailuresLeft: 0,
    writeFailuresLeft: 0,
    slowCallerHungUp: Promise.resolve(),
  };
  const resetSlow = () => {
    state.slowCallerHungUp = new Promise((resolve) => (callerHungUp = resolve));
  };
  resetSlow();

  app.addHook('onRequest', async (request) => {
    const route = `${request.method} ${request.routeOptions.url}`;
    state.hits[route] = (state.hits[route] ?? 0) + 1;
  });
  app.addHook('preHandler', async (request) => {
    state.seen.push({
      url: request.url,
      headers: request.headers,
      body: request.body,
    });
  });
  app.server.on('connection', () => state.connections++);

  const unavailable = { ...problem(503, 'BACKEND_DOWN') };
  app.get('/v1/accounts/:id', async (request, reply) => {
    if (state.accountsFailing) return reply.code(503).type('application/problem+json').send(unavailable);
    return { id: (request.params as { id: string }).id, status: 'open' };
  });
  // A request only one caller sends, which this downstream cannot handle: a 500 for it alone.
  app.get('/v1/accounts/:id/poison', async (_request, reply) =>
    reply.code(500).type('application/problem+json').send(problem(500, 'INTERNAL_ERROR')),
  );
  // Down for a while, and says for how long.
  app.get('/v1/busy/:seconds', async (request, reply) =>
    reply
      .code(503)
      .header('retry-after', (request.params as { seconds: string }).seconds)
      .type('application/problem+json')
      .send(problem(503, 'BACKEND_DOWN')),
  );
  app.get('/v1/missing', async (_request, reply) => reply.code(404).type('application/problem+json').send(problem(404, 'ACCOUNT_NOT_FOUND')));
  app.get('/v1/flaky', async (_request, reply) => {
    if (state.flakyFailuresLeft-- > 0) return reply.code(503).type('application/problem+json').send(unavailable);
    return { id: 'flaky', status: 'open' };
  });
  app.post('/v1/accounts', async (request, reply) => {
    const body = request.body as { ssn?: string };
    if (body.ssn === 'invalid') {
      return reply.code(422).type('application/problem+json').send(problem(422, 'SSN_INVALID'));
    }
    if (state.writeFailuresLeft-- > 0) return reply.code(503).type('application/problem+json').send(unavailable);
    return reply.code(201).send({ id: 'acc-1', status: 'open' });
  });
  app.delete('/v1/accounts/:id', async (_request, reply) => reply.code(204).send());
  app.get('/v1/echo', async () => ({ id: 'echo', status: 'open' }));
  app.get('/v1/slow', async (request, reply) => {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 5_000);
      reply.raw.on('close', () => {
        clearTimeout(timer);
        if (!reply.raw.writableFinished) callerHungUp();
        resolve();
      });
    });
    resetSlow();
    return { id: 'slow', status: 'open' };
  });
  // Answers at once, then sends one byte every 50 ms for 5 s: no undici idle timer ever fires.
  app.get('/v1/trickle', (_request, reply) => {
    reply.hijack();
    reply.raw.writeHead(200, { 'content-type': 'application/json' });
    reply.raw.write('{"id":"trickle","status":"open","padding":"');
    const drip = setInterval(() => reply.raw.write('x'), 50);
    const finish = setTimeout(() => reply.raw.end('"}'), 5_000);
    reply.raw.on('close', () => {
      clearInterval(drip);
      clearTimeout(finish);
    });
  });
  // Bodies larger than undici's 64 KiB read buffer: unread, they would stall the connection.
  app.get('/v1/bulky/:status', async (request, reply) => {
    const status = Number((request.params as { status: string }).status);
    const padding = 'x'.repeat(100 * 1024);
    if (status === 418) return reply.code(status).type('text/plain').send(padding);
    return reply
      .code(status)
      .type(status >= 400 ? 'application/problem+json' : 'application/json')
      .send({ ...problem(status, 'BULKY'), padding });
  });
  app.get('/v1/drifted', async () => ({ id: 123, status: 'open', ssn: SSN }));
  app.get('/v1/accepted', async (_request, reply) => reply.code(202).send({ id: 'x', status: 'open' }));
  app.get('/v1/not-json', async (_request, reply) => reply.type('text/plain').send(`ssn ${SSN}`));
  app.get('/v1/teapot', async (_request, reply) => reply.code(418).type('text/plain').send('no problem+json here'));

  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  state.baseUrl = `http://127.0.0.1:${address.port}`;
  return state;
}

describe('ServiceClientCore against a real Fastify downstream', () => {
  let downstream: Downstream;
  const cores: ServiceClientCore[] = [];

  const client = (overrides: Partial<ServiceClientCoreOptions> = {}) => {
    const core = new ServiceClientCore({
      name: 'account-system-api',
      baseUrl: downstream.baseUrl,
      credential: {
        callerName: 'onboarding-process-api',
        secret: 's3cret.with.dots',
      },
      timeoutMs: 2_000,
      breaker: {
        resetTimeoutMs: 10_000,
        volumeThreshold: 5,
        errorThresholdPercentage: 50,
      },
      retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 20 },
      ...overrides,
    });
    cores.push(core);
    return core;
  };
  const getAccount = (core: ServiceClientCore, id = 'acc-1') =>
    core.request({
      method: 'GET',
      path: urlPath`/v1/accounts/${id}`,
      requestId: 'req-1',
      responses: { 200: AccountSchema },
    });
  const hits = (route: string) => downstream.hits[route] ?? 0;

  beforeAll(async () => {
    downstream = await startDownstream();
  });
  beforeEach(() => {
    downstream.hits = {};
    downstream.seen = [];
    downstream.connections = 0;
    downstream.accountsFailing = false;
    downstream.flakyFailuresLeft = 0;
    downstream.writeFailuresLeft = 0;
  });
  afterEach(async () => {
    await Promise.all(cores.splice(0).map((core) => core.close()));
  });
  afterAll(async () => {
    await downstream.app.close();
  });

  it('returns the answer typed by the schema of its status', async () => {
    const core = client();
    const response = await getAccount(core, 'acc-7');
    const id: string = response.body.id;
    // @ts-expect-error — not in AccountSchema, so not on the typed body
    expect(response.body.balance).toBeUndefined();
    expect(response.status).toBe(200);
    expect(id).toBe('acc-7');
    expect(response.body.status).toBe('open');
    expect(core.counters()).toMatchObject({
      calls: 1,
      attempts: 1,
      successes: 1,
    });
  });

  it('discriminates the answer by status when several are declared', async () => {
    const core = client();
    const response = await core.request({
      method: 'POST',
      path: '/v1/accounts',
      body: { ssn: SSN },
      idempotencyKey: 'onb-1:open-account',
      requestId: 'req-2',
      responses: {
        200: AccountSchema,
        201: Type.Object({ id: Type.String() }),
      },
    });
    expect(response.status).toBe(201);
    expect(response.body.id).toBe('acc-1');
  });

  it('accepts an empty answer declared as null', async () => {
    const core = client();
    const response = await core.request({
      method: 'DELETE',
      path: '/v1/accounts/acc-1',
      idempotencyKey: 'onb-3:close-account',
      requestId: 'req-17',
      responses: { 204: Type.Null() },
    });
    expect(response).toMatchObject({ status: 204, body: null });
  });

  it('only lets success statuses be declared as answers', async () => {
    const core = client();
    const declaringNotFound = core.request({
      method: 'GET',
      path: '/v1/missing',
      requestId: 'req-18',
      // @ts-expect-error — a 4xx is raised as DownstreamRejected, never returned
      responses: { 404: AccountSchema },
    });
    await expect(declaringNotFound).rejects.toBeInstanceOf(DownstreamRejected);
  });

  it('forwards the request id, the service credential and the idempotency key', async () => {
    const core = client();
    await core.request({
      method: 'POST',
      path: '/v1/accounts',
      body: { ssn: SSN },
      idempotencyKey: 'onb-1:open-account',
      requestId: 'req-42',
      responses: { 201: AccountSchema },
    });
    const [seen] = downstream.seen;
    expect(seen.headers['x-request-id']).toBe('req-42');
    expect(seen.headers['x-service-credential']).toBe('onboarding-process-api.s3cret.with.dots');
    expect(seen.headers['idempotency-key']).toBe('onb-1:open-account');
    expect(seen.headers['content-type']).toBe('application/json');
    expect(seen.body).toEqual({ ssn: SSN });
  });

  it('adds per-call headers without letting them replace the ones the core owns', async () => {
    const core = client();
    await core.request({
      method: 'GET',
      path: '/v1/accounts/a-1',
      requestId: 'req-43',
      responses: { 200: AccountSchema },
      headers: { 'x-end-user-subject': 'auth0|ada', 'x-service-credential': 'forged.secret', 'x-request-id': 'forged' },
    });
    const [seen] = downstream.seen;
    expect(seen.headers['x-end-user-subject']).toBe('auth0|ada');
    expect(seen.headers['x-service-credential']).toBe('onboarding-process-api.s3cret.with.dots');
    expect(seen.headers['x-request-id']).toBe('req-43');
  });

  it('encodes query values and path parameters', async () => {
    const core = client();
    await core.request({
      method: 'GET',
      path: '/v1/echo',
      query: {
        status: 'open',
        tag: ['a b', 'c&d'],
        limit: 10,
        cursor: undefined,
      },
      requestId: 'req-3',
      responses: { 200: AccountSchema },
    });
    await getAccount(core, '../missing');
    expect(downstream.seen.map((seen) => seen.url)).toEqual(['/v1/echo?status=open&tag=a+b&tag=c%26d&limit=10', '/v1/accounts/..%2Fmissing']);
  });

  it('turns a problem+json 4xx into DownstreamRejected without retrying or tripping the breaker', async () => {
    const core = client({ breaker: { volumeThreshold: 2 } });
    for (let call = 0; call < 6; call++) {
      const error = await core
        .request({
          method: 'GET',
          path: '/v1/missing',
          requestId: 'req-4',
          responses: { 200: AccountSchema },
        })
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(DownstreamRejected);
      expect(error).toMatchObject({
        downstream: 'account-system-api',
        status: 404,
        problem: { code: 'ACCOUNT_NOT_FOUND' },
      });
    }
    expect(hits('GET /v1/missing')).toBe(6);
    expect(core.breakerState()).toBe('closed');
    expect(core.counters()).toMatchObject({
      rejections: 6,
      retries: 0,
      failures: 0,
    });
  });

  it('rejects a 4xx that is not problem+json with its status and no problem', async () => {
    const error = await client()
      .request({
        method: 'GET',
        path: '/v1/teapot',
        requestId: 'req-5',
        responses: { 200: AccountSchema },
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DownstreamRejected);
    expect(error).toMatchObject({ status: 418, problem: undefined });
  });

  it('keeps the request body out of a rejection', async () => {
    const error = await client()
      .request({
        method: 'POST',
        path: '/v1/accounts',
        body: { ssn: 'invalid', other: SSN },
        requestId: 'req-6',
        responses: { 201: AccountSchema },
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DownstreamRejected);
    expect((error as DownstreamRejected).problem?.code).toBe('SSN_INVALID');
    expect(String((error as Error).stack)).not.toContain(SSN);
    expect(JSON.stringify(error)).not.toContain(SSN);
  });

  it('opens the breaker on repeated 5xx, then fails fast without reaching the downstream', async () => {
    const core = client({
      breaker: {
        volumeThreshold: 3,
        errorThresholdPercentage: 50,
        resetTimeoutMs: 10_000,
      },
      retry: { attempts: 1 },
    });
    downstream.accountsFailing = true;
    for (let call = 0; call < 3; call++) {
      const error = await getAccount(core).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(DownstreamUnavailable);
      expect(error).toMatchObject({ reason: 'status', status: 503 });
    }
    expect(core.breakerState()).toBe('open');
    expect(hits('GET /v1/accounts/:id')).toBe(3);

    const started = performance.now();
    const error = await getAccount(core).catch((caught: unknown) => caught);
    const elapsedMs = performance.now() - started;
    expect(error).toBeInstanceOf(DownstreamUnavailable);
    expect(error).toMatchObject({
      reason: 'circuit-open',
      breakerState: 'open',
      downstream: 'account-system-api',
    });
    expect((error as DownstreamUnavailable).headers?.['retry-after']).toMatch(/^\d+$/);
    expect(hits('GET /v1/accounts/:id')).toBe(3);
    expect(elapsedMs).toBeLessThan(1_000);
    expect(core.counters()).toMatchObject({ shortCircuits: 1, attempts: 3 });
  });

  it('keeps the breaker closed for everyone while one caller keeps provoking 500s', async () => {
    const core = client({
      breaker: { volumeThreshold: 3, errorThresholdPercentage: 50 },
      retry: { attempts: 1 },
    });
    const poison = () =>
      core.request({
        method: 'GET',
        path: urlPath`/v1/accounts/${'acc-1'}/poison`,
        requestId: 'req-poison',
        responses: { 200: AccountSchema },
      });
    for (let call = 0; call < 20; call++) {
      await expect(poison()).rejects.toMatchObject({
        reason: 'status',
        status: 500,
      });
    }
    expect(core.breakerState()).toBe('closed');
    await expect(getAccount(core)).resolves.toMatchObject({ status: 200 });
    expect(hits('GET /v1/accounts/:id')).toBe(1);
    expect(core.counters()).toMatchObject({ shortCircuits: 0 });
  });

  it('opens after consecutive outages even when earlier successes fill the window', async () => {
    const core = client({
      breaker: {
        volumeThreshold: 5,
        errorThresholdPercentage: 50,
        consecutiveFailures: 5,
      },
      retry: { attempts: 1 },
    });
    for (let call = 0; call < 40; call++) await getAccount(core);
    downstream.accountsFailing = true;
    for (let call = 0; call < 4; call++) {
      await expect(getAccount(core)).rejects.toMatchObject({ status: 503 });
    }
    // 4 failures in 44 calls is far below 50 %: only the run of failures can open it.
    expect(core.breakerState()).toBe('closed');
    await expect(getAccount(core)).rejects.toMatchObject({ status: 503 });
    expect(core.breakerState()).toBe('open');
    await expect(getAccount(core)).rejects.toMatchObject({
      reason: 'circuit-open',
    });
    expect(hits('GET /v1/accounts/:id')).toBe(45);
  });

  describe('a downstream that stops answering', () => {
    const stalling = (core: ServiceClientCore) =>
      core.request({ method: 'GET', path: '/v1/slow', requestId: 'req-stall', responses: { 200: AccountSchema } }).catch((error: unknown) => error);

    it('opens the breaker once enough calls have waited with no answer, and ends them, long before their timeout', async () => {
      const core = client({ timeoutMs: 4_000, breaker: { stalledCalls: 3, stalledAfterMs: 200 }, retry: { attempts: 1 } });
      const started = performance.now();
      const waiting = [stalling(core), stalling(core), stalling(core)];
      await sleep(100);
      expect(core.breakerState()).toBe('closed');
      const openBy = Date.now() + 1_500;
      while (core.breakerState() !== 'open' && Date.now() < openBy) await sleep(10);
      expect(core.breakerState()).toBe('open');
      // Callers after the stall are answered at once instead of each waiting out the timeout.
      await expect(getAccount(core)).rejects.toMatchObject({ reason: 'circuit-open' });
      expect(hits('GET /v1/accounts/:id')).toBe(0);
      // The calls that were waiting end with it, as timeouts, instead of holding their callers for 4 s.
      const ended = await Promise.all(waiting);
      expect(performance.now() - started).toBeLessThan(3_000);
      for (const error of ended) expect(error).toBeInstanceOf(DownstreamTimeout);
    });

    it('does not take long polls held by design for a stall, and gives them their hold on top of the timeout', async () => {
      const core = client({ timeoutMs: 300, breaker: { stalledCalls: 3, stalledAfterMs: 200 }, retry: { attempts: 1 } });
      const started = performance.now();
      const held = [1, 2, 3].map(() =>
        core
          .request({ method: 'GET', path: '/v1/slow', requestId: 'req-hold', holdMs: 900, responses: { 200: AccountSchema } })
          .catch((error: unknown) => error),
      );
      // Unheld, three calls waiting 200 ms with no answer would have opened it by now.
      await sleep(700);
      expect(core.breakerState()).toBe('closed');
      const ended = await Promise.all(held);
      // Cut at the timeout plus the hold, not at the timeout.
      expect(performance.now() - started).toBeGreaterThanOrEqual(1_100);
      for (const error of ended) expect(error).toBeInstanceOf(DownstreamTimeout);
    });

    it('gives the trial call after an outage the stall time, not the whole timeout, and opens again when it gets no answer', async () => {
      const core = client({
        timeoutMs: 4_000,
        breaker: { stalledCalls: 3, stalledAfterMs: 200, resetTimeoutMs: 300 },
        retry: { attempts: 1 },
      });
      await Promise.all([stalling(core), stalling(core), stalling(core)]);
      expect(core.breakerState()).toBe('open');
      await sleep(400);
      expect(core.breakerState()).toBe('halfOpen');
      // The one caller whose call is the trial, still unanswered: ended after the stall time, not after 4 s.
      const started = performance.now();
      await expect(stalling(core)).resolves.toBeInstanceOf(DownstreamTimeout);
      expect(performance.now() - started).toBeLessThan(2_000);
      expect(core.breakerState()).toBe('open');
    });

    it('stays closed while other calls are still answered, however slow some are', async () => {
      const core = client({ timeoutMs: 2_000, breaker: { stalledCalls: 3, stalledAfterMs: 200 }, retry: { attempts: 1 } });
      const waiting = [stalling(core), stalling(core), stalling(core)];
      const until = Date.now() + 800;
      while (Date.now() < until) {
        await expect(getAccount(core)).resolves.toMatchObject({ status: 200 });
        await sleep(50);
      }
      expect(core.breakerState()).toBe('closed');
      await Promise.all(waiting);
    });
  });

  it('hands over the problem of a 503 and does not count the codes the downstream answers while healthy', async () => {
    const busyFor = (core: ServiceClientCore) =>
      core.request({ method: 'GET', path: urlPath`/v1/busy/${60}`, requestId: 'req-busy', responses: { 200: AccountSchema } });
    const breaker = { volumeThreshold: 1, consecutiveFailures: 3 };
    const waiting = client({ breaker, retry: { attempts: 1 }, refusalsWhileHealthy: ['BACKEND_DOWN'] });
    for (let call = 0; call < 5; call++) {
      await expect(busyFor(waiting)).rejects.toMatchObject({
        reason: 'status',
        status: 503,
        retryAfterMs: 60_000,
        problem: { code: 'BACKEND_DOWN' },
        message: expect.stringContaining('(BACKEND_DOWN)'),
      });
    }
    expect(waiting.breakerState()).toBe('closed');
    // The same answers from a downstream that does not call them a healthy refusal are an outage.
    const plain = client({ breaker, retry: { attempts: 1 } });
    for (let call = 0; call < 3; call++) await busyFor(plain).catch(() => undefined);
    expect(plain.breakerState()).toBe('open');
  });

  it('lets a trial call through after the reset timeout and closes again when it succeeds', async () => {
    const core = client({
      breaker: { volumeThreshold: 2, resetTimeoutMs: 200 },
      retry: { attempts: 1 },
    });
    downstream.accountsFailing = true;
    await getAccount(core).catch(() => undefined);
    await getAccount(core).catch(() => undefined);
    expect(core.breakerState()).toBe('open');

    downstream.accountsFailing = false;
    await expect(getAccount(core)).rejects.toMatchObject({
      reason: 'circuit-open',
    });
    await sleep(400);
    expect(core.breakerState()).toBe('halfOpen');
    await expect(getAccount(core)).resolves.toMatchObject({ status: 200 });
    expect(core.breakerState()).toBe('closed');
    expect(hits('GET /v1/accounts/:id')).toBe(3);
  });

  it('stops retrying as soon as the breaker opens', async () => {
    const core = client({
      breaker: { volumeThreshold: 2 },
      retry: { attempts: 5, baseDelayMs: 5, maxDelayMs: 10 },
    });
    downstream.accountsFailing = true;
    const error = await getAccount(core).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ reason: 'status', status: 503 });
    expect(core.breakerState()).toBe('open');
    expect(hits('GET /v1/accounts/:id')).toBe(2);
  });

  it('retries a GET on 503 and returns the answer that follows', async () => {
    const core = client();
    downstream.flakyFailuresLeft = 2;
    const response = await core.request({
      method: 'GET',
      path: '/v1/flaky',
      requestId: 'req-7',
      responses: { 200: AccountSchema },
    });
    expect(response.body.id).toBe('flaky');
    expect(hits('GET /v1/flaky')).toBe(3);
    expect(core.counters()).toMatchObject({
      attempts: 3,
      retries: 2,
      failures: 2,
      successes: 1,
    });
  });

  it('gives the answer back at once when the downstream asks to wait longer than a retry may', async () => {
    const core = client({ retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 500 } });
    const busy = (seconds: number) =>
      core.request({ method: 'GET', path: urlPath`/v1/busy/${seconds}`, requestId: 'req-busy', responses: { 200: AccountSchema } });
    await expect(busy(5)).rejects.toMatchObject({ reason: 'status', status: 503, retryAfterMs: 5_000 });
    expect(hits('GET /v1/busy/:seconds')).toBe(1);
    // Asked to come back at once: worth the retries.
    await expect(busy(0)).rejects.toMatchObject({ status: 503 });
    expect(hits('GET /v1/busy/:seconds')).toBe(4);
  });

  it('does not wait for a retry its caller will not be there for', async () => {
    // Retry-After 1 s within a 1 s retry ceiling: the retry would wait exactly 1 s.
    const core = client({ retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 1_000 } });
    const started = Date.now();
    await expect(
      core.request({
        method: 'GET',
        path: urlPath`/v1/busy/${1}`,
        requestId: 'req-8',
        responses: { 200: AccountSchema },
        deadline: Date.now() + 300,
      }),
    ).rejects.toMatchObject({ status: 503 });
    expect(hits('GET /v1/busy/:seconds')).toBe(1);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('gives up after the configured attempts', async () => {
    const core = client({
      retry: { attempts: 2, baseDelayMs: 5, maxDelayMs: 10 },
      breaker: { volumeThreshold: 10 },
    });
    downstream.flakyFailuresLeft = 5;
    await expect(
      core.request({
        method: 'GET',
        path: '/v1/flaky',
        requestId: 'req-8',
        responses: { 200: AccountSchema },
      }),
    ).rejects.toBeInstanceOf(DownstreamUnavailable);
    expect(hits('GET /v1/flaky')).toBe(2);
  });

  it('does not retry a POST without an idempotency key', async () => {
    const core = client();
    downstream.writeFailuresLeft = 1;
    const error = await core
      .request({
        method: 'POST',
        path: '/v1/accounts',
        body: { ssn: SSN },
        requestId: 'req-9',
        responses: { 201: AccountSchema },
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DownstreamUnavailable);
    expect((error as Error).message).not.toContain(SSN);
    expect(hits('POST /v1/accounts')).toBe(1);
  });

  it('retries a POST that carries an idempotency key, with the same key', async () => {
    const core = client();
    downstream.writeFailuresLeft = 1;
    const response = await core.request({
      method: 'POST',
      path: '/v1/accounts',
      body: { ssn: SSN },
      idempotencyKey: 'onb-2:open-account',
      requestId: 'req-10',
      responses: { 201: AccountSchema },
    });
    expect(response.status).toBe(201);
    expect(hits('POST /v1/accounts')).toBe(2);
    expect(downstream.seen.map((seen) => seen.headers['idempotency-key'])).toEqual(['onb-2:open-account', 'onb-2:open-account']);
  });

  describe("the caller's time budget", () => {
    const slow = (core: ServiceClientCore, deadline?: number) =>
      core.request({
        method: 'GET',
        path: '/v1/slow',
        requestId: 'req-budget',
        responses: { 200: AccountSchema },
        deadline,
      });

    it('tells the downstream how long it will still wait', async () => {
      const core = client({ timeoutMs: 2_000 });
      await getAccount(core);
      expect(Number(downstream.seen[0].headers['x-time-budget-ms'])).toBe(2_000);
      await core.request({
        method: 'GET',
        path: urlPath`/v1/accounts/${'acc-1'}`,
        requestId: 'req-1',
        responses: { 200: AccountSchema },
        deadline: Date.now() + 500,
      });
      const sent = Number(downstream.seen[1].headers['x-time-budget-ms']);
      expect(sent).toBeGreaterThan(0);
      expect(sent).toBeLessThanOrEqual(500);
    });

    it('cuts the call at the deadline, the downstream sees it hang up, and the breaker does not count it', async () => {
      const core = client({
        timeoutMs: 2_000,
        breaker: { volumeThreshold: 1, consecutiveFailures: 1 },
        retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 10 },
      });
      const error = await slow(core, Date.now() + 150).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(DownstreamTimeout);
      expect(error).toMatchObject({ callerBudget: true });
      await downstream.slowCallerHungUp;
      // Not retried (nobody is waiting any more) and not the downstream's fault.
      expect(hits('GET /v1/slow')).toBe(1);
      expect(core.breakerState()).toBe('closed');
    });

    it('still counts a timeout as an outage when the caller left it most of its own wait', async () => {
      const core = client({ timeoutMs: 300, breaker: { volumeThreshold: 1, consecutiveFailures: 1 }, retry: { attempts: 1 } });
      const error = await slow(core, Date.now() + 250).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ callerBudget: false });
      expect(core.breakerState()).toBe('open');
    });

    it('sends nothing once the budget is spent', async () => {
      const core = client();
      const error = await getAccountWithDeadline(core, Date.now() - 1).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(DownstreamTimeout);
      expect(hits('GET /v1/accounts/:id')).toBe(0);
    });

    it('takes the deadline of the request being served when the call names none', async () => {
      const core = client({ timeoutMs: 2_000 });
      await withDeadline(Date.now() + 300, () => getAccount(core));
      const sent = Number(downstream.seen[0].headers['x-time-budget-ms']);
      expect(sent).toBeGreaterThan(0);
      expect(sent).toBeLessThanOrEqual(300);
    });

    const getAccountWithDeadline = (core: ServiceClientCore, deadline: number) =>
      core.request({
        method: 'GET',
        path: urlPath`/v1/accounts/${'acc-1'}`,
        requestId: 'req-1',
        responses: { 200: AccountSchema },
        deadline,
      });
  });

  it('reports a refused connection as DownstreamUnavailable', async () => {
    const gone = Fastify();
    await gone.listen({ host: '127.0.0.1', port: 0 });
    const address = gone.server.address();
    await gone.close();
    if (!address || typeof address === 'string') throw new Error('no port');

    const core = client({ baseUrl: `http://127.0.0.1:${address.port}` });
    const error = await getAccount(core).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DownstreamUnavailable);
    expect(error).not.toBeInstanceOf(DownstreamTimeout);
    expect(error).toMatchObject({
      reason: 'connection',
      downstream: 'account-system-api',
    });
    expect(core.counters()).toMatchObject({ attempts: 3, failures: 3 });
  });

  it('aborts a slow call at its timeout, and the downstream sees the caller hang up', async () => {
    const core = client({ timeoutMs: 200, retry: { attempts: 1 } });
    const started = performance.now();
    const error = await core
      .request({
        method: 'GET',
        path: '/v1/slow',
        requestId: 'req-11',
        responses: { 200: AccountSchema },
      })
      .catch((caught: unknown) => caught);
    const elapsedMs = performance.now() - started;

    expect(error).toBeInstanceOf(DownstreamTimeout);
    expect(error).toBeInstanceOf(DownstreamUnavailable);
    expect(error).toMatchObject({ reason: 'timeout', timeoutMs: 200 });
    // The handler would answer after 5 s; generous bound, far below that.
    expect(elapsedMs).toBeLessThan(3_000);
    const patience = new AbortController();
    const outcome = await Promise.race([
      downstream.slowCallerHungUp.then(() => 'hung up'),
      sleep(2_000, 'still connected', { signal: patience.signal }),
    ]);
    patience.abort();
    expect(outcome).toBe('hung up');
    expect(core.counters()).toMatchObject({ timeouts: 1 });
  });

  it('aborts a body that trickles in past the time budget', async () => {
    const core = client({ timeoutMs: 300, retry: { attempts: 1 } });
    const started = performance.now();
    const error = await core
      .request({
        method: 'GET',
        path: '/v1/trickle',
        requestId: 'req-16',
        responses: { 200: AccountSchema },
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DownstreamTimeout);
    expect(performance.now() - started).toBeLessThan(3_000);
  });

  it('detects a 2xx body that breaks the contract, without retrying and without quoting it', async () => {
    const core = client({ breaker: { volumeThreshold: 1 } });
    const error = await core
      .request({
        method: 'GET',
        path: '/v1/drifted',
        requestId: 'req-12',
        responses: { 200: AccountSchema },
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DownstreamContractViolation);
    expect((error as DownstreamContractViolation).issues).toEqual(
      expect.arrayContaining([
        { path: '/id', message: 'must be string' },
        { path: '', message: 'must NOT have additional properties' },
      ]),
    );
    expect((error as Error).message).not.toContain(SSN);
    expect(hits('GET /v1/drifted')).toBe(1);
    expect(core.breakerState()).toBe('closed');
  });

  it('treats an undeclared success status and a non-JSON body as contract violations', async () => {
    const core = client();
    await expect(
      core.request({
        method: 'GET',
        path: '/v1/accepted',
        requestId: 'req-13',
        responses: { 200: AccountSchema },
      }),
    ).rejects.toMatchObject({
      name: 'DownstreamContractViolation',
      status: 202,
    });
    const error = await core
      .request({
        method: 'GET',
        path: '/v1/not-json',
        requestId: 'req-14',
        responses: { 200: AccountSchema },
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DownstreamContractViolation);
    expect((error as Error).message).not.toContain(SSN);
    expect(core.counters()).toMatchObject({ contractViolations: 2 });
  });

  it('consumes every answer body, so one pooled connection serves many failed calls', async () => {
    const core = client({
      connections: 1,
      timeoutMs: 1_000,
      retry: { attempts: 1 },
      breaker: { errorThresholdPercentage: 100 },
    });
    const get = (status: number) =>
      core
        .request({
          method: 'GET',
          path: `/v1/bulky/${status}`,
          requestId: 'req-15',
          responses: { 200: AccountSchema },
        })
        .catch((caught: unknown) => caught);
    for (let call = 0; call < 5; call++) {
      expect(await get(404)).toBeInstanceOf(DownstreamRejected);
      expect(await get(418)).toBeInstanceOf(DownstreamRejected);
      expect(await get(503)).toMatchObject({ reason: 'status', status: 503 });
      expect(await get(202)).toBeInstanceOf(DownstreamContractViolation);
      expect(await get(200)).toBeInstanceOf(DownstreamContractViolation);
    }
    expect(hits('GET /v1/bulky/:status')).toBe(25);
    expect(downstream.connections).toBe(1);
  });

  it('refuses calls once closed', async () => {
    const core = client();
    await core.close();
    await expect(getAccount(core)).rejects.toMatchObject({
      name: 'DownstreamUnavailable',
      reason: 'client-closed',
    });
    expect(hits('GET /v1/accounts/:id')).toBe(0);
  });
});

describe('ServiceClientCore with an injected dispatcher', () => {
  it('sends through the given dispatcher instead of its own pool', async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    agent
      .get('http://account-system-api.test')
      .intercept({
        path: '/v1/accounts/acc-9',
        method: 'GET',
        headers: { 'x-request-id': 'req-mock' },
      })
      .reply(200, { id: 'acc-9', status: 'closed' }, { headers: { 'content-type': 'application/json' } });
    const core = new ServiceClientCore({
      name: 'account-system-api',
      baseUrl: 'http://account-system-api.test',
      credential: { callerName: 'onboarding-process-api', secret: 's' },
      dispatcher: agent,
    });
    const response = await core.request({
      method: 'GET',
      path: '/v1/accounts/acc-9',
      requestId: 'req-mock',
      responses: { 200: AccountSchema },
    });
    expect(response.body).toEqual({ id: 'acc-9', status: 'closed' });
    await core.close();
    agent.assertNoPendingInterceptors();
    await agent.close();
  });

  it('refuses a breaker that could open on a single call', () => {
    expect(
      () =>
        new ServiceClientCore({
          name: 'account-system-api',
          baseUrl: 'http://localhost:1',
          credential: { callerName: 'onboarding-process-api', secret: 's' },
          breaker: { volumeThreshold: 0 },
        }),
    ).toThrow('volumeThreshold');
  });
});
