import { randomUUID } from 'node:crypto';
import type { CreateCustomerRequest, PostTransactionRequest } from '@bartholomew/contracts-account-system';
import type { CoreBanking, IdempotencyToken } from '../../src/core-banking/core-banking';
import { customerRequest } from '../helper';

/** A backend under test, started fresh for one run of the suite. */
export interface CoreBankingUnderTest {
  coreBanking: CoreBanking;
  close(): Promise<void>;
}

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

/** A new idempotency token; pass the same `request` text to get "the same request" again. */
const tokenFor = (request: string, key: string = randomUUID()): IdempotencyToken => ({
  scope: 'contract-suite:test',
  key,
  requestHash: `hash-of:${request}`,
});

const usd = (amountMinor: number) => ({ amountMinor, currency: 'USD' });
const credit = (amountMinor: number): PostTransactionRequest => ({ direction: 'credit', amount: usd(amountMinor), description: 'Deposit' });
const debit = (amountMinor: number): PostTransactionRequest => ({ direction: 'debit', amount: usd(amountMinor), description: 'Withdrawal' });

/**
 * What every core-banking backend must do, whatever it runs on. Today it runs against the
 * Postgres ledger; the mainframe gateway adapter must pass it unchanged before it replaces it.
 * The suite uses only the `CoreBanking` port: no SQL, no HTTP.
 */
