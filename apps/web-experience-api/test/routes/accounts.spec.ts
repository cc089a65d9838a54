import { setTimeout as delay } from 'node:timers/promises';
import { OnboardingRefusalCode, type CustomerOverview } from '@bartholomew/contracts-onboarding-process';
import { WebProblemCode, type Application } from '@bartholomew/contracts-web-experience';
import { RefusingProcess, refusalMismatches, refusalWalk, type RouteCall } from '@bartholomew/experience-kit/testing';
import { SANDBOX, freshAccountNumber, newKey, startOnboardingStack, type OnboardingStack } from '@bartholomew/test-stack';
import { type TestApp, buildTestApp, expectProblem } from '../helper';
import type { OnboardingProcess } from '@bartholomew/experience-kit';
import { seedOnboarding } from '../support/seed';

const accountForm = (accountNumber = freshAccountNumber()) => ({
  product: { productType: 'savings', planCode: 'everyday-savings' },
  fundingAccount: { routingNumber: SANDBOX.instantRouting, accountNumber, accountType: 'savings' },
  openingDeposit: { amountMinor: 7500, currency: 'USD' },
});

/** Another account for a signed-in customer, from the web: only what is new, over the real Process API and System APIs. */
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

  const apply = (as: string, payload: object, key = newKey()) =>
    test.call({ method: 'POST', url: '/v1/accounts', payload, headers: { 'idempotency-key': key }, as });
  const applicationOf = async (as: string, id: string): Promise<Application> => {
    for (let i = 0; i < 300; i++) {
      const application: Application = (await test.call({ url: `/v1/applications/${id}`, as })).json();
      if (!['pending', 'in_progress'].includes(application.status)) return application;
      await delay(100);
    }
    throw new Error(`application ${id} did not settle`);
  };

  it('applies for a savings account with only product, plan and funding, and shows it on the overview next to the first', async () => {
    const first = await seedOnboarding(stack, 'webby');
    expect(first.status).toBe('completed');

    const form = accountForm();
    const key = newKey();
    const res = await apply('webby', form, key);
    expect(res.statusCode).toBe(202);
    const accepted: Application = res.json();
    expect(res.headers.location).toBe(`/v1/applications/${accepted.id}`);
    expect(accepted).toMatchObject({ product: form.product, applicant: { legalName: 'Ada Lovelace' } });
    const replay = await apply('webby', form, key);
    expect(replay.json().id).toBe(accepted.id);
    expectProblem(await apply('webby', accountForm(), key), 422, 'IDEMPOTENCY_KEY_REUSED');

    const done = await applicationOf('webby', accepted.id);
    expect(done).toMatchObject({ status: 'completed', result: { customerId: first.customerId } });
    const overview = (await test.call({ url: '/v1/overview', as: 'webby' })).json();
    expect(JSON.stringify(overview)).toContain(String(done.result?.accountId));
    expect(JSON.stringify(overview)).toContain(String(first.accountId));
  });

  it('answers 404 CUSTOMER_NOT_FOUND to someone who is not a customer yet', async () => {
    expectProblem(await apply('web-newcomer', accountForm()), 404, 'CUSTOMER_NOT_FOUND');
    expect((await test.call({ url: '/v1/applications', as: 'web-newcomer' })).json().items).toEqual([]);
  });

  it('refuses applicant fields and a missing Idempotency-Key (400): only what is new is asked', async () => {
    expectProblem(await apply('webby', { ...accountForm(), applicant: { legalName: 'Someone Else' } }), 400, 'VALIDATION_FAILED');
    expectProblem(await test.call({ method: 'POST', url: '/v1/accounts', payload: accountForm(), as: 'webby' }), 400, 'VALIDATION_FAILED');
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

describe('every refusal of the Process API to open another account, through the web Experience API', () => {
  const process = new RefusingProcess();
  let test: TestApp;
  beforeAll(async () => {
    test = await buildTestApp({ processUrl: 'http://127.0.0.1:9', process: refusingToOpen(process) });
  });
  afterAll(async () => test?.close());

  const route: RouteCall = {
    method: 'POST',
    url: '/v1/accounts',
    payload: accountForm('12345678'),
    headers: { 'idempotency-key': 'walk-key-0123456789' },
  };

  it.each(refusalWalk().map((step) => [step.code, step] as const))('answers the Process API’s %s in its own words', async (_code, step) => {
    const ownCodes = new Set<string>([...Object.values(WebProblemCode), ...Object.values(OnboardingRefusalCode)]);
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
