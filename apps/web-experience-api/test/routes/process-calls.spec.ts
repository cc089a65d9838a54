import { HttpOnboardingProcessClient } from '@bartholomew/clients-onboarding-process';
import { recordingProcess } from '@bartholomew/experience-kit/testing';
import { EXPERIENCE_SECRETS, startOnboardingStack, type OnboardingStack } from '@bartholomew/test-stack';
import { type TestApp, buildTestApp, expectProblem } from '../helper';
import { application, seedOnboarding } from '../support/seed';

/**
 * What a web view costs in calls to the Process API, for a user with two customers: their
 * customers (with accounts and billing) come in ONE call, never one overview per customer.
 */
describe('the web views’ calls to the real Process API', () => {
  let stack: OnboardingStack;
  let test: TestApp;
  let recorder: ReturnType<typeof recordingProcess>;
  /** Ada's two accounts, the newer customer's first. */
  let accounts: string[];

  beforeAll(async () => {
    stack = await startOnboardingStack();
    recorder = recordingProcess(
      new HttpOnboardingProcessClient({
        baseUrl: stack.processUrl,
        credential: {
          callerName: 'web-experience-api',
          secret: EXPERIENCE_SECRETS['web-experience-api'],
        },
        timeoutMs: 5_000,
      }),
    );
    test = await buildTestApp({
      processUrl: stack.processUrl,
      process: recorder.process,
      // What each screen costs when nothing is shared (shared-reads.spec.ts in the mobile API shows what sharing saves).
      env: { READ_CACHE_MS: '0' },
    });
    const older = await seedOnboarding(stack, 'ada', application({ deposit: 1000 }));
    const newer = await seedOnboarding(stack, 'ada', application({ deposit: 2000 }));
    expect([older.status, newer.status]).toEqual(['completed', 'completed']);
    accounts = [String(newer.accountId), String(older.accountId)];
  });
  afterAll(async () => {
    await test?.close();
    await stack?.close();
  });
  beforeEach(() => {
    recorder.calls.length = 0;
  });

  it('builds the overview of both customers from one call', async () => {
    const res = await test.call({ url: '/v1/overview', as: 'ada' });
    expect(res.statusCode).toBe(200);
    expect(res.json().accounts.map((account: { accountId: string }) => account.accountId)).toEqual(accounts);
    expect(res.json().billingAccounts).toHaveLength(2);
    expect(recorder.calls).toEqual(['listCustomers']);
  });

  it('finds the customer of any of the user’s accounts without asking per customer, then reads its transactions once', async () => {
    const res = await test.call({
      url: `/v1/accounts/${accounts[1]}/transactions`,
      as: 'ada',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().items.map((item: { amount: { amountMinor: number } }) => item.amount.amountMinor)).toEqual([1000]);
    expect(recorder.calls).toEqual(['listCustomers', 'listAccountTransactions']);
  });

  it('answers 404 for an account that is none of the user’s, without asking the Process API for its transactions', async () => {
    expectProblem(
      await test.call({
        url: `/v1/accounts/${accounts[0]}/transactions`,
        as: 'mallory',
      }),
      404,
      'ACCOUNT_NOT_FOUND',
    );
    expect(recorder.calls).toEqual(['listCustomers']);
  });
});
