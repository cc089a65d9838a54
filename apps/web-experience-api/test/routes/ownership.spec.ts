import { type TestApp, buildTestApp, expectProblem } from '../helper';
import { startOnboardingStack, type OnboardingStack } from '@bartholomew/test-stack';
import { seedOnboarding } from '../support/seed';

describe("a customer never reads another customer's applications or accounts", () => {
  let stack: OnboardingStack;
  let test: TestApp;
  let alicesApplication: string;
  let alicesAccount: string;

  beforeAll(async () => {
    stack = await startOnboardingStack();
    test = await buildTestApp({ processUrl: stack.processUrl });
    const alices = await seedOnboarding(stack, 'alice');
    alicesApplication = alices.id;
    alicesAccount = alices.accountId as string;
    await seedOnboarding(stack, 'bob');
  });
  afterAll(async () => {
    await test?.close();
    await stack?.close();
  });

  it("answers 404 to Bob for Alice's application, as for one that does not exist", async () => {
    expectProblem(await test.call({ url: `/v1/applications/${alicesApplication}`, as: 'bob' }), 404, 'ONBOARDING_NOT_FOUND');
    expectProblem(await test.call({ url: '/v1/applications/00000000-0000-4000-8000-000000000000', as: 'bob' }), 404, 'ONBOARDING_NOT_FOUND');
    const bobs = (await test.call({ url: '/v1/applications', as: 'bob' })).json();
    expect(bobs.items.map((item: { id: string }) => item.id)).not.toContain(alicesApplication);
  });

  it("answers 404 to Bob for Alice's account transactions, and shows him only his own overview", async () => {
    expectProblem(await test.call({ url: `/v1/accounts/${alicesAccount}/transactions`, as: 'bob' }), 404, 'ACCOUNT_NOT_FOUND');
    const overview = await test.call({ url: '/v1/overview', as: 'bob' });
    expect(overview.statusCode).toBe(200);
    expect(overview.body).not.toContain(alicesAccount);
  });

  it('still shows Alice her own', async () => {
    expect((await test.call({ url: `/v1/accounts/${alicesAccount}/transactions`, as: 'alice' })).statusCode).toBe(200);
    expect((await test.call({ url: '/v1/overview', as: 'alice' })).json().accounts[0].accountId).toBe(alicesAccount);
  });
});
