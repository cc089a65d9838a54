import { randomUUID } from 'node:crypto';
import { application, buildTestApp, expectProblem, isFinal, startOnboarding, waitForOnboarding, type TestApp } from '../helper';
import { startSmtpSink, type SmtpSink } from '@bartholomew/testing';
import { PROCESS_SECRET, startSystemApis, type SystemApis } from '../support/system-apis';

/**
 * An account's transactions through the Process API, against the REAL account System API: paged
 * and date-filtered there, behind the same ownership check as the customer overview.
 */
describe('GET /v1/customers/{customerId}/accounts/{accountId}/transactions', () => {
  let systems: SystemApis;
  let smtp: SmtpSink;
  let test: TestApp;
  /** Ada's customer and account: the opening deposit of 2500 and seven more credits, 1..7. */
  let ada: { customerId: string; accountId: string };
  /** Another end user's customer and account. */
  let grace: { customerId: string; accountId: string };

  const completedCustomer = async (endUser: string) => {
    const done = await waitForOnboarding(test, (await startOnboarding(test, application({ deposit: 2500 }), endUser)).id, isFinal);
    expect(done.status).toBe('completed');
    return { customerId: String(done.customerId), accountId: String(done.accountId) };
  };

  /** Posts straight to the account System API, as the bank's other channels would. */
  const credit = async (accountId: string, amountMinor: number): Promise<string> => {
    const res = await fetch(`${systems.account.baseUrl}/v1/accounts/${accountId}/transactions`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-service-credential': `onboarding-process-api.${PROCESS_SECRET}`,
        'idempotency-key': randomUUID(),
      },
      body: JSON.stringify({ direction: 'credit', amount: { amountMinor, currency: 'USD' }, description: `Credit ${amountMinor}` }),
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { transactionId: string }).transactionId;
  };
  const backdate = (transactionIds: string[], instant: string) =>
    systems.account.query('UPDATE account_transactions SET posted_at = $2 WHERE id = ANY($1::uuid[])', [transactionIds, instant]);

  beforeAll(async () => {
    systems = await startSystemApis();
    smtp = await startSmtpSink();
    test = await buildTestApp(systems, { env: { SMTP_URL: smtp.url } });
    [ada, grace] = await Promise.all([completedCustomer('user-ada'), completedCustomer('user-grace')]);
    const ids: string[] = [];
    for (let amount = 1; amount <= 7; amount++) ids.push(await credit(ada.accountId, amount));
    const [deposit] = await systems.account.query<{ id: string }>(
      'SELECT id FROM account_transactions WHERE account_id = $1 AND amount_minor = 2500',
      [ada.accountId],
    );
    // January 15: the deposit, 1 and 2; February 10: 3 and 4; 5, 6 and 7 stay today.
    await backdate([deposit.id, ids[0], ids[1]], '2025-01-15T12:00:00Z');
    await backdate([ids[2], ids[3]], '2025-02-10T23:59:59.999Z');
  }, 60_000);
  afterAll(async () => {
    await test?.close();
    await smtp?.close();
    await systems?.close();
  });

  const url = (customerId: string, accountId: string, query = '') => `/v1/customers/${customerId}/accounts/${accountId}/transactions${query}`;
  const amounts = (body: { items: Array<{ amount: { amountMinor: number } }> }) => body.items.map((item) => item.amount.amountMinor);

  /** Every page of a listing, following `nextCursor`. */
  async function allPages(query: string, endUser = 'user-ada'): Promise<number[][]> {
    const pages: number[][] = [];
    let cursor: string | null = null;
    do {
      const res = await test.call({ url: url(ada.customerId, ada.accountId, `?${query}${cursor ? `&cursor=${cursor}` : ''}`), endUser });
      expect(res.statusCode).toBe(200);
      pages.push(amounts(res.json()));
      cursor = res.json().nextCursor;
    } while (cursor);
    return pages;
  }

  it('pages through the whole history, newest first, beyond the five the overview carries', async () => {
    const overview = await test.call({ url: `/v1/customers/${ada.customerId}/overview` });
    expect(overview.json().accounts[0].recentTransactions).toHaveLength(5);
    expect(await allPages('limit=3')).toEqual([
      [7, 6, 5],
      [4, 3, 2],
      [1, 2500],
    ]);
    const first = await test.call({ url: url(ada.customerId, ada.accountId, '?limit=1') });
    expect(first.json().items[0]).toEqual({
      transactionId: expect.any(String),
      direction: 'credit',
      amount: { amountMinor: 7, currency: 'USD' },
      description: 'Credit 7',
      balanceAfter: { amountMinor: 2528, currency: 'USD' },
      postedAt: expect.any(String),
    });
  });

  it('answers twenty transactions at most when no limit is given', async () => {
    const page = (await test.call({ url: url(ada.customerId, ada.accountId) })).json();
    expect(amounts(page)).toEqual([7, 6, 5, 4, 3, 2, 1, 2500]);
    expect(page.nextCursor).toBeNull();
  });

  it('keeps only postings on the UTC days from..to (inclusive), filtered by the account System API, and pages under the filter', async () => {
    expect(await allPages('from=2025-01-01&to=2025-01-31&limit=2')).toEqual([[2, 1], [2500]]);
    expect(await allPages('from=2025-01-15&to=2025-02-10')).toEqual([[4, 3, 2, 1, 2500]]);
    expect(await allPages('from=2025-02-11&to=2025-12-31')).toEqual([[]]);
    expect(await allPages('to=2025-02-09')).toEqual([[2, 1, 2500]]);
    expect(await allPages('from=2025-02-10&limit=4')).toEqual([[7, 6, 5, 4], [3]]);
  });

  it('refuses a cursor with another filter than its own, and from after to (400)', async () => {
    const cursor = (await test.call({ url: url(ada.customerId, ada.accountId, '?from=2025-01-01&limit=2') })).json().nextCursor;
    expect(cursor).toEqual(expect.any(String));
    expectProblem(await test.call({ url: url(ada.customerId, ada.accountId, `?from=2025-01-02&limit=2&cursor=${cursor}`) }), 400, 'INVALID_CURSOR');
    expectProblem(await test.call({ url: url(ada.customerId, ada.accountId, `?limit=2&cursor=${cursor}`) }), 400, 'INVALID_CURSOR');
    expectProblem(await test.call({ url: url(ada.customerId, ada.accountId, '?cursor=bm90LWEtY3Vyc29y') }), 400, 'INVALID_CURSOR');
    expectProblem(await test.call({ url: url(ada.customerId, ada.accountId, '?from=2025-02-01&to=2025-01-31') }), 400, 'INVALID_DATE_RANGE');
    // A day the schema accepts but the ledger's database cannot read (year 0): still the caller's 400.
    expectProblem(await test.call({ url: url(ada.customerId, ada.accountId, '?from=0000-01-01') }), 400, 'INVALID_PARAMETER');
    expectProblem(await test.call({ url: url(ada.customerId, ada.accountId, '?to=2025-02-30') }), 400, 'VALIDATION_FAILED');
  });

  it('answers 404 for another end user’s customer, and for an account that is not the customer’s', async () => {
    expectProblem(await test.call({ url: url(ada.customerId, ada.accountId), endUser: 'user-grace' }), 404, 'CUSTOMER_NOT_FOUND');
    expectProblem(await test.call({ url: url(ada.customerId, grace.accountId) }), 404, 'ACCOUNT_NOT_FOUND');
    expectProblem(await test.call({ url: url(grace.customerId, ada.accountId) }), 404, 'CUSTOMER_NOT_FOUND');
    expectProblem(await test.call({ url: url(ada.customerId, '00000000-0000-4000-8000-000000000000') }), 404, 'ACCOUNT_NOT_FOUND');
    // Operators see every customer, but still only an account under its own customer.
    expect((await test.call({ url: url(ada.customerId, ada.accountId), as: 'operator', endUser: null })).statusCode).toBe(200);
    expectProblem(await test.call({ url: url(ada.customerId, grace.accountId), as: 'operator', endUser: null }), 404, 'ACCOUNT_NOT_FOUND');
  });
});
