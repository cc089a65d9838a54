import { ACCOUNT_SYSTEM_API, HttpAccountSystemClient } from '@bartholomew/clients-account-system';
import type { Onboarding, OnboardingStep } from '@bartholomew/contracts-onboarding-process';
import { DownstreamUnavailable } from '@bartholomew/platform/http-client';
import { application, buildTestApp, isFinal, newKey, startOnboarding, waitForOnboarding, type TestApp } from '../helper';
import { PROCESS_SECRET, startSystemApis, type SystemApis } from '../support/system-apis';

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
/** How long the window stays open once the test opens it: long enough that Retry-After (≥ 3 s) is above the client's own 2 s retry ceiling. */
const OPEN_FOR_MS = 5_000;

/**
 * A ten-minute batch window two hours ahead of the real time (UTC), and the clock offset that puts
 * the gateway `openForMs` before the window's end: the window opens at once and closes by itself.
 */
function batchWindowAhead(): { setting: string; offsetToOpenFor(openForMs: number): number } {
  const minuteOfDay = (ms: number) => Math.floor((ms % DAY_MS) / MINUTE_MS);
  const start = (minuteOfDay(Date.now()) + 120) % 1440;
  const end = (start + 10) % 1440;
  const hhmm = (minute: number) => `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
  return {
    setting: `${hhmm(start)}-${hhmm(end)}`,
    offsetToOpenFor: (openForMs) => {
      const now = Date.now();
      let endsAt = now - (now % DAY_MS) + end * MINUTE_MS;
      if (endsAt <= now) endsAt += DAY_MS;
      return endsAt - openForMs - now;
    },
  };
}

const stepOf = (onboarding: Onboarding, name: OnboardingStep['name']) => onboarding.timeline.find((step) => step.name === name);

/**
 * The account System API's client, except that the first `times` postings are answered as the API
 * answers a write whose earlier answer was lost (503 CORE_BANKING_WRITE_IN_DOUBT, Retry-After 60):
 * provoking a lost answer at the real core takes a crash mid-call.
 */
class PostingsInDoubt extends HttpAccountSystemClient {
  constructor(
    baseUrl: string,
    private times: number,
  ) {
    super({ baseUrl, credential: { callerName: 'onboarding-process-api', secret: PROCESS_SECRET } });
  }

  override async postTransaction(...args: Parameters<HttpAccountSystemClient['postTransaction']>) {
    if (this.times-- > 0) {
      const problem = { type: 'about:blank', title: 'Service Unavailable', status: 503, code: 'CORE_BANKING_WRITE_IN_DOUBT' };
      throw new DownstreamUnavailable(ACCOUNT_SYSTEM_API, { reason: 'status', status: 503, breakerState: 'closed', retryAfterMs: 60_000, problem });
    }
    return super.postTransaction(...args);
  }
}

/**
 * Core banking's nightly batch window, as the onboarding meets it: the Process API over the REAL
 * account System API on its mainframe backend and a REAL core-banking gateway, whose clock the test
 * moves into the window mid-onboarding (after the customer and account were opened). Writes are
 * refused 503 CORE_BANKING_BATCH_WINDOW with Retry-After until it closes; that is a wait, not an
 * outage: the onboarding stays in progress, the breaker to the account System API stays closed and
 * reads keep answering, and the step runs again once the window has closed.
 */
describe('an onboarding meeting core banking’s batch window', () => {
  const window = batchWindowAhead();
  let clockOffsetMs = 0;
  let systems: SystemApis;
  let test: TestApp;
  beforeAll(async () => {
    systems = await startSystemApis({ mainframe: { batchWindow: window.setting, now: () => new Date(Date.now() + clockOffsetMs) } });
    test = await buildTestApp(systems);
  });
  afterAll(async () => {
    await test?.close();
    await systems?.close();
  });

  it('waits in progress while the window is open, keeps reads and the breaker healthy, and completes once it closes', async () => {
    // Billing down holds the onboarding at billing setup, after its customer and account were opened.
    await systems.billing.stop();
    const started = await startOnboarding(test, application({ deposit: 2500 }));
    const held = await waitForOnboarding(test, started.id, (onboarding) => (stepOf(onboarding, 'billing_setup')?.attempts ?? 0) >= 1);
    expect(stepOf(held, 'open_account')?.state).toBe('succeeded');
    const customerId = held.customerId as string;
    const accountId = held.accountId as string;

    clockOffsetMs = window.offsetToOpenFor(OPEN_FOR_MS);
    // Five refused writes in a row: as outages they would open the breaker (five in a row do).
    const accountSystem = test.app.downstream.accountSystem;
    for (let write = 0; write < 5; write++) {
      const refusal = await accountSystem
        .postTransaction(
          accountId,
          { direction: 'credit', amount: { amountMinor: 100, currency: 'USD' }, description: 'Deposit' },
          { idempotencyKey: newKey(), requestId: `batch-window-test-${write}` },
        )
        .then(
          () => undefined,
          (error: unknown) => error,
        );
      expect(refusal).toBeInstanceOf(DownstreamUnavailable);
      expect(refusal).toMatchObject({ status: 503, problem: { code: 'CORE_BANKING_BATCH_WINDOW' } });
    }
    expect(accountSystem.breakerState()).toBe('closed');
    // The end user's home screen still reads the customer from core banking (billing left out: it is down).
    const overview = await test.call({ url: `/v1/customers/${customerId}/overview` });
    expect(overview.statusCode).toBe(200);
    expect(overview.json().accounts).toEqual([expect.objectContaining({ accountId })]);

    await systems.billing.start();
    const waiting = await waitForOnboarding(test, started.id, (onboarding) =>
      /batch window/.test(stepOf(onboarding, 'opening_deposit')?.reason ?? ''),
    );
    expect(waiting.status).toBe('in_progress');
    expect(stepOf(waiting, 'opening_deposit')).toMatchObject({ state: 'running', attempts: 1 });
    expect(accountSystem.breakerState()).toBe('closed');

    const done = await waitForOnboarding(test, started.id, isFinal, 15_000);
    expect(done.status).toBe('completed');
    // Refused once in the window, then run once after it closed: not every STEP_RETRY_MAX_MS (500 ms) meanwhile.
    expect(stepOf(done, 'opening_deposit')).toMatchObject({ state: 'succeeded', attempts: 2 });
  });

  it('logs a write in doubt once per attempt, for an operator and without applicant data, and goes on once it answers again', async () => {
    const inDoubt = await buildTestApp(systems, { overrides: { accountSystem: new PostingsInDoubt(systems.account.baseUrl, 2) } });
    try {
      const applying = application({ deposit: 2500, legalName: 'Grace Hopper' });
      const started = await startOnboarding(inDoubt, applying);
      const done = await waitForOnboarding(inDoubt, started.id, isFinal);
      expect(done.status).toBe('completed');
      expect(stepOf(done, 'opening_deposit')).toMatchObject({ state: 'succeeded', attempts: 3 });

      const forOperator = inDoubt.logs.records().filter((record) => record.operatorActionNeeded === true);
      expect(forOperator).toEqual([
        expect.objectContaining({ level: 50, onboardingId: started.id, step: 'opening_deposit', attempt: 1 }),
        expect.objectContaining({ level: 50, onboardingId: started.id, step: 'opening_deposit', attempt: 2 }),
      ]);
      const logged = JSON.stringify(forOperator);
      for (const pii of [applying.applicant.ssn, applying.applicant.ssn.replace(/-/g, ''), 'Grace Hopper', applying.fundingAccount.accountNumber]) {
        expect(logged).not.toContain(pii);
      }
    } finally {
      await inDoubt.close();
    }
  });
});
