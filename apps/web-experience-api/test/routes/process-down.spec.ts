import { type TestApp, buildTestApp, expectProblem } from '../helper';
import { startOnboardingStack, type OnboardingStack } from '@bartholomew/test-stack';
import { seedOnboarding } from '../support/seed';

/** The Process API stopped for real: last good answers marked stale, else a fast 503 with Retry-After. */
describe('when the Process API is down', () => {
  let stack: OnboardingStack;
  let test: TestApp;
  let applicationId: string;
  let accountId: string;

  beforeAll(async () => {
    stack = await startOnboardingStack();
    test = await buildTestApp({
      processUrl: stack.processUrl,
      // Degraded mode right after a good read: no reads shared for a moment, or that read would still be fresh.
      env: { PROCESS_BREAKER_VOLUME: '3', PROCESS_BREAKER_RESET_MS: '30000', UNAVAILABLE_RETRY_AFTER_S: '7', READ_CACHE_MS: '0' },
    });
    const seeded = await seedOnboarding(stack, 'dora');
    applicationId = seeded.id;
    accountId = seeded.accountId as string;
    for (const url of ['/v1/overview', '/v1/applications', `/v1/applications/${applicationId}`, `/v1/accounts/${accountId}/transactions`]) {
      expect((await test.call({ url, as: 'dora' })).statusCode).toBe(200);
    }
    await stack.stopProcess();
  });
  afterAll(async () => {
    await test?.close();
    await stack?.close();
  });

  it('serves the last good views, marked stale in headers and body', async () => {
    for (const url of ['/v1/overview', '/v1/applications', `/v1/applications/${applicationId}`, `/v1/accounts/${accountId}/transactions`]) {
      const res = await test.call({ url, as: 'dora' });
      expect([url, res.statusCode, res.headers['x-stale'], res.json().stale]).toEqual([url, 200, 'true', true]);
      expect(res.headers.warning).toBe('110 - "Response is Stale"');
    }
  });

  it('answers what it has never served with a fast 503, Retry-After and problem+json', async () => {
    const started = Date.now();
    const res = await test.call({ url: '/v1/overview', as: 'stranger' });
    expect(Date.now() - started).toBeLessThan(3_000);
    expectProblem(res, 503, 'SERVICE_UNAVAILABLE');
    expect(res.headers['retry-after']).toMatch(/^\d+$/);
  });

  it('opens the breaker and shows it in /health/ready; never a 500', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await test.call({ url: '/v1/applications', as: `visitor-${i}` })).statusCode);
    expect(statuses.every((status) => status === 503)).toBe(true);
    const ready = (await test.app.inject({ url: '/health/ready' })).json();
    expect(ready).toEqual({ status: 'degraded', checks: { downstreams: { 'onboarding-process-api': 'open' } } });
  });
});
