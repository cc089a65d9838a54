import { fromCobolTimestamp, ReasonCode, toCobolDate } from '@bartholomew/mainframe-codec';
import { isValidAccountNumber } from '../src/account-number';
import {
  addCustomer,
  bodyOf,
  customerAddRequest,
  GatewayTestClient,
  openAccount,
  post,
  startTestGateway,
  TIMESTAMP,
  type TestGateway,
} from './helper';

describe('the transactions of the core, over TCP against PostgreSQL', () => {
  let gw: TestGateway;
  let client: GatewayTestClient;
  beforeAll(async () => {
    gw = await startTestGateway();
    client = await GatewayTestClient.connect(gw.gateway.port);
  });
  afterAll(async () => {
    await client?.end();
    await gw?.close();
  });

  describe('CUSTADD and CUSTINQ', () => {
    it('adds a customer with a new customer number and gives it back by number and by tax id', async () => {
      const request = customerAddRequest({ custAddress: { ...customerAddRequest().custAddress, custAddrLine2: 'Apt 4' } });
      const added = await client.call('CUSTADD', request);

      expect(added).toMatchObject({ returnCode: 0, reasonCode: 0, sequenceNo: 1 });
      const customer = bodyOf(added);
      expect(customer.custId).toBeGreaterThanOrEqual(1_000_000_001);
      expect(customer).toMatchObject({
        custLegalName: 'Ada Lovelace',
        custBirthDate: 19900401,
        custTaxId: request.custTaxId,
        custAddress: request.custAddress,
      });
      expect(customer.custCreatedTs).toMatch(TIMESTAMP);
      expect(Math.abs(fromCobolTimestamp(customer.custCreatedTs).getTime() - Date.now())).toBeLessThan(60_000);

      const byNumber = await client.call('CUSTINQ', { inqSearchBy: 'C', inqCustId: customer.custId, inqTaxId: 0 });
      expect(byNumber).toMatchObject({ returnCode: 0, body: customer });
      const byTaxId = await client.call('CUSTINQ', { inqSearchBy: 'T', inqCustId: 0, inqTaxId: request.custTaxId });
      expect(byTaxId).toMatchObject({ returnCode: 0, body: customer });
    });

    it('keeps a tax id with leading zeros', async () => {
      const customer = await addCustomer(client, { custTaxId: 12_345_678 });
      const found = await client.call('CUSTINQ', { inqSearchBy: 'T', inqCustId: 0, inqTaxId: 12_345_678 });
      expect(found.body?.custId).toBe(customer.custId);
      expect(found.body?.custTaxId).toBe(12_345_678);
    });

    it('refuses a second customer with the same tax id (RC 8, 0803) and adds nothing', async () => {
      const first = await addCustomer(client);
      const again = await client.call('CUSTADD', customerAddRequest({ custTaxId: first.custTaxId, custLegalName: 'Someone Else' }));
      expect(again).toMatchObject({ returnCode: 8, reasonCode: ReasonCode.DUPLICATE_TAX_ID, retrySeconds: 0 });
      expect(again.body).toBeUndefined();
      const { rows } = await gw.gateway.db.query('SELECT count(*)::int AS n FROM customers WHERE legal_name = $1', ['Someone Else']);
      expect(rows[0].n).toBe(0);
    });

    it('answers an unknown customer number or tax id with RC 8, 0801', async () => {
      expect(await client.call('CUSTINQ', { inqSearchBy: 'C', inqCustId: 9_999_999_999, inqTaxId: 0 })).toMatchObject({
        returnCode: 8,
        reasonCode: 801,
      });
      expect(await client.call('CUSTINQ', { inqSearchBy: 'T', inqCustId: 0, inqTaxId: 1 })).toMatchObject({ returnCode: 8, reasonCode: 801 });
    });

    it('refuses values a field does not take with RC 12, 1205', async () => {
      for (const request of [
        customerAddRequest({ custLegalName: '   ' }),
        customerAddRequest({ custBirthDate: 19900231 }),
        customerAddRequest({ custTaxId: 0 }),
        customerAddRequest({ custAddress: { ...customerAddRequest().custAddress, custState: 'N1' } }),
      ]) {
        expect(await client.call('CUSTADD', request)).toMatchObject({ returnCode: 12, reasonCode: ReasonCode.INVALID_FIELD });
      }
      expect(await client.call('CUSTINQ', { inqSearchBy: 'X', inqCustId: 1, inqTaxId: 0 })).toMatchObject({ returnCode: 12, reasonCode: 1205 });
    });
  });

  describe('ACCTOPN and ACCTINQ', () => {
    it('opens an active account with a new key and an 11-digit Luhn account number, at a zero balance', async () => {
      const customer = await addCustomer(client);
      const answer = await client.call('ACCTOPN', { acctCustId: customer.custId, acctProduct: 'SAV', acctCurrency: 'USD' });

      expect(answer.returnCode).toBe(0);
      const account = bodyOf(answer);
      expect(account).toMatchObject({ acctCustId: customer.custId, acctProduct: 'SAV', acctCurrency: 'USD', acctStatus: 'A' });
      expect(account.acctId).toBeGreaterThanOrEqual(4_000_000_001);
      expect(isValidAccountNumber(String(account.acctNumber))).toBe(true);
      expect(account.acctOpenedTs).toMatch(TIMESTAMP);
      const balance = await client.call('ACCTBAL', { balAcctId: account.acctId });
      expect(balance.body).toMatchObject({ balCurrency: 'USD', balLedger: 0n, balAvailable: 0n });
      const inquiry = await client.call('ACCTINQ', { inqSearchBy: 'A', inqAcctId: account.acctId, inqCustId: 0, inqContinueKey: 0 });
      expect(inquiry.body).toMatchObject({ acctRowCount: 1, acctMoreFlag: 'N', acctContinueKey: 0 });
      expect(inquiry.body?.acctRow[0]).toEqual(account);
    });

    it('refuses an account for an unknown customer (0801) and an unknown product or currency (1205)', async () => {
      expect(await client.call('ACCTOPN', { acctCustId: 9_999_999_999, acctProduct: 'CHK', acctCurrency: 'USD' })).toMatchObject({
        returnCode: 8,
        reasonCode: 801,
      });
      const customer = await addCustomer(client);
      expect(await client.call('ACCTOPN', { acctCustId: customer.custId, acctProduct: 'MMA', acctCurrency: 'USD' })).toMatchObject({
        returnCode: 12,
        reasonCode: 1205,
      });
      expect(await client.call('ACCTOPN', { acctCustId: customer.custId, acctProduct: 'CHK', acctCurrency: 'us' })).toMatchObject({
        returnCode: 12,
        reasonCode: 1205,
      });
    });

    it("lists a customer's accounts oldest first, ten a page, continuing from the continue key", async () => {
      const customer = await addCustomer(client);
      const opened: number[] = [];
      for (let i = 0; i < 12; i += 1) opened.push((await openAccount(client, customer.custId)).acctId);

      const first = await client.call('ACCTINQ', { inqSearchBy: 'C', inqAcctId: 0, inqCustId: customer.custId, inqContinueKey: 0 });
      expect(first.body).toMatchObject({ acctRowCount: 10, acctMoreFlag: 'Y', acctContinueKey: opened[9] });
      expect(first.body?.acctRow.map((row) => row.acctId)).toEqual(opened.slice(0, 10));

      const second = await client.call('ACCTINQ', {
        inqSearchBy: 'C',
        inqAcctId: 0,
        inqCustId: customer.custId,
        inqContinueKey: bodyOf(first).acctContinueKey,
      });
      expect(second.body).toMatchObject({ acctRowCount: 2, acctMoreFlag: 'N', acctContinueKey: 0 });
      expect(second.body?.acctRow.slice(0, 2).map((row) => row.acctId)).toEqual(opened.slice(10));
      // The rows not filled are INITIALIZEd: zeros and spaces.
      expect(second.body?.acctRow[2]).toMatchObject({ acctId: 0, acctProduct: '' });
    });

    it('answers a customer without accounts with RC 0 and no rows; unknown keys with 0801/0802; a foreign continue key with 1204', async () => {
      const customer = await addCustomer(client);
      const none = await client.call('ACCTINQ', { inqSearchBy: 'C', inqAcctId: 0, inqCustId: customer.custId, inqContinueKey: 0 });
      expect(none).toMatchObject({ returnCode: 0, body: { acctRowCount: 0, acctMoreFlag: 'N' } });
      expect(await client.call('ACCTINQ', { inqSearchBy: 'C', inqAcctId: 0, inqCustId: 9_999_999_999, inqContinueKey: 0 })).toMatchObject({
        returnCode: 8,
        reasonCode: 801,
      });
      expect(await client.call('ACCTINQ', { inqSearchBy: 'A', inqAcctId: 9_999_999_999, inqCustId: 0, inqContinueKey: 0 })).toMatchObject({
        returnCode: 8,
        reasonCode: 802,
      });
      const other = await openAccount(client, (await addCustomer(client)).custId);
      expect(
        await client.call('ACCTINQ', { inqSearchBy: 'C', inqAcctId: 0, inqCustId: customer.custId, inqContinueKey: other.acctId }),
      ).toMatchObject({
        returnCode: 12,
        reasonCode: ReasonCode.INVALID_CONTINUE_KEY,
      });
    });
  });

  describe('ACCTSTS and ACCTBAL', () => {
    const update = (acctId: number, status: string) =>
      client.call('ACCTSTS', { acctId, acctNewStatus: status, stsReason: 'customer request', stsChangedBy: 'account-system-api' });

    it('freezes (available 0, credits only), reactivates and closes at zero, keeping the status history', async () => {
      const account = await openAccount(client, (await addCustomer(client)).custId);
      expect((await post(client, account.acctId, 'C', 5_000n)).returnCode).toBe(0);

      const frozen = await update(account.acctId, 'F');
      expect(frozen).toMatchObject({ returnCode: 0, body: { acctId: account.acctId, acctStatus: 'F' } });
      expect((await client.call('ACCTBAL', { balAcctId: account.acctId })).body).toMatchObject({ balLedger: 5_000n, balAvailable: 0n });
      expect(await post(client, account.acctId, 'D', 1n)).toMatchObject({ returnCode: 8, reasonCode: ReasonCode.ACCOUNT_FROZEN });
      expect((await post(client, account.acctId, 'C', 1n)).returnCode).toBe(0);

      expect(await update(account.acctId, 'F')).toMatchObject({ returnCode: 4, reasonCode: ReasonCode.NO_CHANGE, body: { acctStatus: 'F' } });
      expect(await update(account.acctId, 'C')).toMatchObject({ returnCode: 8, reasonCode: ReasonCode.BALANCE_NOT_ZERO });
      expect((await update(account.acctId, 'A')).body?.acctStatus).toBe('A');
      expect((await post(client, account.acctId, 'D', 5_001n)).returnCode).toBe(0);
      const closed = await update(account.acctId, 'C');
      expect(closed.body?.acctStatus).toBe('C');

      expect(await update(account.acctId, 'A')).toMatchObject({ returnCode: 8, reasonCode: ReasonCode.ACCOUNT_CLOSED });
      expect(await post(client, account.acctId, 'C', 1n)).toMatchObject({ returnCode: 8, reasonCode: ReasonCode.ACCOUNT_CLOSED });
      const { rows } = await gw.gateway.db.query(
        'SELECT from_status, to_status, changed_by FROM account_status_history WHERE acct_id = $1 ORDER BY id',
        [account.acctId],
      );
      expect(rows.map((row) => `${row.from_status}>${row.to_status}`)).toEqual(['A>F', 'F>A', 'A>C']);
      expect(rows[0].changed_by).toBe('account-system-api');
    });

    it('answers an unknown account with 0802 and a status it does not know with 1205', async () => {
      expect(await update(9_999_999_999, 'F')).toMatchObject({ returnCode: 8, reasonCode: 802 });
      expect(await client.call('ACCTBAL', { balAcctId: 9_999_999_999 })).toMatchObject({ returnCode: 8, reasonCode: 802 });
      const account = await openAccount(client, (await addCustomer(client)).custId);
      expect(await update(account.acctId, 'X')).toMatchObject({ returnCode: 12, reasonCode: 1205 });
    });
  });

  describe('TXNPOST and TXNHIST', () => {
    it('posts credits and debits with rising posting numbers and the balance after each', async () => {
      const account = await openAccount(client, (await addCustomer(client)).custId);
      const credit = await post(client, account.acctId, 'C', 12_345n);
      expect(credit.body).toMatchObject({
        txnAcctId: account.acctId,
        txnDirection: 'C',
        txnAmount: 12_345n,
        txnCurrency: 'USD',
        txnBalanceAfter: 12_345n,
      });
      expect(credit.body?.txnPostedTs).toMatch(TIMESTAMP);
      const debit = await post(client, account.acctId, 'D', 345n);
      expect(debit.body?.txnBalanceAfter).toBe(12_000n);
      expect(bodyOf(debit).txnId).toBeGreaterThan(bodyOf(credit).txnId);
      expect((await client.call('ACCTBAL', { balAcctId: account.acctId })).body).toMatchObject({ balLedger: 12_000n, balAvailable: 12_000n });
    });

    it('refuses what the ledger does not allow, changing nothing', async () => {
      const account = await openAccount(client, (await addCustomer(client)).custId);
      await post(client, account.acctId, 'C', 100n);
      expect(await post(client, account.acctId, 'D', 101n)).toMatchObject({ returnCode: 8, reasonCode: ReasonCode.INSUFFICIENT_FUNDS });
      expect(await post(client, account.acctId, 'C', 1n, 'EUR')).toMatchObject({ returnCode: 8, reasonCode: ReasonCode.CURRENCY_MISMATCH });
      expect(await post(client, account.acctId, 'C', 9_007_199_254_740_991n)).toMatchObject({ returnCode: 8, reasonCode: ReasonCode.BALANCE_LIMIT });
      expect(await post(client, 9_999_999_999, 'C', 1n)).toMatchObject({ returnCode: 8, reasonCode: ReasonCode.ACCOUNT_NOT_FOUND });
      expect(await post(client, account.acctId, 'C', 0n)).toMatchObject({ returnCode: 12, reasonCode: ReasonCode.INVALID_FIELD });
      expect(await post(client, account.acctId, 'X' as 'C', 1n)).toMatchObject({ returnCode: 12, reasonCode: ReasonCode.INVALID_FIELD });
      expect((await client.call('ACCTBAL', { balAcctId: account.acctId })).body?.balLedger).toBe(100n);
      const { rows } = await gw.gateway.db.query('SELECT count(*)::int AS n FROM postings WHERE acct_id = $1', [account.acctId]);
      expect(rows[0].n).toBe(1);
    });

    it('pages the history newest first, continuing from the continue key, and filters by day', async () => {
      const account = await openAccount(client, (await addCustomer(client)).custId);
      const posted: number[] = [];
      for (let i = 1; i <= 5; i += 1) posted.push(bodyOf(await post(client, account.acctId, 'C', BigInt(i * 100))).txnId);
      const history = (maxRows: number, continueKey = 0, from = 0, to = 0) =>
        client.call('TXNHIST', {
          histAcctId: account.acctId,
          histFromDate: from,
          histToDate: to,
          histMaxRows: maxRows,
          histContinueKey: continueKey,
        });

      const first = await history(2);
      expect(first.body).toMatchObject({ histRowCount: 2, histMoreFlag: 'Y', histContinueKey: posted[3] });
      expect(first.body?.histRow.slice(0, 2)).toMatchObject([
        {
          histTxnId: posted[4],
          histDirection: 'C',
          histAmount: 500n,
          histBalanceAfter: 1_500n,
          histCurrency: 'USD',
          histDescription: 'credit of 500',
        },
        { histTxnId: posted[3], histAmount: 400n, histBalanceAfter: 1_000n },
      ]);
      const second = await history(2, bodyOf(first).histContinueKey);
      expect(second.body?.histRow.slice(0, 2).map((row) => row.histTxnId)).toEqual([posted[2], posted[1]]);
      const last = await history(2, bodyOf(second).histContinueKey);
      expect(last.body).toMatchObject({ histRowCount: 1, histMoreFlag: 'N', histContinueKey: 0 });
      expect(last.body?.histRow[0].histTxnId).toBe(posted[0]);

      const today = new Date().toISOString().slice(0, 10);
      const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
      expect((await history(20, 0, toCobolDate(today), toCobolDate(today))).body?.histRowCount).toBe(5);
      expect((await history(20, 0, 0, toCobolDate(yesterday))).body?.histRowCount).toBe(0);
    });

    it('refuses a continue key of another account (1204), a row count out of 1..20 or an impossible day (1205), an unknown account (0802)', async () => {
      const account = await openAccount(client, (await addCustomer(client)).custId);
      const other = await openAccount(client, (await addCustomer(client)).custId);
      const foreign = bodyOf(await post(client, other.acctId, 'C', 1n)).txnId;
      const request = { histAcctId: account.acctId, histFromDate: 0, histToDate: 0, histMaxRows: 20, histContinueKey: 0 };
      expect(await client.call('TXNHIST', { ...request, histContinueKey: foreign })).toMatchObject({ returnCode: 12, reasonCode: 1204 });
      expect(await client.call('TXNHIST', { ...request, histMaxRows: 0 })).toMatchObject({ returnCode: 12, reasonCode: 1205 });
      expect(await client.call('TXNHIST', { ...request, histMaxRows: 21 })).toMatchObject({ returnCode: 12, reasonCode: 1205 });
      expect(await client.call('TXNHIST', { ...request, histFromDate: 20260230 })).toMatchObject({ returnCode: 12, reasonCode: 1205 });
      expect(await client.call('TXNHIST', { ...request, histFromDate: 20260302, histToDate: 20260301 })).toMatchObject({
        returnCode: 12,
        reasonCode: 1205,
      });
      expect(await client.call('TXNHIST', { ...request, histAcctId: 9_999_999_999 })).toMatchObject({ returnCode: 8, reasonCode: 802 });
      expect(await client.call('TXNHIST', request)).toMatchObject({ returnCode: 0, body: { histRowCount: 0, histMoreFlag: 'N' } });
    });
  });
});
