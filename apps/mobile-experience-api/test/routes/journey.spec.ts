import { request } from 'undici';
import { type TestApp, buildTestApp, expectProblem, microDepositForm, pollUntil, settled, signUpForm, startOnboarding } from '../helper';
import { SANDBOX, newKey, startOnboardingStack, type OnboardingStack } from '@bartholomew/test-stack';

/**
 * The phone app's journeys end to end: this API in-process, the real Process API and both System
 * APIs over HTTP, each on its own database.
 */
describe('mobile journeys over the real Process API', () => {
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

  it('onboards a customer with instant ACH and shows their home screen, account and billing', async () => {
    const res = await test.call({
      method: 'POST',
      url: '/v1/onboardings',
      payload: signUpForm({ deposit: 2500 }),
      headers: { 'idempotency-key': newKey() },
      as: 'ada',
    });
    expect(res.statusCode).toBe(202);
    const accepted = res.json();
    expect(res.headers.location).toBe(`/v1/onboardings/${accepted.id}`);
    expect(accepted).toEqual({ id: accepted.id, next: 'processing', pollAfterSeconds: 2 });

    const welcome = await pollUntil(test, 'ada', accepted.id, settled);
    expect(welcome).toEqual({ id: accepted.id, next: 'welcome', account: { id: expect.any(String), number: expect.stringMatching(/^•••\d{4}$/) } });

    const home = await test.call({ url: '/v1/home', as: 'ada' });
    expect(home.statusCode).toBe(200);
    expect(home.json()).toEqual({
      firstName: 'Ada',
      accounts: [{ id: welcome.account?.id, name: 'Checking', number: welcome.account?.number, balance: 2500, available: 2500, currency: 'USD' }],
    });

    const account = await test.call({ url: `/v1/accounts/${welcome.account?.id}`, as: 'ada' });
    expect(account.json()).toEqual({
      id: welcome.account?.id,
      name: 'Checking',
      number: welcome.account?.number,
      status: 'active',
      balance: 2500,
      available: 2500,
      currency: 'USD',
      transactions: [{ id: expect.any(String), amount: 2500, label: expect.any(String), postedAt: expect.any(String) }],
      nextCursor: null,
    });

    const billing = await test.call({ url: '/v1/billing', as: 'ada' });
    expect(billing.json()).toEqual({
      plans: [
        {
          accountId: welcome.account?.id,
          plan: 'Premium Checking',
          monthlyFee: 1500,
          currency: 'USD',
          payFrom: { number: expect.stringMatching(/^•••\d{4}$/), type: 'checking', verified: true },
        },
      ],
    });
  });

  it('follows a sign-up with long polls: each answer held until the screen changes, 304 when the wait is over', async () => {
    const { id } = await startOnboarding(test, 'lena');
    const first = await test.call({ url: `/v1/onboardings/${id}`, as: 'lena' });
    let etag = String(first.headers.etag);
    let screen = first.json();
    const asked: number[] = [];
    while (screen.next === 'processing' && asked.length < 20) {
      // More than the request timeout (10 s by default) allows: the wait granted says so.
      const res = await test.call({ url: `/v1/onboardings/${id}`, headers: { 'if-none-match': etag, prefer: 'wait=600' }, as: 'lena' });
      asked.push(res.statusCode);
      expect(res.headers['preference-applied']).toBe('wait=10');
      if (res.statusCode === 200) {
        etag = String(res.headers.etag);
        screen = res.json();
      }
    }
    expect(screen).toEqual({ id, next: 'welcome', account: { id: expect.any(String), number: expect.stringMatching(/^•••\d{4}$/) } });
    // Held until the sign-up finished (a second or so): one long poll, not dozens of polls.
    expect(asked).toEqual([200]);

    // Nothing changes any more: held for the whole wait, then 304 with the same ETag.
    const started = Date.now();
    const unchanged = await test.call({
      url: `/v1/onboardings/${id}`,
      headers: { 'if-none-match': etag, prefer: 'respond-async, wait=1' },
      as: 'lena',
    });
    expect(unchanged.statusCode).toBe(304);
    expect(unchanged.headers.etag).toBe(etag);
    expect(unchanged.headers['preference-applied']).toBe('wait=1');
    expect(Date.now() - started).toBeGreaterThanOrEqual(700);

    // Without If-None-Match there is nothing to wait for a change of: answered at once, no preference applied.
    const plain = await test.call({ url: `/v1/onboardings/${id}`, headers: { prefer: 'wait=8' }, as: 'lena' });
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['preference-applied']).toBeUndefined();
  });

  it('walks the micro-deposit path: wrong amounts say how many tries are left, the right ones open the account', async () => {
    const { id } = await startOnboarding(test, 'grace', microDepositForm());
    const verify = await pollUntil(test, 'grace', id, settled);
    expect(verify).toEqual({ id, next: 'verify_deposits', deposits: { attemptsLeft: 3, expiresAt: expect.any(String) } });

    const wrong = await test.call({ method: 'POST', url: `/v1/onboardings/${id}/deposits`, payload: { amounts: [11, 12] }, as: 'grace' });
    expectProblem(wrong, 422, 'MICRO_DEPOSIT_AMOUNTS_MISMATCH');
    expect(wrong.json().attemptsLeft).toBe(2);
    expect((await test.call({ url: `/v1/onboardings/${id}`, as: 'grace' })).json().deposits.attemptsLeft).toBe(2);

    const right = await test.call({
      method: 'POST',
      url: `/v1/onboardings/${id}/deposits`,
      payload: { amounts: [...SANDBOX.fixedDeposits].reverse() },
      as: 'grace',
    });
    expect(right.statusCode).toBe(200);
    expect(right.json()).toEqual({ id, next: 'processing', pollAfterSeconds: 2 });
    expect((await pollUntil(test, 'grace', id, settled)).next).toBe('welcome');

    const again = await test.call({
      method: 'POST',
      url: `/v1/onboardings/${id}/deposits`,
      payload: { amounts: SANDBOX.fixedDeposits },
      as: 'grace',
    });
    expectProblem(again, 409, 'NO_MICRO_DEPOSITS_PENDING');
    expect((await test.call({ url: '/v1/home', as: 'grace' })).json().accounts).toHaveLength(1);
  });

  it('shows a KYC rejection with words for the applicant, no internal finding, and no account', async () => {
    const { id } = await startOnboarding(test, 'rita', signUpForm({ ssn: SANDBOX.rejectedSsn }));
    const rejected = await pollUntil(test, 'rita', id, settled);
    expect(rejected).toEqual({
      id,
      next: 'rejected',
      reason: { code: 'IDENTITY_NOT_VERIFIED', message: expect.stringMatching(/verify your identity/) },
    });
    const home = await test.call({ url: '/v1/home', as: 'rita' });
    expect(home.json()).toEqual({ accounts: [], onboarding: { id, next: 'rejected' } });
  });

  it('shows an application held for review, and asks to check back later', async () => {
    const { id } = await startOnboarding(test, 'rhea', signUpForm({ ssn: SANDBOX.reviewSsn }));
    expect(await pollUntil(test, 'rhea', id, settled)).toEqual({ id, next: 'in_review', pollAfterSeconds: 60 });
  });

  it('answers a resubmitted form with the same key with the same onboarding, and a different form with 422', async () => {
    const form = signUpForm();
    const key = newKey();
    const first = await test.call({ method: 'POST', url: '/v1/onboardings', payload: form, headers: { 'idempotency-key': key }, as: 'ivy' });
    const replay = await test.call({ method: 'POST', url: '/v1/onboardings', payload: form, headers: { 'idempotency-key': key }, as: 'ivy' });
    expect(first.statusCode).toBe(202);
    expect(replay.statusCode).toBe(202);
    expect(replay.json().id).toBe(first.json().id);
    const changed = await test.call({
      method: 'POST',
      url: '/v1/onboardings',
      payload: { ...form, plan: 'basic-checking' },
      headers: { 'idempotency-key': key },
      as: 'ivy',
    });
    expectProblem(changed, 422, 'IDEMPOTENCY_KEY_REUSED');
    // The key is the user's own: someone else using it starts their own onboarding.
    const other = await test.call({ method: 'POST', url: '/v1/onboardings', payload: signUpForm(), headers: { 'idempotency-key': key }, as: 'ivo' });
    expect(other.statusCode).toBe(202);
    expect(other.json().id).not.toBe(first.json().id);
  });

  it('answers 304 while a read is unchanged, and 200 with a new ETag once it changed', async () => {
    const { id } = await startOnboarding(test, 'eve', microDepositForm());
    const waiting = await pollUntil(test, 'eve', id, settled);
    expect(waiting.next).toBe('verify_deposits');
    const first = await test.call({ url: `/v1/onboardings/${id}`, as: 'eve' });
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(first.headers['cache-control']).toBe('private, no-cache');

    const unchanged = await test.call({ url: `/v1/onboardings/${id}`, headers: { 'if-none-match': etag }, as: 'eve' });
    expect(unchanged.statusCode).toBe(304);
    expect(unchanged.body).toBe('');
    expect(unchanged.headers.etag).toBe(etag);

    await test.call({ method: 'POST', url: `/v1/onboardings/${id}/deposits`, payload: { amounts: [1, 2] }, as: 'eve' });
    const changed = await test.call({ url: `/v1/onboardings/${id}`, headers: { 'if-none-match': etag }, as: 'eve' });
    expect(changed.statusCode).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
    expect(changed.json().deposits.attemptsLeft).toBe(2);

    for (const url of ['/v1/home', '/v1/billing']) {
      const read = await test.call({ url, as: 'ada' });
      const again = await test.call({ url, headers: { 'if-none-match': read.headers.etag as string }, as: 'ada' });
      expect([url, read.statusCode, again.statusCode]).toEqual([url, 200, 304]);
    }
  });

  it('pages an account’s whole history, newest first, beyond the five transactions the overview carries', async () => {
    const { id } = await startOnboarding(test, 'paul', signUpForm({ deposit: 1000 }));
    const { account } = await pollUntil(test, 'paul', id, settled);
    const amounts = [200, 300, 400, 500, 600, 700];
    for (const amountMinor of amounts) {
      const posted = await request(`${stack.accountUrl}/v1/accounts/${account?.id}/transactions`, {
        method: 'POST',
        headers: { ...stack.asProcess, 'content-type': 'application/json', 'idempotency-key': newKey() },
        body: JSON.stringify({ direction: 'credit', amount: { amountMinor, currency: 'USD' }, description: `Transfer ${amountMinor}` }),
      });
      expect(posted.statusCode).toBe(201);
      await posted.body.dump();
    }
    const first = await test.call({ url: `/v1/accounts/${account?.id}?limit=3`, as: 'paul' });
    expect(first.json()).toMatchObject({ balance: 3700, transactions: [{ amount: 700, label: 'Transfer 700' }, { amount: 600 }, { amount: 500 }] });
    const pages: number[][] = [first.json().transactions.map((line: { amount: number }) => line.amount)];
    let cursor: string | null = first.json().nextCursor;
    while (cursor) {
      const next = await test.call({ url: `/v1/accounts/${account?.id}?limit=3&cursor=${cursor}`, as: 'paul' });
      expect(next.statusCode).toBe(200);
      pages.push(next.json().transactions.map((line: { amount: number }) => line.amount));
      cursor = next.json().nextCursor;
    }
    // Seven transactions: more than the overview's latest five, all reachable.
    expect(pages).toEqual([[700, 600, 500], [400, 300, 200], [1000]]);
    expectProblem(await test.call({ url: `/v1/accounts/${account?.id}?cursor=Zm9v`, as: 'paul' }), 400, 'INVALID_CURSOR');
  });

  it('forwards the request id to the Process API, so one id ties the call chain together', async () => {
    const res = await test.call({ url: '/v1/home', headers: { 'x-request-id': 'trace-home-1234' }, as: 'ada' });
    expect(res.headers['x-request-id']).toBe('trace-home-1234');
    expect(stack.processLogs.text()).toContain('trace-home-1234');
  });
});
