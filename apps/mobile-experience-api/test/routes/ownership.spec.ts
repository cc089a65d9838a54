import { type TestApp, buildTestApp, expectProblem, microDepositForm, pollUntil, settled, startOnboarding } from '../helper';
import { SANDBOX, startOnboardingStack, type OnboardingStack } from '@bartholomew/test-stack';

describe("a customer never reads or acts on another customer's onboarding or accounts", () => {
  let stack: OnboardingStack;
  let test: TestApp;
  let alicesOnboarding: string;
  let alicesAccount: string;

  beforeAll(async () => {
    stack = await startOnboardingStack();
    test = await buildTestApp({ processUrl: stack.processUrl });
    const { id } = await startOnboarding(test, 'alice', microDepositForm());
    alicesOnboarding = id;
    await pollUntil(test, 'alice', id, settled);
    // Bob tries Alice's deposits while they are pending: refused, and her attempts are untouched.
    const tried = await test.call({ method: 'POST', url: `/v1/onboardings/${id}/deposits`, payload: { amounts: SANDBOX.fixedDeposits }, as: 'bob' });
    expectProblem(tried, 404, 'ONBOARDING_NOT_FOUND');
    await test.call({ method: 'POST', url: `/v1/onboardings/${id}/deposits`, payload: { amounts: SANDBOX.fixedDeposits }, as: 'alice' });
    alicesAccount = (await pollUntil(test, 'alice', id, settled)).account?.id as string;
  });
  afterAll(async () => {
    await test?.close();
    await stack?.close();
  });

  it("answers 404 to Bob for Alice's onboarding — the same answer as for one that does not exist", async () => {
    const res = await test.call({ url: `/v1/onboardings/${alicesOnboarding}`, as: 'bob' });
    expectProblem(res, 404, 'ONBOARDING_NOT_FOUND');
    const missing = await test.call({ url: '/v1/onboardings/00000000-0000-4000-8000-000000000000', as: 'bob' });
    expect({ ...missing.json(), instance: undefined, requestId: undefined, detail: undefined }).toEqual({
      ...res.json(),
      instance: undefined,
      requestId: undefined,
      detail: undefined,
    });
  });

  it("answers 404 to Bob for Alice's account, and shows him none of her accounts", async () => {
    expectProblem(await test.call({ url: `/v1/accounts/${alicesAccount}`, as: 'bob' }), 404, 'ACCOUNT_NOT_FOUND');
    expect((await test.call({ url: '/v1/home', as: 'bob' })).json()).toEqual({ accounts: [] });
    expect((await test.call({ url: '/v1/billing', as: 'bob' })).json()).toEqual({ plans: [] });
  });

  it('still shows Alice her own', async () => {
    expect((await test.call({ url: `/v1/accounts/${alicesAccount}`, as: 'alice' })).statusCode).toBe(200);
    expect((await test.call({ url: '/v1/home', as: 'alice' })).json().accounts.map((a: { id: string }) => a.id)).toEqual([alicesAccount]);
  });

  it("never lets Bob's cached answers reach Alice or the other way round while the Process API is down", async () => {
    await test.call({ url: '/v1/home', as: 'alice' });
    await stack.stopProcess();
    try {
      const bob = await test.call({ url: '/v1/home', as: 'bob' });
      expect(JSON.stringify(bob.json())).not.toContain(alicesAccount);
      const bobsTry = await test.call({ url: `/v1/accounts/${alicesAccount}`, as: 'bob' });
      expect([404, 503]).toContain(bobsTry.statusCode);
      expect(bobsTry.body).not.toContain('"balance"');
    } finally {
      await stack.startProcess();
    }
  });
});
