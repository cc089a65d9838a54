import type { AccountApplicationForm } from '@bartholomew/contracts-web-experience';
import { SANDBOX, freshAccountNumber, newKey, startOnboardingStack, type OnboardingStack } from '@bartholomew/test-stack';
import { type TestApp, buildTestApp, expectProblem } from '../helper';
import { seedOnboarding } from '../support/seed';

/** An account application as web banking sends it (its fields are the Process API's own, at the same pointers). */
function accountForm(change: { planCode?: string; routingNumber?: string; deposit?: number } = {}): AccountApplicationForm {
  return {
    product: { productType: 'savings', planCode: change.planCode ?? 'everyday-savings' },
    fundingAccount: { routingNumber: change.routingNumber ?? SANDBOX.instantRouting, accountNumber: freshAccountNumber(), accountType: 'savings' },
    openingDeposit: { amountMinor: change.deposit ?? 7500, currency: 'USD' },
  };
}

/**
 * The Process API's rules that need no vendor, seen from web banking: an account application that
 * breaks them is answered 422 at once, each error pointing at the field of the web form — never a
 * 202 followed by a refusal after KYC and account opening.
 */
describe('account application fields refused on arrival, over the real Process API', () => {
  let stack: OnboardingStack;
  let test: TestApp;

  beforeAll(async () => {
    stack = await startOnboardingStack();
    test = await buildTestApp({ processUrl: stack.processUrl });
    // Another account is for customers: Wendy's first onboarding makes her one.
    expect((await seedOnboarding(stack, 'wendy')).status).toBe('completed');
  });
  afterAll(async () => {
    await test?.close();
    await stack?.close();
  });

  const apply = (payload: AccountApplicationForm) =>
    test.call({ method: 'POST', url: '/v1/accounts', payload, headers: { 'idempotency-key': newKey() }, as: 'wendy' });

  it.each<[string, AccountApplicationForm, string, string]>([
    ['a plan the bank does not offer', accountForm({ planCode: 'platinum-legacy' }), '/product/planCode', 'UNKNOWN_PLAN'],
    ['a checking plan for a savings account', accountForm({ planCode: 'basic-checking' }), '/product/planCode', 'PLAN_NOT_FOR_PRODUCT'],
    [
      'a routing number with a wrong check digit',
      accountForm({ routingNumber: '011000016' }),
      '/fundingAccount/routingNumber',
      'ROUTING_NUMBER_CHECK_DIGIT',
    ],
    ['the all-zero routing number', accountForm({ routingNumber: '000000000' }), '/fundingAccount/routingNumber', 'ROUTING_NUMBER_UNASSIGNED_PREFIX'],
    ['an opening deposit over the limit', accountForm({ deposit: 2_500_001 }), '/openingDeposit/amountMinor', 'DEPOSIT_OUT_OF_RANGE'],
  ])('answers %s with 422 pointing at the web form field', async (_label, form, pointer, code) => {
    const res = await apply(form);
    expectProblem(res, 422, 'APPLICATION_FIELDS_INVALID');
    expect(res.json()).toMatchObject({ status: 422, errors: [{ pointer, code, detail: expect.any(String) }] });
    expect(res.json().errors).toHaveLength(1);
  });

  it('names every broken field at once and never echoes the routing or account number', async () => {
    const form = accountForm({ planCode: 'premium-checking', routingNumber: '011000016', deposit: 2_500_001 });
    const res = await apply(form);
    expectProblem(res, 422, 'APPLICATION_FIELDS_INVALID');
    expect(
      res
        .json()
        .errors.map((error: { pointer: string }) => error.pointer)
        .sort(),
    ).toEqual(['/fundingAccount/routingNumber', '/openingDeposit/amountMinor', '/product/planCode']);
    expect(res.body).not.toContain('011000016');
    expect(res.body).not.toContain(form.fundingAccount.accountNumber);
  });

  it('opens nothing for a refused application, and still accepts a valid one', async () => {
    const before = (await test.call({ url: '/v1/applications', as: 'wendy' })).json().items.length;
    await apply(accountForm({ routingNumber: '011000016' }));
    expect((await test.call({ url: '/v1/applications', as: 'wendy' })).json().items).toHaveLength(before);
    expect((await apply(accountForm())).statusCode).toBe(202);
  });
});
