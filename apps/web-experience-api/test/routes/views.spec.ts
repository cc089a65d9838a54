import { type TestApp, buildTestApp, day, expectProblem } from '../helper';
import { SANDBOX, startOnboardingStack, type OnboardingStack } from '@bartholomew/test-stack';
import { application, postCredit, seedOnboarding } from '../support/seed';

/**
 * Web banking's views over the SAME Process API the phone app uses — the onboardings below were
 * started by the mobile Experience API's caller; nothing below this layer knows the web API exists.
 */
describe('web views over the real Process API', () => {
  let stack: OnboardingStack;
  let test: TestApp;
  let completedId: string;
  let accountId: string;
  let waitingId: string;

  beforeAll(async () => {
    stack = await startOnboardingStack();
    test = await buildTestApp({ processUrl: stack.processUrl });
    const completed = await seedOnboarding(stack, 'ada', application({ deposit: 1000 }));
    expect(completed.status).toBe('completed');
    completedId = completed.id;
    accountId = completed.accountId as string;
    waitingId = (await seedOnboarding(stack, 'ada', application({ microDeposits: true }))).id;
    await postCredit(stack, accountId, 200);
    await postCredit(stack, accountId, 300);
  });
  afterAll(async () => {
    await test?.close();
    await stack?.close();
  });

  const amounts = (page: { items: Array<{ amount: { amountMinor: number } }> }) => page.items.map((item) => item.amount.amountMinor);

  it("lists the user's applications, newest first, with status labels", async () => {
    const res = await test.call({ url: '/v1/applications', as: 'ada' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      items: [
        {
          id: waitingId,
          status: 'awaiting_customer',
          statusLabel: 'Waiting for you to confirm two small deposits',
          product: { productType: 'checking', planCode: 'premium-checking' },
          createdAt: expect.any(String),
          updatedAt: expect.any(String),
        },
        {
          id: completedId,
          status: 'completed',
          statusLabel: 'Account open',
          product: expect.any(Object),
          createdAt: expect.any(String),
          updatedAt: expect.any(String),
        },
      ],
      nextCursor: null,
    });
    const page = await test.call({ url: '/v1/applications?limit=1', as: 'ada' });
    expect(page.json().items.map((item: { id: string }) => item.id)).toEqual([waitingId]);
    const next = await test.call({ url: `/v1/applications?limit=1&cursor=${page.json().nextCursor}`, as: 'ada' });
    expect(next.json().items.map((item: { id: string }) => item.id)).toEqual([completedId]);
  });

  it('refuses a cursor the Process API did not issue with 400 INVALID_CURSOR, never a 500', async () => {
    // Well-formed for the schema (base64url), but no position the Process API ever encoded.
    expectProblem(await test.call({ url: '/v1/applications?cursor=Zm9v', as: 'ada' }), 400, 'INVALID_CURSOR');
    const forged = Buffer.from('2025-01-01T00:00:00.000Z|not-an-id').toString('base64url');
    expectProblem(await test.call({ url: `/v1/applications?limit=1&cursor=${forged}`, as: 'ada' }), 400, 'INVALID_CURSOR');
  });

  it('shows a completed application with its full, labelled step timeline', async () => {
    const res = await test.call({ url: `/v1/applications/${completedId}`, as: 'ada' });
    const application = res.json();
    expect(application).toMatchObject({
      id: completedId,
      status: 'completed',
      applicant: {
        legalName: 'Ada Lovelace',
        emailMasked: 'a•••@example.com',
        email: 'a•••@example.com',
        ssnLast4: expect.stringMatching(/^\d{4}$/),
      },
      fundingAccount: { routingNumber: SANDBOX.instantRouting, accountNumberMasked: expect.stringMatching(/^•••\d{4}$/) },
      openingDeposit: { amountMinor: 1000, currency: 'USD' },
      result: { accountId, customerId: expect.any(String), accountNumberMasked: expect.stringMatching(/^•••\d{4}$/) },
    });
    expect(application.timeline.map((step: { step: string; label: string; state: string }) => [step.step, step.label, step.state])).toEqual([
      ['kyc', 'Identity check', 'succeeded'],
      ['ach_verification', 'Bank account verification', 'succeeded'],
      ['open_account', 'Account opening', 'succeeded'],
      ['billing_setup', 'Billing setup', 'succeeded'],
      ['opening_deposit', 'Opening deposit', 'succeeded'],
      ['welcome_email', 'Welcome email', 'succeeded'],
    ]);
    for (const step of application.timeline)
      expect(step).toMatchObject({
        attempts: expect.any(Number),
        startedAt: expect.any(String),
        finishedAt: expect.any(String),
        durationMs: expect.any(Number),
      });
    expect(res.body).not.toMatch(/\d{3}-\d{2}-\d{4}/);
  });

  it('shows an application waiting for the customer with what it waits for', async () => {
    const application = (await test.call({ url: `/v1/applications/${waitingId}`, as: 'ada' })).json();
    expect(application.pendingAction).toEqual({ action: 'confirm_micro_deposits', attemptsRemaining: 3, expiresAt: expect.any(String) });
    expect(application.timeline.find((step: { step: string }) => step.step === 'ach_verification')).toMatchObject({
      state: 'waiting',
      label: 'Bank account verification',
    });
    expect(application).not.toHaveProperty('result');
  });

  it('shows the customer overview: profile masked, accounts with balances, billing with plan and payment method', async () => {
    const res = await test.call({ url: '/v1/overview', as: 'ada' });
    expect(res.statusCode).toBe(200);
    const overview = res.json();
    expect(overview).toEqual({
      profile: {
        customerId: expect.any(String),
        legalName: 'Ada Lovelace',
        emailMasked: 'a•••@example.com',
        phoneMasked: '•••0123',
        address: { city: 'New York', state: 'NY', postalCode: '10001' },
        ssnLast4: expect.stringMatching(/^\d{4}$/),
        customerSince: expect.any(String),
      },
      accounts: [
        {
          accountId,
          accountNumberMasked: expect.stringMatching(/^•••\d{4}$/),
          productType: 'checking',
          status: 'active',
          openedAt: expect.any(String),
          ledgerBalance: { amountMinor: 1500, currency: 'USD' },
          availableBalance: { amountMinor: 1500, currency: 'USD' },
        },
      ],
      billingAccounts: [
        {
          billingAccountId: expect.any(String),
          accountId,
          status: 'open',
          plan: { planCode: 'premium-checking', name: 'Premium Checking', monthlyFee: { amountMinor: 1500, currency: 'USD' } },
          paymentMethods: [
            {
              paymentMethodId: expect.any(String),
              routingNumber: SANDBOX.instantRouting,
              accountNumberMasked: expect.stringMatching(/^•••\d{4}$/),
              accountType: 'checking',
              status: 'verified',
            },
          ],
        },
      ],
      unavailable: [],
    });
    expect(res.body).not.toContain('1 Main St');
    expect(res.body).not.toContain('ada@example.com');
  });

  it('pages an account’s whole history newest first, beyond the five transactions the overview carries', async () => {
    // With the opening deposit of 1000 and the 200 and 300: eight transactions.
    for (const amount of [1, 2, 3, 4, 5]) await postCredit(stack, accountId, amount);
    const pages: number[][] = [];
    let cursor: string | null = null;
    do {
      const res = await test.call({ url: `/v1/accounts/${accountId}/transactions?limit=3${cursor ? `&cursor=${cursor}` : ''}`, as: 'ada' });
      expect(res.statusCode).toBe(200);
      expect(res.json().accountId).toBe(accountId);
      pages.push(amounts(res.json()));
      cursor = res.json().nextCursor;
    } while (cursor);
    expect(pages).toEqual([
      [5, 4, 3],
      [2, 1, 300],
      [200, 1000],
    ]);
    expect(amounts((await test.call({ url: `/v1/accounts/${accountId}/transactions`, as: 'ada' })).json())).toEqual([5, 4, 3, 2, 1, 300, 200, 1000]);
  });

  it('filters by UTC days on the server, reaching postings older than the latest five, and pages under the filter', async () => {
    // January 15: the deposit and the 200; February 10 (its last millisecond): the 300; 1..5 stay today.
    await stack.backdateTransactions(accountId, [1000, 200], '2025-01-15T12:00:00Z');
    await stack.backdateTransactions(accountId, [300], '2025-02-10T23:59:59.999Z');
    const list = (query: string) => test.call({ url: `/v1/accounts/${accountId}/transactions?${query}`, as: 'ada' });

    const january = (await list('from=2025-01-01&to=2025-01-31&limit=1')).json();
    expect(amounts(january)).toEqual([200]);
    const rest = (await list(`from=2025-01-01&to=2025-01-31&limit=1&cursor=${january.nextCursor}`)).json();
    expect(rest).toEqual({ accountId, items: [expect.objectContaining({ amount: { amountMinor: 1000, currency: 'USD' } })], nextCursor: null });
    expect(amounts((await list('to=2025-02-10')).json())).toEqual([300, 200, 1000]);
    expect(amounts((await list('from=2025-02-11')).json())).toEqual([5, 4, 3, 2, 1]);
    expect(amounts((await list(`from=${day(-1)}&to=${day(1)}`)).json())).toEqual([5, 4, 3, 2, 1]);
    expect((await list('from=2025-01-16&to=2025-02-09')).json()).toEqual({ accountId, items: [], nextCursor: null });

    expectProblem(await list(`from=2024-12-01&to=2025-01-31&limit=1&cursor=${january.nextCursor}`), 400, 'INVALID_CURSOR');
    expectProblem(await list('cursor=Zm9v'), 400, 'INVALID_CURSOR');
    expectProblem(await list(`from=${day(1)}&to=${day(-1)}`), 400, 'INVALID_DATE_RANGE');
  });

  it('answers 304 to a read whose ETag still holds', async () => {
    for (const url of ['/v1/overview', '/v1/applications', `/v1/applications/${completedId}`, `/v1/accounts/${accountId}/transactions`]) {
      const read = await test.call({ url, as: 'ada' });
      const again = await test.call({ url, headers: { 'if-none-match': read.headers.etag as string }, as: 'ada' });
      expect([url, read.statusCode, again.statusCode, again.body]).toEqual([url, 200, 304, '']);
    }
  });

  it('tells a user who is not a customer yet that there is no overview', async () => {
    expectProblem(await test.call({ url: '/v1/overview', as: 'newcomer' }), 404, 'CUSTOMER_NOT_FOUND');
    expect((await test.call({ url: '/v1/applications', as: 'newcomer' })).json()).toEqual({ items: [], nextCursor: null });
  });
});
