import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { type TestApp, buildTestApp, expectProblem, pollUntil, settled, signUpForm, startOnboarding } from '../helper';
import { newKey, startOnboardingStack, type OnboardingStack } from '@bartholomew/test-stack';

/**
 * The Process API stopped for real (its server closed): reads the user has seen come back from
 * the last good answer, marked stale; anything else is a fast 503 with Retry-After. Never a hang,
 * never a 500. Once the Process API is back, answers are fresh again.
 */
describe('when the Process API is down', () => {
  let stack: OnboardingStack;
  let test: TestApp;
  let onboardingId: string;
  let accountId: string;

  beforeAll(async () => {
    stack = await startOnboardingStack();
    test = await buildTestApp({
      processUrl: stack.processUrl,
      // Degraded mode right after a good read: no reads shared for a moment, or that read would still be fresh.
      env: { PROCESS_BREAKER_VOLUME: '3', PROCESS_BREAKER_RESET_MS: '30000', UNAVAILABLE_RETRY_AFTER_S: '7', READ_CACHE_MS: '0' },
    });
    onboardingId = (await startOnboarding(test, 'dora')).id;
    accountId = (await pollUntil(test, 'dora', onboardingId, settled)).account?.id as string;
    // What Dora has seen before the outage.
    for (const url of ['/v1/home', `/v1/onboardings/${onboardingId}`, `/v1/accounts/${accountId}`, '/v1/billing']) {
      expect((await test.call({ url, as: 'dora' })).statusCode).toBe(200);
    }
    await stack.stopProcess();
  });
  afterAll(async () => {
    await test?.close();
    await stack?.close();
  });

  it.each(['/v1/home', '/v1/billing', '/v1/onboardings/:id', '/v1/accounts/:id'])(
    'serves the last good %s, marked stale in headers and body',
    async (route) => {
      const url = route.replace('/v1/onboardings/:id', `/v1/onboardings/${onboardingId}`).replace('/v1/accounts/:id', `/v1/accounts/${accountId}`);
      const res = await test.call({ url, as: 'dora' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['x-stale']).toBe('true');
      expect(res.headers.warning).toBe('110 - "Response is Stale"');
      expect(res.headers.age).toMatch(/^\d+$/);
      expect(res.json().stale).toBe(true);
    },
  );

  it('shows an account from the last good overview with transactionsUnavailable when that page of transactions was never seen', async () => {
    const res = await test.call({ url: `/v1/accounts/${accountId}?limit=3`, as: 'dora' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: accountId, transactions: [], nextCursor: null, transactionsUnavailable: true, stale: true });
  });

  it('holds a long poll on the stale screen the app already has until the wait is over, instead of a 304 at once', async () => {
    const url = `/v1/onboardings/${onboardingId}`;
    const stale = await test.call({ url, as: 'dora' });
    expect(stale.json().stale).toBe(true);
    const started = Date.now();
    const held = await test.call({ url, as: 'dora', headers: { 'if-none-match': String(stale.headers.etag), prefer: 'wait=2' } });
    // A 304 at once would have the app ask again at once, for as long as the outage lasts.
    expect(held.statusCode).toBe(304);
    expect(held.headers['preference-applied']).toBe('wait=2');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_500);
  });

  it('answers a read it has no last good answer for with a fast 503, Retry-After and problem+json', async () => {
    const started = Date.now();
    const res = await test.call({ url: '/v1/home', as: 'newcomer' });
    expect(Date.now() - started).toBeLessThan(3_000);
    expectProblem(res, 503, 'SERVICE_UNAVAILABLE');
    expect(res.headers['retry-after']).toMatch(/^\d+$/);
    expect(res.json().detail).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|onboarding-process/);
  });

  it('refuses a sign-up with 503 and Retry-After: nothing is pretended', async () => {
    const res = await test.call({
      method: 'POST',
      url: '/v1/onboardings',
      payload: signUpForm(),
      headers: { 'idempotency-key': newKey() },
      as: 'late',
    });
    expectProblem(res, 503, 'SERVICE_UNAVAILABLE');
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  });

  it('opens the breaker: calls then fail fast with the time until the breaker tries again, and health and metrics say so', async () => {
    for (let i = 0; i < 5; i++) await test.call({ url: '/v1/home', as: `someone-${i}` });
    const started = Date.now();
    const res = await test.call({ url: '/v1/billing', as: 'nobody' });
    expect(Date.now() - started).toBeLessThan(200);
    expectProblem(res, 503, 'SERVICE_UNAVAILABLE');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(7); // from the 30 s breaker reset, not the 7 s default
    const ready = await test.app.inject({ url: '/health/ready' });
    expect(ready.json()).toEqual({ status: 'degraded', checks: { downstreams: { 'onboarding-process-api': 'open' } } });
    const metrics = await test.app.inject({ url: '/metrics' });
    expect(metrics.body).toMatch(/downstream_circuit_state\{[^}]*downstream="onboarding-process-api"[^}]*\} 2/);
    // Still the stale answer for what Dora has seen.
    expect((await test.call({ url: '/v1/home', as: 'dora' })).json().stale).toBe(true);
  });

  it('never answers 500 while it is down', async () => {
    const urls = ['/v1/home', '/v1/billing', `/v1/onboardings/${onboardingId}`, `/v1/accounts/${accountId}`];
    const statuses = await Promise.all(urls.flatMap((url) => ['dora', 'stranger'].map(async (as) => (await test.call({ url, as })).statusCode)));
    expect(statuses.every((status) => status === 200 || status === 503)).toBe(true);
  });
});

