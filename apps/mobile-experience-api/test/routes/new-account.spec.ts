import { OnboardingRefusalCode, type CustomerOverview } from '@bartholomew/contracts-onboarding-process';
import { MobileProblemCode } from '@bartholomew/contracts-mobile-experience';
import { RefusingProcess, refusalMismatches, refusalWalk, type RouteCall } from '@bartholomew/experience-kit/testing';
import { SANDBOX, freshAccountNumber, newKey, startOnboardingStack, type OnboardingStack } from '@bartholomew/test-stack';
import { type TestApp, buildTestApp, expectProblem, pollUntil, settled, startOnboarding } from '../helper';
import type { OnboardingProcess } from '@bartholomew/experience-kit';

const newAccountForm = (accountNumber = freshAccountNumber()) => ({
  account: 'savings',
  plan: 'everyday-savings',
  bank: { routingNumber: SANDBOX.instantRouting, accountNumber, type: 'savings' },
  initialDepositCents: 5000,
});

/** Another account for a signed-in customer: only what is new, over the real Process API and System APIs. */
describe('POST /v1/accounts over the real Process API', () => {
  let stack: OnboardingStack;
  let test: TestApp;
  beforeAll(async () => {
    stack = await startOnboardingStack();
    test = await buildTestApp({ processUrl: stack.processUrl });
  });
  afterAll(async () => {
    await test?.close();
    await stack?.close();
  });

  const openAccount = (as: string, payload: object, key = newKey()) =>
    test.call({ method: 'POST', url: '/v1/accounts', payload, headers: { 'idempotency-key': key }, as });

  it('opens a savings account for a customer from only the account, plan and bank, and shows both on the home screen', async () => {
    const first = await pollUntil(test, 'nora', (await startOnboarding(test, 'nora')).id, settled);
    expect(first.next).toBe('welcome');

    const key = newKey();
    const form = newAccountForm();
    const res = await openAccount('nora', form, key);
    expect(res.statusCode).toBe(202);
    const accepted = res.json();
    expect(res.headers.location).toBe(`/v1/onboardings/${accepted.id}`);
    expect(accepted).toMatchObject({ next: 'processing' });
    // The same submission again never opens a second account.
    const replay = await openAccount('nora', form, key);
    expect(replay.json().id).toBe(accepted.id);

    const welcome = await pollUntil(test, 'nora', accepted.id, settled);
    expect(welcome).toMatchObject({ next: 'welcome', account: { id: expect.any(String) } });
    const home = (await test.call({ url: '/v1/home', as: 'nora' })).json();
    expect(home.accounts.map((account: { id: string; name: string }) => [account.id, account.name])).toEqual(
      expect.arrayContaining([
        [first.account?.id, 'Checking'],
        [welcome.account?.id, 'Savings'],
      ]),
    );
    expect(home.accounts).toHaveLength(2);
  });

  it('answers 404 CUSTOMER_NOT_FOUND to someone who is not a customer yet, and opens nothing', async () => {
    expectProblem(await openAccount('newcomer', newAccountForm()), 404, 'CUSTOMER_NOT_FOUND');
    expect((await test.call({ url: '/v1/home', as: 'newcomer' })).json()).toEqual({ accounts: [] });
  });

  it('refuses a form with anything but the account, plan, bank and deposit (400), and without an Idempotency-Key', async () => {
    expectProblem(await openAccount('nora', { ...newAccountForm(), ssn: '234-56-7890' }), 400, 'VALIDATION_FAILED');
    expectProblem(await test.call({ method: 'POST', url: '/v1/accounts', payload: newAccountForm(), as: 'nora' }), 400, 'VALIDATION_FAILED');
  });
});

/** The refusing port, except that it knows one customer of the user: so the route reaches the call that opens the account. */
function refusingToOpen(refusing: RefusingProcess): OnboardingProcess {
  const overview = { customer: { customerId: '0b7e4f3a-2c1d-4e5f-8a9b-1c2d3e4f5a6b' }, accounts: [], billingAccounts: [], unavailable: [] };
  const listCustomers = () => Promise.resolve({ items: [overview as unknown as CustomerOverview], nextCursor: null });
  return new Proxy(refusing, {
    get: (target, property, receiver) => (property === 'listCustomers' ? listCustomers : Reflect.get(target, property, receiver)),
  });
}

describe('every refusal of the Process API to open another account, through the mobile Experience API', () => {
  const process = new RefusingProcess();
  let test: TestApp;
  beforeAll(async () => {
    test = await buildTestApp({ processUrl: 'http://127.0.0.1:9', process: refusingToOpen(process) });
  });
  afterAll(async () => test?.close());

  const route: RouteCall = {
    method: 'POST',
    url: '/v1/accounts',
    payload: newAccountForm('12345678'),
    headers: { 'idempotency-key': 'walk-key-0123456789' },
  };

  it.each(refusalWalk().map((step) => [step.code, step] as const))('answers the Process API’s %s in its own words', async (_code, step) => {
    const ownCodes = new Set<string>([...Object.values(MobileProblemCode), ...Object.values(OnboardingRefusalCode)]);
    const mismatches = await refusalMismatches({
      step,
      process,
      routes: [route],
      send: (call) => test.call({ ...call, as: 'walker' }),
      ownCodes,
      logs: test.logs,
    });
    expect(mismatches).toEqual([]);
    expect(process.refused).toEqual(['openAdditionalAccount']);
  });
});
