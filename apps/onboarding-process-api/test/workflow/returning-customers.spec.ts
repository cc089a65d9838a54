import type { Onboarding, StartOnboardingRequest } from '@bartholomew/contracts-onboarding-process';
import {
  application,
  buildTestApp,
  expectProblem,
  freshSsn,
  isFinal,
  newKey,
  startOnboarding,
  waitForOnboarding,
  withdrawPlanFromBilling,
  type TestApp,
} from '../helper';
import { startSystemApis, type SystemApis } from '../support/system-apis';

/**
 * Nobody is locked out: a person the bank already knows by SSN — after a failed application, as
 * an existing customer wanting another product, or applying twice at once — gets a new account
 * for their one customer record. A different identity behind the same SSN waits for an operator.
 * The Process API (worker on) against the REAL account and billing System APIs over HTTP.
 */
describe('returning customers', () => {
  let systems: SystemApis;
  let test: TestApp;
  beforeAll(async () => {
    systems = await startSystemApis();
    test = await buildTestApp(systems);
  });
  afterAll(async () => {
    await test?.close();
    await systems?.close();
  });

  const customersNamed = async (legalName: string) =>
    Number((await systems.account.query<{ count: string }>('SELECT count(*) FROM customers WHERE legal_name = $1', [legalName]))[0].count);
  const accountsOf = (customerId: string) =>
    systems.account.query<{ id: string; product_type: string; status: string }>(
      'SELECT id, product_type, status FROM accounts WHERE customer_id = $1 ORDER BY opened_at',
      [customerId],
    );
  const step = (onboarding: Onboarding, name: string) => onboarding.timeline.find((entry) => entry.name === name);
  const person = (legalName: string, ssn = freshSsn()) => ({
    apply: (overrides: Parameters<typeof application>[0] = {}): StartOnboardingRequest => application({ legalName, ssn, ...overrides }),
  });
  const review = (id: string, decision: 'approve' | 'reject', reason: string) =>
    test.call({ method: 'POST', url: `/v1/onboardings/${id}/review`, payload: { decision, reason }, as: 'operator', endUser: null });

  it('completes a new application of a person whose earlier one failed and was compensated, for the same customer', async () => {
    const grace = person('Grace Retry');
    const failed = await waitForOnboarding(
      test,
      (await startOnboarding(test, grace.apply({ planCode: await withdrawPlanFromBilling(systems) }), 'user-grace')).id,
      isFinal,
    );
    expect(failed).toMatchObject({ status: 'failed', reason: { code: 'BILLING_SETUP_REFUSED' } });
    expect(failed.customerId).toBeDefined();

    const retried = await waitForOnboarding(test, (await startOnboarding(test, grace.apply(), 'user-grace')).id, isFinal);
    expect(retried.status).toBe('completed');
    expect(retried.customerId).toBe(failed.customerId);
    expect(step(retried, 'open_account')).toMatchObject({ state: 'succeeded', outcome: 'account_opened_for_existing_customer' });
    expect(await customersNamed('Grace Retry')).toBe(1);
    expect((await accountsOf(String(failed.customerId))).map((account) => [account.id, account.status])).toEqual([
      [failed.accountId, 'closed'],
      [retried.accountId, 'active'],
    ]);
  });

  it('opens a second product for an existing customer who applies again with the whole form', async () => {
    const kate = person('Kate Saver');
    const first = await waitForOnboarding(test, (await startOnboarding(test, kate.apply(), 'user-kate')).id, isFinal);
    const savings = kate.apply({ planCode: 'everyday-savings' });
    savings.product.productType = 'savings';
    const second = await waitForOnboarding(test, (await startOnboarding(test, savings, 'user-kate')).id, isFinal);
    expect([first.status, second.status]).toEqual(['completed', 'completed']);
    expect(second.customerId).toBe(first.customerId);
    expect((await accountsOf(String(first.customerId))).map((account) => account.product_type)).toEqual(['checking', 'savings']);
    expect(await customersNamed('Kate Saver')).toBe(1);

    // Both accounts show on the one customer's overview.
    const overview = await test.call({ url: `/v1/customers/${first.customerId}/overview`, endUser: 'user-kate' });
    expect(overview.json().accounts.map((account: { accountId: string }) => account.accountId)).toEqual([first.accountId, second.accountId]);
  });

  describe('POST /v1/customers/{customerId}/onboardings', () => {
    const openAnother = (customerId: string, body: object, key: string, endUser = 'user-nina') =>
      test.call({ method: 'POST', url: `/v1/customers/${customerId}/onboardings`, payload: body, headers: { 'idempotency-key': key }, endUser });
    const savings = (accountNumber = '99887766') => ({
      product: { productType: 'savings', planCode: 'everyday-savings' },
      fundingAccount: { routingNumber: '011000015', accountNumber, accountType: 'savings' },
      openingDeposit: { amountMinor: 10_000, currency: 'USD' },
    });

    it('opens another account for the end user’s customer from only the product, plan and funding', async () => {
      const first = await waitForOnboarding(test, (await startOnboarding(test, person('Nina Second').apply(), 'user-nina')).id, isFinal);
      expect(first.status).toBe('completed');

      const res = await openAnother(String(first.customerId), savings(), newKey());
      expect(res.statusCode).toBe(202);
      const started: Onboarding = res.json();
      expect(res.headers.location).toBe(`/v1/onboardings/${started.id}`);
      expect(started).toMatchObject({ owner: 'user-nina', applicant: first.applicant, customerId: first.customerId, status: 'pending' });

      const done = await waitForOnboarding(test, started.id, isFinal);
      expect(done.status).toBe('completed');
      expect(done.customerId).toBe(first.customerId);
      // Still checked like any application: KYC ran again.
      expect(step(done, 'kyc')).toMatchObject({ state: 'succeeded', outcome: 'approved' });
      expect((await accountsOf(String(first.customerId))).map((account) => [account.id, account.product_type])).toEqual([
        [first.accountId, 'checking'],
        [done.accountId, 'savings'],
      ]);
      expect(await customersNamed('Nina Second')).toBe(1);
    });

    it('answers the same key and body with the first answer, and refuses the key with another body (422)', async () => {
      const first = await waitForOnboarding(test, (await startOnboarding(test, person('Nina Replay').apply(), 'user-nina')).id, isFinal);
      const key = newKey();
      const once = await openAnother(String(first.customerId), savings(), key);
      const again = await openAnother(String(first.customerId), savings(), key);
      expect([once.statusCode, again.statusCode]).toEqual([202, 202]);
      expect(again.json().id).toBe(once.json().id);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expectProblem(await openAnother(String(first.customerId), savings('11223344'), key), 422, 'IDEMPOTENCY_KEY_REUSED');
      await waitForOnboarding(test, once.json().id, isFinal);
      expect(await accountsOf(String(first.customerId))).toHaveLength(2);
    });

    it('answers 404 for a customer that is not the end user’s, as for one that does not exist, and starts nothing', async () => {
      const first = await waitForOnboarding(test, (await startOnboarding(test, person('Nina Private').apply(), 'user-nina')).id, isFinal);
      expectProblem(await openAnother(String(first.customerId), savings(), newKey(), 'user-mallory'), 404, 'CUSTOMER_NOT_FOUND');
      expectProblem(await openAnother('00000000-0000-4000-8000-000000000000', savings(), newKey()), 404, 'CUSTOMER_NOT_FOUND');
      const mallorys = await test.call({ url: '/v1/onboardings?owner=user-mallory', endUser: 'user-mallory' });
      expect(mallorys.json().items).toEqual([]);
      expect(await accountsOf(String(first.customerId))).toHaveLength(1);
    });

    it('needs an Idempotency-Key, the end user and a body of only product, funding and deposit (400)', async () => {
      const first = await waitForOnboarding(test, (await startOnboarding(test, person('Nina Strict').apply(), 'user-nina')).id, isFinal);
      const url = `/v1/customers/${first.customerId}/onboardings`;
      expectProblem(await test.call({ method: 'POST', url, payload: savings(), endUser: 'user-nina' }), 400, 'VALIDATION_FAILED');
      expectProblem(
        await test.call({ method: 'POST', url, payload: savings(), headers: { 'idempotency-key': newKey() }, as: 'operator', endUser: null }),
        400,
        'END_USER_REQUIRED',
      );
      expectProblem(
        await openAnother(String(first.customerId), { ...savings(), applicant: { legalName: 'Someone Else' } }, newKey()),
        400,
        'VALIDATION_FAILED',
      );
    });
  });

  it('makes one customer of two applications of one person sent at once, and opens both accounts', async () => {
    const twin = person('Concurrent Applicant');
    const started = await Promise.all([startOnboarding(test, twin.apply(), 'user-twin'), startOnboarding(test, twin.apply(), 'user-twin')]);
    const done = await Promise.all(started.map((onboarding) => waitForOnboarding(test, onboarding.id, isFinal)));
    expect(done.map((onboarding) => onboarding.status)).toEqual(['completed', 'completed']);
    expect(done[0].customerId).toBe(done[1].customerId);
    expect(await customersNamed('Concurrent Applicant')).toBe(1);
    // One created the customer; the other was refused as a duplicate by the account System API and found it.
    expect(done.map((onboarding) => step(onboarding, 'open_account')?.outcome).sort()).toEqual([
      'account_opened',
      'account_opened_for_existing_customer',
    ]);
    expect(new Set((await accountsOf(String(done[0].customerId))).map((account) => account.id))).toEqual(new Set(done.map((o) => o.accountId)));
  });

  it('holds an application for review when its SSN belongs to a customer with another name, and opens nothing until approved', async () => {
    const ssn = freshSsn();
    const owner = await waitForOnboarding(test, (await startOnboarding(test, person('Original Holder', ssn).apply(), 'user-mismatch')).id, isFinal);
    expect(owner.status).toBe('completed');

    const other = await startOnboarding(test, person('Different Name', ssn).apply(), 'user-mismatch');
    const held = await waitForOnboarding(test, other.id, (o) => o.status === 'in_review');
    expect(step(held, 'open_account')).toMatchObject({ state: 'waiting', outcome: 'customer_match_review' });
    // The applicant sees that a person looks at it, not whose SSN it is or what differs.
    expect(JSON.stringify(held)).not.toMatch(/Original Holder|name differs|date of birth/i);
    expect(held.customerId).toBeUndefined();
    expect(held.accountId).toBeUndefined();
    expect(await accountsOf(String(owner.customerId))).toHaveLength(1);
    expect(await customersNamed('Different Name')).toBe(0);

    const approved = await review(other.id, 'approve', 'Married name; documents checked by hand');
    expect(approved.statusCode).toBe(200);
    const done = await waitForOnboarding(test, other.id, isFinal);
    expect(done.status).toBe('completed');
    expect(done.customerId).toBe(owner.customerId);
    expect(await accountsOf(String(owner.customerId))).toHaveLength(2);
  });

  it('rejects an application whose customer match the operator rejects, leaving the customer untouched', async () => {
    const ssn = freshSsn();
    const owner = await waitForOnboarding(test, (await startOnboarding(test, person('True Holder', ssn).apply(), 'user-victim')).id, isFinal);
    const impostor = await startOnboarding(
      test,
      { ...person('True Holder', ssn).apply(), applicant: { ...person('True Holder', ssn).apply().applicant, dateOfBirth: '1985-01-01' } },
      'user-impostor',
    );
    await waitForOnboarding(test, impostor.id, (o) => o.status === 'in_review');

    const rejected = await review(impostor.id, 'reject', 'Identity not confirmed');
    expect(rejected.statusCode).toBe(200);
    expect(rejected.json()).toMatchObject({ status: 'rejected', reason: { code: 'IDENTITY_REJECTED_ON_REVIEW', message: 'Identity not confirmed' } });
    expect(rejected.json().customerId).toBeUndefined();
    expect(await accountsOf(String(owner.customerId))).toHaveLength(1);
    // The impostor never came to own the customer's data.
    expectProblem(await test.call({ url: `/v1/customers/${owner.customerId}/overview`, endUser: 'user-impostor' }), 404, 'CUSTOMER_NOT_FOUND');
    expectProblem(await review(impostor.id, 'approve', 'late'), 409, 'ONBOARDING_NOT_IN_REVIEW');
  });

  it('holds for review the same person applying under another sign-in, and links them only once approved', async () => {
    const ssn = freshSsn();
    const first = await waitForOnboarding(test, (await startOnboarding(test, person('Two Logins', ssn).apply(), 'user-login-one')).id, isFinal);
    const second = await startOnboarding(test, person('Two Logins', ssn).apply(), 'user-login-two');
    await waitForOnboarding(test, second.id, (o) => o.status === 'in_review');
    expectProblem(await test.call({ url: `/v1/customers/${first.customerId}/overview`, endUser: 'user-login-two' }), 404, 'CUSTOMER_NOT_FOUND');

    expect((await review(second.id, 'approve', 'Same person; second sign-in confirmed by phone')).statusCode).toBe(200);
    const done = await waitForOnboarding(test, second.id, isFinal);
    expect(done).toMatchObject({ status: 'completed', customerId: first.customerId });
    expect((await test.call({ url: `/v1/customers/${first.customerId}/overview`, endUser: 'user-login-two' })).statusCode).toBe(200);
  });
});