describe('when the Process API comes back', () => {
  let stack: OnboardingStack;
  let test: TestApp;

  beforeAll(async () => {
    stack = await startOnboardingStack();
    test = await buildTestApp({
      processUrl: stack.processUrl,
      env: { PROCESS_BREAKER_VOLUME: '2', PROCESS_BREAKER_RESET_MS: '300', READ_CACHE_MS: '0' },
    });
  });
  afterAll(async () => {
    await test?.close();
    await stack?.close();
  });

  it('serves fresh answers again, without the stale marker', async () => {
    expect((await test.call({ url: '/v1/home', as: 'finn' })).statusCode).toBe(200);
    await stack.stopProcess();
    expect((await test.call({ url: '/v1/home', as: 'finn' })).json().stale).toBe(true);
    await stack.startProcess();
    await new Promise((resolve) => setTimeout(resolve, 400));
    let res = await test.call({ url: '/v1/home', as: 'finn' });
    for (let i = 0; i < 20 && res.headers['x-stale']; i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      res = await test.call({ url: '/v1/home', as: 'finn' });
    }
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-stale']).toBeUndefined();
    expect(res.json()).toEqual({ accounts: [] });
  });
});

describe('when the Process API hangs (accepts connections, never answers)', () => {
  let test: TestApp;
  let server: Server;
  const sockets = new Set<Socket>();

  beforeAll(async () => {
    server = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    test = await buildTestApp({ processUrl: `http://127.0.0.1:${port}`, env: { PROCESS_TIMEOUT_MS: '300', READ_CACHE_MS: '0' } });
  });
  afterAll(async () => {
    await test?.close();
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it('gives up within its time budget (two attempts) and answers 503 with Retry-After', async () => {
    const started = Date.now();
    const res = await test.call({ url: '/v1/home', as: 'patient' });
    const elapsed = Date.now() - started;
    expectProblem(res, 503, 'SERVICE_UNAVAILABLE');
    expect(res.headers['retry-after']).toMatch(/^\d+$/);
    expect(elapsed).toBeGreaterThanOrEqual(300);
    expect(elapsed).toBeLessThan(2_000);
  });

  it('does not retry a sign-up into a hung Process API beyond its budget either', async () => {
    const started = Date.now();
    const res = await test.call({
      method: 'POST',
      url: '/v1/onboardings',
      payload: signUpForm(),
      headers: { 'idempotency-key': newKey() },
      as: 'patient',
    });
    expectProblem(res, 503, 'SERVICE_UNAVAILABLE');
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
