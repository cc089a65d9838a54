import { buildTestApp, getJson, newIdempotencyKey, onPostgres, openAccount, post, postJson, UNKNOWN_ID, type TestApp } from '../helper';

describe('transaction routes', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await buildTestApp();
  });
  afterAll(() => testApp.close());

  const usd = (amountMinor: number) => ({ amountMinor, currency: 'USD' });
  const postRaw = (accountId: string, body: unknown, key = newIdempotencyKey()) =>
    postJson(testApp.app, `/v1/accounts/${accountId}/transactions`, body, { 'idempotency-key': key });
  const balanceOf = async (accountId: string) =>
    (await getJson(testApp.app, `/v1/accounts/${accountId}/balance`)).json().ledgerBalance.amountMinor as number;
  const setStatus = (accountId: string, status: string) => postJson(testApp.app, `/v1/accounts/${accountId}/status`, { status, reason: 'test' });

  describe('POST /v1/accounts/{accountId}/transactions', () => {
    it('posts a credit and a debit (201), each answering the balance after it', async () => {
      const account = await openAccount(testApp.app);
      const deposit = await postRaw(account.accountId, {
        direction: 'credit',
        amount: usd(10_000),
        description: 'Opening deposit',
        reference: 'onb-1',
      });
      expect(deposit.statusCode).toBe(201);
      expect(deposit.json()).toEqual({
        transactionId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        accountId: account.accountId,
        direction: 'credit',
        amount: usd(10_000),
        description: 'Opening deposit',
        reference: 'onb-1',
        balanceAfter: usd(10_000),
        postedAt: expect.any(String),
      });
      const withdrawal = await post(testApp.app, account.accountId, 'debit', 2_500);
      expect(withdrawal.statusCode).toBe(201);
      expect(withdrawal.json().balanceAfter).toEqual(usd(7_500));
    });

    it('refuses a debit beyond the available balance (422 INSUFFICIENT_FUNDS)', async () => {
      const account = await openAccount(testApp.app);
      await post(testApp.app, account.accountId, 'credit', 100);
      const res = await post(testApp.app, account.accountId, 'debit', 101);
      expect(res.statusCode).toBe(422);
      expect(res.json()).toMatchObject({ code: 'INSUFFICIENT_FUNDS' });
      expect(await balanceOf(account.accountId)).toBe(100);
    });

    it('refuses postings to a closed account (409 ACCOUNT_CLOSED)', async () => {
      const account = await openAccount(testApp.app);
      await setStatus(account.accountId, 'closed');
      const res = await post(testApp.app, account.accountId, 'credit', 100);
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({ code: 'ACCOUNT_CLOSED' });
    });

    it('takes credits on a frozen account but refuses debits (409 ACCOUNT_FROZEN)', async () => {
      const account = await openAccount(testApp.app);
      await post(testApp.app, account.accountId, 'credit', 100);
      await setStatus(account.accountId, 'frozen');
      expect((await post(testApp.app, account.accountId, 'credit', 50)).statusCode).toBe(201);
      const debit = await post(testApp.app, account.accountId, 'debit', 10);
      expect(debit.statusCode).toBe(409);
      expect(debit.json()).toMatchObject({ code: 'ACCOUNT_FROZEN' });
      expect(await balanceOf(account.accountId)).toBe(150);
    });

    it("refuses a posting in another currency than the account's (422 CURRENCY_MISMATCH)", async () => {
      const account = await openAccount(testApp.app);
      const res = await postRaw(account.accountId, { direction: 'credit', amount: { amountMinor: 100, currency: 'EUR' }, description: 'Euros' });
      expect(res.statusCode).toBe(422);
      expect(res.json()).toMatchObject({ code: 'CURRENCY_MISMATCH' });
    });

    it.each([
      ['zero', 0],
      ['negative', -100],
      ['fractional', 10.5],
    ])('refuses a %s amount (400)', async (_label, amountMinor) => {
      const account = await openAccount(testApp.app);
      const res = await postRaw(account.accountId, { direction: 'credit', amount: usd(amountMinor), description: 'Bad' });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [expect.objectContaining({ path: 'body/amount/amountMinor' })] });
    });

    it('answers 404 ACCOUNT_NOT_FOUND for an unknown account', async () => {
      const res = await post(testApp.app, UNKNOWN_ID, 'credit', 100);
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ code: 'ACCOUNT_NOT_FOUND' });
    });

    it('replays a posting with the same key and body without moving money twice', async () => {
      const account = await openAccount(testApp.app);
      const body = { direction: 'credit', amount: usd(700), description: 'Deposit' };
      const key = newIdempotencyKey();
      const first = await postRaw(account.accountId, body, key);
      const again = await postRaw(account.accountId, body, key);
      expect(again.statusCode).toBe(201);
      expect(again.body).toBe(first.body);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(await balanceOf(account.accountId)).toBe(700);
    });

    it('refuses a posting key reused with another body or on another account (422 IDEMPOTENCY_KEY_REUSED)', async () => {
      const account = await openAccount(testApp.app);
      const other = await openAccount(testApp.app);
      const body = { direction: 'credit', amount: usd(700), description: 'Deposit' };
      const key = newIdempotencyKey();
      await postRaw(account.accountId, body, key);
      for (const res of [await postRaw(account.accountId, { ...body, amount: usd(701) }, key), await postRaw(other.accountId, body, key)]) {
        expect(res.statusCode).toBe(422);
        expect(res.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
      }
      expect(await balanceOf(other.accountId)).toBe(0);
    });

    it('never overdraws when twenty concurrent debits together exceed the balance', async () => {
      const account = await openAccount(testApp.app);
      await post(testApp.app, account.accountId, 'credit', 1_000);
      const answers = await Promise.all(Array.from({ length: 20 }, () => post(testApp.app, account.accountId, 'debit', 150)));
      const statuses = answers.map((res) => res.statusCode);
      expect(statuses.filter((status) => status === 201)).toHaveLength(6);
      expect(statuses.filter((status) => status === 422)).toHaveLength(14);
      expect(await balanceOf(account.accountId)).toBe(100);
      const history: Array<{ direction: string; amount: { amountMinor: number }; balanceAfter: { amountMinor: number } }> = (
        await getJson(testApp.app, `/v1/accounts/${account.accountId}/transactions?limit=100`)
      ).json().items;
      expect(history).toHaveLength(7);
      expect(Math.min(...history.map((t) => t.balanceAfter.amountMinor))).toBe(100);
      expect(history.reduce((net, t) => net + (t.direction === 'credit' ? t.amount.amountMinor : -t.amount.amountMinor), 0)).toBe(100);
      // The Postgres ledger's own table, read directly; the mainframe's postings live in the core.
      if (onPostgres) {
        const { rows } = await testApp.app.db.query(
          `SELECT min(balance_after_minor)::int AS lowest,
                  sum(CASE direction WHEN 'credit' THEN amount_minor ELSE -amount_minor END)::int AS net
             FROM account_transactions WHERE account_id = $1`,
          [account.accountId],
        );
        expect(rows[0]).toEqual({ lowest: 100, net: 100 });
      }
    });
  });

  describe('GET /v1/accounts/{accountId}/transactions', () => {
    const list = (accountId: string, query = '') => getJson(testApp.app, `/v1/accounts/${accountId}/transactions${query}`);
    /** Moves postings to a given instant, as if they had been posted then. */
    const postedAt = (transactionIds: string[], instant: string) => testApp.backdatePostings(transactionIds, instant);
    const amounts = (res: { json(): { items: Array<{ amount: { amountMinor: number } }> } }) => res.json().items.map((t) => t.amount.amountMinor);

    it('pages newest first with an opaque cursor, and a null nextCursor on the last page (200)', async () => {
      const account = await openAccount(testApp.app);
      for (const amount of [10, 20, 30]) await post(testApp.app, account.accountId, 'credit', amount);
      const first = await list(account.accountId, '?limit=2');
      expect(first.statusCode).toBe(200);
      expect(first.json().items.map((t: { amount: { amountMinor: number } }) => t.amount.amountMinor)).toEqual([30, 20]);
      const cursor = first.json().nextCursor;
      expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
      const second = (await list(account.accountId, `?limit=2&cursor=${cursor}`)).json();
      expect(second.items.map((t: { amount: { amountMinor: number } }) => t.amount.amountMinor)).toEqual([10]);
      expect(second.nextCursor).toBeNull();
    });

    it('orders by ledger sequence as a number when the sequence gains a digit between two postings', async () => {
      const account = await openAccount(testApp.app);
      await post(testApp.app, account.accountId, 'credit', 1);
      // The next postings get 99999, 100000, 100001: as text, '99999' would sort after '100001'.
      await testApp.numberNextPostingsFrom(99_999);
      for (const amount of [2, 3, 4]) await post(testApp.app, account.accountId, 'credit', amount);
      expect(amounts(await list(account.accountId))).toEqual([4, 3, 2, 1]);
      const first = await list(account.accountId, '?limit=2');
      expect(amounts(first)).toEqual([4, 3]);
      expect(amounts(await list(account.accountId, `?limit=2&cursor=${first.json().nextCursor}`))).toEqual([2, 1]);
    });

    it('answers at most twenty transactions when no limit is given', async () => {
      const account = await openAccount(testApp.app);
      for (let i = 1; i <= 21; i++) await post(testApp.app, account.accountId, 'credit', i);
      const page = (await list(account.accountId)).json();
      expect(page.items).toHaveLength(20);
      expect(page.nextCursor).not.toBeNull();
    });

    /** Six postings on three UTC days, at both edges of each day: 1–2 on Jan 14, 3–4 on Jan 15, 5–6 on Jan 16. */
    async function accountWithPostingsOnThreeDays(): Promise<string> {
      const account = await openAccount(testApp.app);
      const ids: string[] = [];
      for (let amount = 1; amount <= 6; amount++) ids.push((await post(testApp.app, account.accountId, 'credit', amount)).json().transactionId);
      const instants = [
        '2025-01-14T00:00:00Z',
        '2025-01-14T23:59:59.999Z',
        '2025-01-15T00:00:00Z',
        '2025-01-15T23:59:59.999Z',
        '2025-01-16T00:00:00Z',
        '2025-01-16T23:59:59.999Z',
      ];
      for (const [i, id] of ids.entries()) await postedAt([id], instants[i]);
      return account.accountId;
    }

    it('keeps only postings on the UTC days from..to, both inclusive, newest first', async () => {
      const accountId = await accountWithPostingsOnThreeDays();
      expect(amounts(await list(accountId, '?from=2025-01-15&to=2025-01-15'))).toEqual([4, 3]);
      expect(amounts(await list(accountId, '?from=2025-01-15'))).toEqual([6, 5, 4, 3]);
      expect(amounts(await list(accountId, '?to=2025-01-15'))).toEqual([4, 3, 2, 1]);
      expect(amounts(await list(accountId, '?from=2025-01-14&to=2025-01-16'))).toEqual([6, 5, 4, 3, 2, 1]);
      expect((await list(accountId, '?from=2025-01-17')).json()).toEqual({ items: [], nextCursor: null });
    });

    it('pages under a filter until the filtered postings run out', async () => {
      const accountId = await accountWithPostingsOnThreeDays();
      const filter = 'from=2025-01-14&to=2025-01-15';
      const seen: number[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res = await list(accountId, `?${filter}&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
        expect(res.statusCode).toBe(200);
        seen.push(...amounts(res));
        cursor = res.json().nextCursor;
        pages++;
      } while (cursor);
      expect(seen).toEqual([4, 3, 2, 1]);
      expect(pages).toBe(2);
    });

    it('refuses a cursor with another filter than it was issued for (400 INVALID_CURSOR)', async () => {
      const accountId = await accountWithPostingsOnThreeDays();
      const cursor = (await list(accountId, '?from=2025-01-14&limit=2')).json().nextCursor;
      expect(cursor).not.toBeNull();
      expect((await list(accountId, `?from=2025-01-14&limit=2&cursor=${cursor}`)).statusCode).toBe(200);
      for (const query of [`?cursor=${cursor}`, `?from=2025-01-15&cursor=${cursor}`, `?from=2025-01-14&to=2025-01-16&cursor=${cursor}`]) {
        const res = await list(accountId, query);
        expect(res.statusCode).toBe(400);
        expect(res.json()).toMatchObject({ code: 'INVALID_CURSOR' });
      }
    });

    it('answers 400 INVALID_DATE_RANGE when from is after to', async () => {
      const account = await openAccount(testApp.app);
      const res = await list(account.accountId, '?from=2025-01-16&to=2025-01-15');
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json()).toMatchObject({ code: 'INVALID_DATE_RANGE' });
    });

    it.each([
      ['a cursor it did not issue', '?cursor=bm90LWEtY3Vyc29y', 'INVALID_CURSOR'],
      ['a cursor with characters outside base64url', '?cursor=abc%2Bdef', 'VALIDATION_FAILED'],
      ['a zero limit', '?limit=0', 'VALIDATION_FAILED'],
      ['a limit above 100', '?limit=101', 'VALIDATION_FAILED'],
      ['a limit that is not a number', '?limit=ten', 'VALIDATION_FAILED'],
      ['an unknown query parameter', '?offset=20', 'VALIDATION_FAILED'],
      ['a from that is not a date', '?from=yesterday', 'VALIDATION_FAILED'],
      ['a to day that does not exist', '?to=2025-02-30', 'VALIDATION_FAILED'],
      ['a date with a time', '?from=2025-01-15T00:00:00Z', 'VALIDATION_FAILED'],
    ])('answers 400 for %s', async (_label, query, code) => {
      const account = await openAccount(testApp.app);
      const res = await list(account.accountId, query);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code });
    });

    it('answers 404 ACCOUNT_NOT_FOUND for an unknown account', async () => {
      const res = await list(UNKNOWN_ID);
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ code: 'ACCOUNT_NOT_FOUND' });
    });
  });
});
