import {
  buildTestApp,
  createCustomer,
  getJson,
  newIdempotencyKey,
  onPostgres,
  openAccount,
  post,
  postJson,
  PROBLEM_JSON,
  UNKNOWN_ID,
  type TestApp,
} from '../helper';

describe('account routes', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await buildTestApp();
  });
  afterAll(() => testApp.close());

  const open = (body: unknown, key = newIdempotencyKey()) => postJson(testApp.app, '/v1/accounts', body, { 'idempotency-key': key });
  const changeStatus = (accountId: string, status: string, reason = 'Requested by operations') =>
    postJson(testApp.app, `/v1/accounts/${accountId}/status`, { status, reason });

  describe('POST /v1/accounts', () => {
    it('opens an active checking account (201) showing only the last four digits of its number', async () => {
      const customer = await createCustomer(testApp.app);
      const res = await open({ customerId: customer.customerId, productType: 'checking', currency: 'USD' });
      expect(res.statusCode).toBe(201);
      expect(res.json()).toEqual({
        accountId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        customerId: customer.customerId,
        accountNumberMasked: expect.stringMatching(/^\u2022{3}[0-9]{4}$/),
        productType: 'checking',
        currency: 'USD',
        status: 'active',
        openedAt: expect.any(String),
        statusChangedAt: expect.any(String),
      });
    });

    it('refuses to open an account for an unknown customer (422 CUSTOMER_NOT_FOUND)', async () => {
      const res = await open({ customerId: UNKNOWN_ID, productType: 'savings', currency: 'USD' });
      expect(res.statusCode).toBe(422);
      expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(res.json()).toMatchObject({ code: 'CUSTOMER_NOT_FOUND' });
    });

    it('refuses a currency other than USD and an unknown product (400)', async () => {
      const customer = await createCustomer(testApp.app);
      for (const body of [
        { customerId: customer.customerId, productType: 'checking', currency: 'EUR' },
        { customerId: customer.customerId, productType: 'brokerage', currency: 'USD' },
      ]) {
        const res = await open(body);
        expect(res.statusCode).toBe(400);
        expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
      }
    });

    it('replays the first answer to the same key and body, and refuses the key with another body (422)', async () => {
      const customer = await createCustomer(testApp.app);
      const body = { customerId: customer.customerId, productType: 'checking', currency: 'USD' };
      const key = newIdempotencyKey();
      const first = await open(body, key);
      const again = await open(body, key);
      expect(again.statusCode).toBe(201);
      expect(again.body).toBe(first.body);
      expect(again.headers['idempotent-replayed']).toBe('true');

      const reused = await open({ ...body, productType: 'savings' }, key);
      expect(reused.statusCode).toBe(422);
      expect(reused.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    });

    it('opens exactly one account when twenty requests with one key arrive at once', async () => {
      const customer = await createCustomer(testApp.app);
      const body = { customerId: customer.customerId, productType: 'checking', currency: 'USD' };
      const key = newIdempotencyKey();
      const answers = await Promise.all(Array.from({ length: 20 }, () => open(body, key)));
      expect(answers.map((res) => res.statusCode)).toEqual(Array(20).fill(201));
      expect(new Set(answers.map((res) => res.json().accountId)).size).toBe(1);
      expect(answers.filter((res) => res.headers['idempotent-replayed'] === 'true')).toHaveLength(19);
      expect((await getJson(testApp.app, `/v1/customers/${customer.customerId}/accounts`)).json().items).toHaveLength(1);
      // The Postgres ledger's own table, read directly; the mainframe's accounts live in the core.
      if (onPostgres) {
        const { rows } = await testApp.app.db.query('SELECT count(*)::int AS n FROM accounts WHERE customer_id = $1', [customer.customerId]);
        expect(rows[0].n).toBe(1);
      }
    });

    it('keeps the idempotency keys of different callers apart', async () => {
      const customer = await createCustomer(testApp.app);
      const key = newIdempotencyKey();
      const body = { customerId: customer.customerId, productType: 'checking', currency: 'USD' };
      const asProcess = await open(body, key);
      const asOperator = await postJson(testApp.app, '/v1/accounts', body, {
        'idempotency-key': key,
        'x-service-credential': 'ops-console.operator-secret-0123456789',
      });
      expect(asOperator.statusCode).toBe(201);
      expect(asOperator.json().accountId).not.toBe(asProcess.json().accountId);
    });
  });

  describe('GET /v1/accounts/{accountId}', () => {
    it('reads an account back (200)', async () => {
      const account = await openAccount(testApp.app);
      const res = await getJson(testApp.app, `/v1/accounts/${account.accountId}`);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual(account);
    });

    it('answers 404 ACCOUNT_NOT_FOUND for an unknown account and 400 for a malformed id', async () => {
      const unknown = await getJson(testApp.app, `/v1/accounts/${UNKNOWN_ID}`);
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json()).toMatchObject({ code: 'ACCOUNT_NOT_FOUND' });
      const malformed = await getJson(testApp.app, '/v1/accounts/not-a-uuid');
      expect(malformed.statusCode).toBe(400);
    });
  });

  describe('GET /v1/customers/{customerId}/accounts', () => {
    it("lists a customer's accounts oldest first (200)", async () => {
      const customer = await createCustomer(testApp.app);
      const first = await openAccount(testApp.app, customer.customerId);
      const second = await openAccount(testApp.app, customer.customerId);
      await openAccount(testApp.app); // someone else's
      const res = await getJson(testApp.app, `/v1/customers/${customer.customerId}/accounts`);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ items: [first, second] });
    });

    it('answers an empty list for a customer without accounts, and 404 for an unknown customer', async () => {
      const customer = await createCustomer(testApp.app);
      expect((await getJson(testApp.app, `/v1/customers/${customer.customerId}/accounts`)).json()).toEqual({ items: [] });
      const unknown = await getJson(testApp.app, `/v1/customers/${UNKNOWN_ID}/accounts`);
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json()).toMatchObject({ code: 'CUSTOMER_NOT_FOUND' });
    });
  });

  describe('POST /v1/accounts/{accountId}/status', () => {
    it('freezes an account (200) and treats freezing it again as a no-op (200)', async () => {
      const account = await openAccount(testApp.app);
      const frozen = await changeStatus(account.accountId, 'frozen');
      expect(frozen.statusCode).toBe(200);
      expect(frozen.json()).toMatchObject({ accountId: account.accountId, status: 'frozen' });
      const again = await changeStatus(account.accountId, 'frozen', 'Still under review');
      expect(again.statusCode).toBe(200);
      expect(again.json()).toEqual(frozen.json());
    });

    it('refuses to close an account holding money (409 ACCOUNT_BALANCE_NOT_ZERO)', async () => {
      const account = await openAccount(testApp.app);
      await post(testApp.app, account.accountId, 'credit', 100);
      const res = await changeStatus(account.accountId, 'closed');
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({ code: 'ACCOUNT_BALANCE_NOT_ZERO' });
    });

    it('closes an empty account (200) and never reopens it (409 ACCOUNT_CLOSED)', async () => {
      const account = await openAccount(testApp.app);
      expect((await changeStatus(account.accountId, 'closed')).json()).toMatchObject({ status: 'closed' });
      const reopened = await changeStatus(account.accountId, 'active');
      expect(reopened.statusCode).toBe(409);
      expect(reopened.json()).toMatchObject({ code: 'ACCOUNT_CLOSED' });
      expect((await getJson(testApp.app, `/v1/accounts/${account.accountId}`)).json().status).toBe('closed');
    });

    it('answers 404 for an unknown account and 400 for an unknown status or a missing reason', async () => {
      expect((await changeStatus(UNKNOWN_ID, 'frozen')).statusCode).toBe(404);
      const account = await openAccount(testApp.app);
      expect((await changeStatus(account.accountId, 'dormant')).statusCode).toBe(400);
      const noReason = await postJson(testApp.app, `/v1/accounts/${account.accountId}/status`, { status: 'frozen' });
      expect(noReason.statusCode).toBe(400);
      expect((await getJson(testApp.app, `/v1/accounts/${account.accountId}`)).json().status).toBe('active');
    });
  });

  describe('GET /v1/accounts/{accountId}/balance', () => {
    it('answers the ledger and available balances in minor units (200)', async () => {
      const account = await openAccount(testApp.app);
      await post(testApp.app, account.accountId, 'credit', 12_550);
      const res = await getJson(testApp.app, `/v1/accounts/${account.accountId}/balance`);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({
        accountId: account.accountId,
        ledgerBalance: { amountMinor: 12_550, currency: 'USD' },
        availableBalance: { amountMinor: 12_550, currency: 'USD' },
        asOf: expect.any(String),
      });
    });

    it('shows nothing available on a frozen account', async () => {
      const account = await openAccount(testApp.app);
      await post(testApp.app, account.accountId, 'credit', 500);
      await changeStatus(account.accountId, 'frozen');
      const balance = (await getJson(testApp.app, `/v1/accounts/${account.accountId}/balance`)).json();
      expect(balance.ledgerBalance.amountMinor).toBe(500);
      expect(balance.availableBalance.amountMinor).toBe(0);
    });

    it('answers 404 ACCOUNT_NOT_FOUND for an unknown account', async () => {
      const res = await getJson(testApp.app, `/v1/accounts/${UNKNOWN_ID}/balance`);
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ code: 'ACCOUNT_NOT_FOUND' });
    });
  });
});
