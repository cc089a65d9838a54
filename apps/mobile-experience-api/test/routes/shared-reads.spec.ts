import { HttpOnboardingProcessClient } from '@bartholomew/clients-onboarding-process';
import { recordingProcess } from '@bartholomew/experience-kit/testing';
import { EXPERIENCE_SECRETS, startOnboardingStack, type OnboardingStack } from '@bartholomew/test-stack';
import { setTimeout as delay } from 'node:timers/promises';
import { type TestApp, buildTestApp, pollUntil, settled, startOnboarding } from '../helper';

/**
 * A customer's identical reads share one call to the real Process API, and its answer for
 * READ_CACHE_MS; never another customer's; their own write clears it at once.
 */
describe('reads shared for a moment (READ_CACHE_MS)', () => {
  const FRESH_FOR_MS = 600;
  let stack: OnboardingStack;
  let test: TestApp;
  let recorder: ReturnType<typeof recordingProcess>;

  beforeAll(async () => {
    stack = await startOnboardingStack();
    recorder = recordingProcess(
      new HttpOnboardingProcessClient({
        baseUrl: stack.processUrl,
        credential: { callerName: 'mobile-experience-api', secret: EXPERIENCE_SECRETS['mobile-experience-api'] },
        timeoutMs: 5_000,
      }),
    );
    test = await buildTestApp({ processUrl: stack.processUrl, process: recorder.process, env: { READ_CACHE_MS: String(FRESH_FOR_MS) } });
    const { id } = await startOnboarding(test, 'grace');
    await pollUntil(test, 'grace', id, settled);
    await delay(FRESH_FOR_MS + 50); // nothing kept from the set-up
  });
  afterAll(async () => {
    await test?.close();
    await stack?.close();
  });
  beforeEach(() => {
    recorder.calls.length = 0;
  });

  const home = (as: string) => test.call({ url: '/v1/home', as });

  it('answers ten identical home screens at once with one call, then reuses that answer', async () => {
    const answers = await Promise.all(Array.from({ length: 10 }, () => home('grace')));
    expect(answers.map((res) => res.statusCode)).toEqual(Array(10).fill(200));
    expect(new Set(answers.map((res) => res.body)).size).toBe(1);
    expect(answers[0].json().accounts).toHaveLength(1);
    expect(recorder.calls).toEqual(['listCustomers']);
    expect((await home('grace')).statusCode).toBe(200);
    expect(recorder.calls).toEqual(['listCustomers']);
  });

  it('asks again once the answer is older than READ_CACHE_MS', async () => {
    await home('grace');
    await delay(FRESH_FOR_MS + 50);
    recorder.calls.length = 0;
    expect((await home('grace')).statusCode).toBe(200);
    expect(recorder.calls).toEqual(['listCustomers']);
  });

  it("never serves one customer's answer to another", async () => {
    const graces = await home('grace');
    const hopper = await home('hopper');
    expect(graces.json().accounts).toHaveLength(1);
    expect(hopper.json()).toEqual({ accounts: [] });
    expect(recorder.calls.filter((call) => call === 'listCustomers').length).toBeGreaterThanOrEqual(1);
    expect(recorder.calls).toContain('listOnboardings'); // hopper's own, not grace's answer
  });

  it("shows the customer's own write on their next read, at once", async () => {
    expect((await home('ida')).json()).toEqual({ accounts: [] }); // kept for READ_CACHE_MS …
    const started = await startOnboarding(test, 'ida');
    const after = (await home('ida')).json(); // … but ida's own write cleared it
    expect(after.onboarding?.id).toBe(started.id);
  });
});
