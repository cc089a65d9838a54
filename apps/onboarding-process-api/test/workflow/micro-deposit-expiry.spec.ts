import {
  application,
  buildTestApp,
  expectProblem,
  isFinal,
  MICRO_DEPOSIT_ROUTING,
  startOnboarding,
  waitForOnboarding,
  type TestApp,
} from '../helper';

/** Micro-deposits left unconfirmed: the workflow wakes at the expiry and rejects the onboarding. */
describe('micro-deposit expiry', () => {
  let test: TestApp;
  beforeAll(async () => {
    // No System APIs: an application that never gets past ACH verification needs none.
    test = await buildTestApp(undefined, { env: { MICRO_DEPOSIT_EXPIRY_MS: '1500' } });
  });
  afterAll(() => test.close());

  it('rejects the onboarding when the applicant does not confirm in time, and refuses a late confirmation', async () => {
    const started = await startOnboarding(test, application({ routingNumber: MICRO_DEPOSIT_ROUTING, accountNumber: '40003333245' }));
    const waiting = await waitForOnboarding(test, started.id, (o) => o.status === 'awaiting_customer');
    expect(Date.parse(waiting.pendingAction?.expiresAt ?? '') - Date.now()).toBeLessThanOrEqual(1500);

    const expired = await waitForOnboarding(test, started.id, isFinal, 10_000);
    expect(expired).toMatchObject({ status: 'rejected', reason: { code: 'MICRO_DEPOSITS_EXPIRED' } });
    expect(expired.timeline.find((step) => step.name === 'ach_verification')).toMatchObject({ state: 'failed', outcome: 'expired' });
    expect(expired.pendingAction).toBeUndefined();

    const late = await test.call({ method: 'POST', url: `/v1/onboardings/${started.id}/ach-confirmation`, payload: { amountsMinor: [32, 45] } });
    expectProblem(late, 409, 'NO_MICRO_DEPOSITS_PENDING');
  });
});