export function describeCoreBankingContract(backend: string, start: () => Promise<CoreBankingUnderTest>): void {
  describe(`CoreBanking contract (${backend})`, () => {
    let underTest: CoreBankingUnderTest;
    let core: CoreBanking;

    beforeAll(async () => {
      underTest = await start();
      core = underTest.coreBanking;
    });
    afterAll(() => underTest?.close());

    const createCustomer = async (request: CreateCustomerRequest = customerRequest()) =>
      (await core.createCustomer(request, tokenFor(JSON.stringify(request)))).value;
    const openAccount = async (customerId?: string) => {
      const owner = customerId ?? (await createCustomer()).customerId;
      const request = { customerId: owner, productType: 'checking', currency: 'USD' } as const;
      return (await core.openAccount(request, tokenFor(JSON.stringify(request)))).value;
    };
    const postTo = async (accountId: string, posting: PostTransactionRequest) =>
      (await core.postTransaction(accountId, posting, tokenFor(randomUUID()))).value;
    const ledgerOf = async (accountId: string) => (await core.getBalance(accountId)).ledgerBalance.amountMinor;

    describe('customers', () => {
      it('creates a customer and reads it back, showing only the last four digits of the SSN', async () => {
        const request = customerRequest({ taxId: '321-54-9876' });
        const created = await createCustomer(request);
        expect(created).toMatchObject({ legalName: request.legalName, dateOfBirth: '1990-04-01', taxIdLast4: '9876', address: request.address });
        expect(JSON.stringify(created)).not.toMatch(/321-?54-?9876/);
        await expect(core.getCustomer(created.customerId)).resolves.toEqual(created);
      });

      it('keeps the second address line only when one is given', async () => {
        const withLine2 = await createCustomer(
          customerRequest({ address: { line1: '1 Main St', line2: 'Apt 4', city: 'Albany', state: 'NY', postalCode: '12207-1234' } }),
        );
        const without = await createCustomer();
        expect(withLine2.address.line2).toBe('Apt 4');
        expect(without.address).not.toHaveProperty('line2');
      });

      it('refuses a second customer with the same SSN, dashed or not', async () => {
        await createCustomer(customerRequest({ taxId: '555-12-3456' }));
        for (const taxId of ['555-12-3456', '555123456']) {
          await expect(createCustomer(customerRequest({ taxId, legalName: 'Someone Else' }))).rejects.toMatchObject({
            code: 'CUSTOMER_ALREADY_EXISTS',
            statusCode: 409,
          });
        }
      });

      it('creates only one of several customers with the same SSN sent at once', async () => {
        const outcomes = await Promise.allSettled(
          Array.from({ length: 5 }, (_, i) => createCustomer(customerRequest({ taxId: '666-01-2345', legalName: `Claimant ${i}` }))),
        );
        expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
        const refusals = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
        expect(refusals.map((outcome) => (outcome.reason as { code?: string }).code)).toEqual(Array(4).fill('CUSTOMER_ALREADY_EXISTS'));
      });

      it('answers a repeated creation with the same key and request with the first customer', async () => {
        const request = customerRequest();
        const token = tokenFor('one customer');
        const first = await core.createCustomer(request, token);
        const again = await core.createCustomer(request, token);
        expect(first.replayed).toBe(false);
        expect(again).toEqual({ value: first.value, replayed: true });
      });

      it('refuses the same key with a different request', async () => {
        const key = randomUUID();
        await core.createCustomer(customerRequest(), tokenFor('first request', key));
        await expect(core.createCustomer(customerRequest(), tokenFor('second request', key))).rejects.toMatchObject({
          code: 'IDEMPOTENCY_KEY_REUSED',
          statusCode: 422,
        });
      });

      it('finds the customer holding an SSN, whether it is asked for dashed or bare, and nobody for an unknown SSN', async () => {
        const created = await createCustomer(customerRequest({ taxId: '432-10-9876' }));
        await expect(core.findCustomerByTaxId('432-10-9876')).resolves.toEqual(created);
        await expect(core.findCustomerByTaxId('432109876')).resolves.toEqual(created);
        await expect(core.findCustomerByTaxId('432-10-9877')).resolves.toBeUndefined();
      });

      it('finds the one customer that won when several with the same SSN were created at once', async () => {
        const outcomes = await Promise.allSettled(
          Array.from({ length: 5 }, (_, i) => createCustomer(customerRequest({ taxId: '433-01-2345', legalName: `Racer ${i}` }))),
        );
        const winners = outcomes.filter(
          (outcome): outcome is PromiseFulfilledResult<Awaited<ReturnType<typeof createCustomer>>> => outcome.status === 'fulfilled',
        );
        expect(winners).toHaveLength(1);
        await expect(core.findCustomerByTaxId('433012345')).resolves.toEqual(winners[0].value);
      });

      it('refuses to read an unknown customer', async () => {
        await expect(core.getCustomer(UNKNOWN_ID)).rejects.toMatchObject({ code: 'CUSTOMER_NOT_FOUND', statusCode: 404 });
      });
    });

    describe('accounts', () => {
      it('opens an active, empty account in the requested product, its number masked to the last four', async () => {
        const customer = await createCustomer();
        const request = { customerId: customer.customerId, productType: 'savings', currency: 'USD' } as const;
        const { value: account } = await core.openAccount(request, tokenFor('savings'));
        expect(account).toMatchObject({ customerId: customer.customerId, productType: 'savings', currency: 'USD', status: 'active' });
        expect(account.accountNumberMasked).toMatch(/^\u2022{3}[0-9]{4}$/);
        await expect(core.getAccount(account.accountId)).resolves.toEqual(account);
        expect(await core.getBalance(account.accountId)).toMatchObject({ ledgerBalance: usd(0), availableBalance: usd(0) });
      });

      it('refuses to open an account for an unknown customer', async () => {
        const request = { customerId: UNKNOWN_ID, productType: 'checking', currency: 'USD' } as const;
        await expect(core.openAccount(request, tokenFor('unknown customer'))).rejects.toMatchObject({
          code: 'CUSTOMER_NOT_FOUND',
          statusCode: 422,
        });
      });

      it('opens exactly one account when twenty identical requests arrive at once', async () => {
        const customer = await createCustomer();
        const request = { customerId: customer.customerId, productType: 'checking', currency: 'USD' } as const;
        const token = tokenFor('twenty at once');
        const results = await Promise.all(Array.from({ length: 20 }, () => core.openAccount(request, token)));
        expect(new Set(results.map((result) => result.value.accountId)).size).toBe(1);
        expect(results.filter((result) => !result.replayed)).toHaveLength(1);
        expect(await core.listCustomerAccounts(customer.customerId)).toHaveLength(1);
      });

      it("lists a customer's accounts oldest first, and none for a customer without any", async () => {
        const customer = await createCustomer();
        expect(await core.listCustomerAccounts(customer.customerId)).toEqual([]);
        const first = await openAccount(customer.customerId);
        const second = await openAccount(customer.customerId);
        const listed = await core.listCustomerAccounts(customer.customerId);
        expect(listed.map((account) => account.accountId)).toEqual([first.accountId, second.accountId]);
      });

      it('refuses to list the accounts of an unknown customer', async () => {
        await expect(core.listCustomerAccounts(UNKNOWN_ID)).rejects.toMatchObject({ code: 'CUSTOMER_NOT_FOUND', statusCode: 404 });
      });

      it('refuses to read, price or change an unknown account', async () => {
        const notFound = { code: 'ACCOUNT_NOT_FOUND', statusCode: 404 };
        await expect(core.getAccount(UNKNOWN_ID)).rejects.toMatchObject(notFound);
        await expect(core.getBalance(UNKNOWN_ID)).rejects.toMatchObject(notFound);
        await expect(core.changeAccountStatus(UNKNOWN_ID, { status: 'frozen', reason: 'x', changedBy: 'suite' })).rejects.toMatchObject(notFound);
        await expect(core.listTransactions(UNKNOWN_ID, { limit: 5 })).rejects.toMatchObject(notFound);
        await expect(core.postTransaction(UNKNOWN_ID, credit(1), tokenFor('unknown account'))).rejects.toMatchObject(notFound);
      });
    });

    describe('account status', () => {
      it('freezes an account and makes it active again', async () => {
        const account = await openAccount();
        const frozen = await core.changeAccountStatus(account.accountId, { status: 'frozen', reason: 'Fraud review', changedBy: 'suite' });
        expect(frozen.status).toBe('frozen');
        expect(Date.parse(frozen.statusChangedAt)).toBeGreaterThanOrEqual(Date.parse(account.statusChangedAt));
        const active = await core.changeAccountStatus(account.accountId, { status: 'active', reason: 'Cleared', changedBy: 'suite' });
        expect(active.status).toBe('active');
        expect((await core.getAccount(account.accountId)).status).toBe('active');
      });

      it('treats the same status again as a no-op', async () => {
        const account = await openAccount();
        const frozen = await core.changeAccountStatus(account.accountId, { status: 'frozen', reason: 'Review', changedBy: 'suite' });
        const again = await core.changeAccountStatus(account.accountId, { status: 'frozen', reason: 'Review again', changedBy: 'suite' });
        expect(again).toEqual(frozen);
      });

      it('closes an account at a zero balance, for good', async () => {
        const account = await openAccount();
        const closed = await core.changeAccountStatus(account.accountId, { status: 'closed', reason: 'Customer request', changedBy: 'suite' });
        expect(closed.status).toBe('closed');
        await expect(core.changeAccountStatus(account.accountId, { status: 'closed', reason: 'Again', changedBy: 'suite' })).resolves.toEqual(closed);
        for (const status of ['active', 'frozen'] as const) {
          await expect(core.changeAccountStatus(account.accountId, { status, reason: 'Reopen', changedBy: 'suite' })).rejects.toMatchObject({
            code: 'ACCOUNT_CLOSED',
            statusCode: 409,
          });
        }
        expect((await core.getAccount(account.accountId)).status).toBe('closed');
      });

      it('refuses to close an account that still holds money', async () => {
        const account = await openAccount();
        await postTo(account.accountId, credit(1));
        await expect(core.changeAccountStatus(account.accountId, { status: 'closed', reason: 'Close', changedBy: 'suite' })).rejects.toMatchObject({
          code: 'ACCOUNT_BALANCE_NOT_ZERO',
          statusCode: 409,
        });
        expect((await core.getAccount(account.accountId)).status).toBe('active');
      });
    });

    describe('postings and balances', () => {
      it('moves the ledger and available balances by each credit and debit', async () => {
        const account = await openAccount();
        const deposit = await postTo(account.accountId, { ...credit(10_000), reference: 'onb-42' });
        expect(deposit).toMatchObject({
          accountId: account.accountId,
          direction: 'credit',
          amount: usd(10_000),
          balanceAfter: usd(10_000),
          reference: 'onb-42',
        });
        const withdrawal = await postTo(account.accountId, debit(2_550));
        expect(withdrawal.balanceAfter).toEqual(usd(7_450));
        expect(withdrawal).not.toHaveProperty('reference');
        expect(await core.getBalance(account.accountId)).toMatchObject({
          accountId: account.accountId,
          ledgerBalance: usd(7_450),
          availableBalance: usd(7_450),
        });
      });

      it('refuses a debit beyond the available balance and leaves the balance as it was', async () => {
        const account = await openAccount();
        await postTo(account.accountId, credit(500));
        await expect(postTo(account.accountId, debit(501))).rejects.toMatchObject({ code: 'INSUFFICIENT_FUNDS', statusCode: 422 });
        expect(await ledgerOf(account.accountId)).toBe(500);
      });

      it('takes credits but refuses debits on a frozen account, whose available balance is zero', async () => {
        const account = await openAccount();
        await postTo(account.accountId, credit(500));
        await core.changeAccountStatus(account.accountId, { status: 'frozen', reason: 'Review', changedBy: 'suite' });
        await postTo(account.accountId, credit(100));
        await expect(postTo(account.accountId, debit(1))).rejects.toMatchObject({ code: 'ACCOUNT_FROZEN', statusCode: 409 });
        expect(await core.getBalance(account.accountId)).toMatchObject({ ledgerBalance: usd(600), availableBalance: usd(0) });
      });

      it('posts nothing to a closed account', async () => {
        const account = await openAccount();
        await core.changeAccountStatus(account.accountId, { status: 'closed', reason: 'Close', changedBy: 'suite' });
        await expect(postTo(account.accountId, credit(1))).rejects.toMatchObject({ code: 'ACCOUNT_CLOSED', statusCode: 409 });
        expect(await ledgerOf(account.accountId)).toBe(0);
      });

      it("refuses a posting in a currency other than the account's", async () => {
        const account = await openAccount();
        const posting = { direction: 'credit', amount: { amountMinor: 100, currency: 'EUR' }, description: 'Euros' } as const;
        await expect(postTo(account.accountId, posting)).rejects.toMatchObject({ code: 'CURRENCY_MISMATCH', statusCode: 422 });
        expect(await ledgerOf(account.accountId)).toBe(0);
      });

      it('answers a repeated posting with the same key and request without moving money twice', async () => {
        const account = await openAccount();
        const token = tokenFor('deposit 700');
        const first = await core.postTransaction(account.accountId, credit(700), token);
        const again = await core.postTransaction(account.accountId, credit(700), token);
        expect(again).toEqual({ value: first.value, replayed: true });
        expect(await ledgerOf(account.accountId)).toBe(700);
      });

      it('refuses the same posting key with a different request', async () => {
        const account = await openAccount();
        const key = randomUUID();
        await core.postTransaction(account.accountId, credit(700), tokenFor('deposit 700', key));
        await expect(core.postTransaction(account.accountId, credit(800), tokenFor('deposit 800', key))).rejects.toMatchObject({
          code: 'IDEMPOTENCY_KEY_REUSED',
          statusCode: 422,
        });
        expect(await ledgerOf(account.accountId)).toBe(700);
      });

      it('lets a refused posting be retried with the same key once it can succeed', async () => {
        const account = await openAccount();
        const token = tokenFor('withdraw 300');
        await expect(core.postTransaction(account.accountId, debit(300), token)).rejects.toMatchObject({ code: 'INSUFFICIENT_FUNDS' });
        await postTo(account.accountId, credit(300));
        const retried = await core.postTransaction(account.accountId, debit(300), token);
        expect(retried.replayed).toBe(false);
        expect(await ledgerOf(account.accountId)).toBe(0);
      });

      it('never overdraws an account when concurrent debits together exceed its balance', async () => {
        const account = await openAccount();
        await postTo(account.accountId, credit(1_000));
        const outcomes = await Promise.allSettled(Array.from({ length: 20 }, () => postTo(account.accountId, debit(100))));
        const posted = outcomes.filter((outcome) => outcome.status === 'fulfilled');
        const refused = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
        expect(posted).toHaveLength(10);
        expect(refused.map((outcome) => (outcome.reason as { code?: string }).code)).toEqual(Array(10).fill('INSUFFICIENT_FUNDS'));
        expect(await ledgerOf(account.accountId)).toBe(0);
      });
    });

    describe('transaction history', () => {
      it('pages through transactions newest first until the cursor runs out', async () => {
        const account = await openAccount();
        for (const amount of [1, 2, 3, 4, 5]) await postTo(account.accountId, credit(amount));
        const seen: number[] = [];
        let cursor: string | undefined;
        const cursors: Array<string | null> = [];
        do {
          const page = await core.listTransactions(account.accountId, { limit: 2, cursor });
          seen.push(...page.items.map((transaction) => transaction.amount.amountMinor));
          cursors.push(page.nextCursor);
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
        expect(seen).toEqual([5, 4, 3, 2, 1]);
        expect(cursors.map((value) => value === null)).toEqual([false, false, true]);
      });

      it('gives no next cursor when the last page is exactly full', async () => {
        const account = await openAccount();
        for (const amount of [1, 2]) await postTo(account.accountId, credit(amount));
        const page = await core.listTransactions(account.accountId, { limit: 2 });
        expect(page.items).toHaveLength(2);
        expect(page.nextCursor).toBeNull();
      });

      it('lists nothing for an account without transactions', async () => {
        const account = await openAccount();
        await expect(core.listTransactions(account.accountId, { limit: 20 })).resolves.toEqual({ items: [], nextCursor: null });
      });

      it('filters by UTC days and binds its cursors to the filter they were issued for', async () => {
        const account = await openAccount();
        for (const amount of [1, 2, 3]) await postTo(account.accountId, credit(amount));
        const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
        const around = { from: day(-1), to: day(1) };
        const first = await core.listTransactions(account.accountId, { ...around, limit: 2 });
        expect(first.items.map((transaction) => transaction.amount.amountMinor)).toEqual([3, 2]);
        const rest = await core.listTransactions(account.accountId, { ...around, limit: 2, cursor: first.nextCursor ?? undefined });
        expect(rest).toMatchObject({ items: [{ amount: usd(1) }], nextCursor: null });
        await expect(core.listTransactions(account.accountId, { from: day(1), limit: 2 })).resolves.toEqual({ items: [], nextCursor: null });
        await expect(core.listTransactions(account.accountId, { to: day(-1), limit: 2 })).resolves.toEqual({ items: [], nextCursor: null });
        await expect(core.listTransactions(account.accountId, { limit: 2, cursor: first.nextCursor ?? undefined })).rejects.toMatchObject({
          code: 'INVALID_CURSOR',
          statusCode: 400,
        });
      });

      it('refuses a cursor it did not issue', async () => {
        const account = await openAccount();
        await expect(core.listTransactions(account.accountId, { limit: 2, cursor: 'bm90LWEtY3Vyc29y' })).rejects.toMatchObject({
          code: 'INVALID_CURSOR',
          statusCode: 400,
        });
      });
    });
  });
}
