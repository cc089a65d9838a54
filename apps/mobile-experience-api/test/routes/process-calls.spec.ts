import { HttpOnboardingProcessClient } from '@bartholomew/clients-onboarding-process';
import { recordingProcess } from '@bartholomew/experience-kit/testing';
import { EXPERIENCE_SECRETS, startOnboardingStack, type OnboardingStack } from '@bartholomew/test-stack';
import { type TestApp, buildTestApp, expectProblem, pollUntil, settled, signUpForm, startOnboarding } from '../helper';

/**
 * What a banking screen costs in calls to the Process API, for a user with two customers: their
 * customers (with accounts and billing) come in ONE call, never one overview per customer.
 */
describe('the banking screens’ calls to the real Process API', () => {
  let stack: OnboardingStack;
  let test: TestApp;
  let recorder: ReturnType<typeof recordingProcess>;
  /** Ada's two accounts, the newer customer's first. */
  let accounts: string[];

  const openAccount = async (deposit: number): Promise<string> => {
    const { id } = await startOnboarding(test, 'ada', signUpForm({ deposit }));
    const welcome = await pollUntil(test, 'ada', id, settled);
    expect(welcome.next).toBe('welcome');
    return String(welcome.account?.id);
  };

  beforeAll(async () => {
    stack = await startOnboardingStack();
    recorder = recordingProcess(
      new HttpOnboardingProcessClient({
        baseUrl: stack.processUrl,
        credential: {
          callerName: 'mobile-experience-api',
          secret: EXPERIENCE_SECRETS['mobile-experience-api'],
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
    const older = await openAccount(1000);
    const newer = await openAccount(2000);
    accounts = [newer, older];
  });
  afterAll(async () => {
    await test?.close();
    await stack?.close();
  });
  beforeEach(() => {
    recorder.calls.length = 0;
  });

  it('shows the home screen with both customers’ accounts from one call', async () => {
    const res = await test.call({ url: '/v1/home', as: 'ada' });
    expect(res.statusCode).toBe(200);
    expect(res.json().accounts.map((account: { id: string; balance: number }) => [account.id, account.balance])).toEqual([
      [accounts[0], 2000],
      [accounts[1], 1000],
    ]);
    expect(recorder.calls).toEqual(['listCustomers']);
  });

  it('shows billing for both accounts from one call', async () => {
    const res = await test.call({ url: '/v1/billing', as: 'ada' });
    expect(res.json().plans.map((plan: { accountId: string }) => plan.accountId)).toEqual(accounts);
    expect(recorder.calls).toEqual(['listCustomers']);
  });

  it('shows an account of the older customer with its transactions: one call for the customers, one for the transactions', async () => {
    const res = await test.call({
      url: `/v1/accounts/${accounts[1]}`,
      as: 'ada',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().transactions.map((line: { amount: number }) => line.amount)).toEqual([1000]);
    expect(recorder.calls).toEqual(['listCustomers', 'listAccountTransactions']);
  });

  it('answers 404 for someone else’s account without asking for its transactions', async () => {
    expectProblem(await test.call({ url: `/v1/accounts/${accounts[0]}`, as: 'mallory' }), 404, 'ACCOUNT_NOT_FOUND');
    expect(recorder.calls).toEqual(['listCustomers']);
  });
});
