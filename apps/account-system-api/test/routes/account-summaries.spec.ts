import { buildTestApp, createCustomer, getJson, openAccount, post, PROBLEM_JSON, UNKNOWN_ID, type TestApp } from '../helper';

/** `GET /v1/customers/{customerId}/account-summaries`: a customer overview's accounts in one call. */
describe('GET /v1/customers/{customerId}/account-summaries', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await buildTestApp();
  });
  afterAll(() => testApp.close());

  const summaries = (customerId: string, query = '') => getJson(testApp.app, `/v1/customers/${customerId}/account-summaries${query}`);

  it('answers each account with the balance and the latest postings its own routes give, oldest account first', async () => {
    const customer = await createCustomer(testApp.app);
    const first = await openAccount(testApp.app, customer.customerId);
    const second = await openAccount(testApp.app, customer.customerId);
    for (let amount = 1; amount <= 7; amount++) await post(testApp.app, first.accountId, 'credit', amount * 100);
    await post(testApp.app, second.accountId, 'credit', 4_200);

    const res = await summaries(customer.customerId);
    expect(res.statusCode).toBe(200);
    const items = res.json().items as Array<{ account: { accountId: string }; balance: unknown; recentTransactions: unknown[] }>;
    expect(items.map((item) => item.account.accountId)).toEqual([first.accountId, second.accountId]);
    for (const item of items) {
      const { accountId } = item.account;
      expect(item.account).toEqual((await getJson(testApp.app, `/v1/accounts/${accountId}`)).json());
      expect(item.balance).toEqual({ ...(await getJson(testApp.app, `/v1/accounts/${accountId}/balance`)).json(), asOf: expect.any(String) });
      // Five by default, newest first: the first page of the account's history.
      const history = (await getJson(testApp.app, `/v1/accounts/${accountId}/transactions?limit=5`)).json();
      expect(item.recentTransactions).toEqual(history.items);
    }
    expect(items[0].recentTransactions).toHaveLength(5);
    expect(items[0].balance).toMatchObject({ ledgerBalance: { amountMinor: 2_800, currency: 'USD' } });
  });

  it('carries as many postings as asked, none with 0, and refuses more than 20 (400)', async () => {
    const customer = await createCustomer(testApp.app);
    const account = await openAccount(testApp.app, customer.customerId);
    for (let amount = 1; amount <= 3; amount++) await post(testApp.app, account.accountId, 'credit', amount * 100);
    expect((await summaries(customer.customerId, '?recentTransactions=2')).json().items[0].recentTransactions).toHaveLength(2);
    expect((await summaries(customer.customerId, '?recentTransactions=0')).json().items[0].recentTransactions).toEqual([]);
    const tooMany = await summaries(customer.customerId, '?recentTransactions=21');
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.headers['content-type']).toMatch(PROBLEM_JSON);
  });

  it('answers an empty list for a customer without accounts, and 404 CUSTOMER_NOT_FOUND for an unknown one', async () => {
    const customer = await createCustomer(testApp.app);
    expect((await summaries(customer.customerId)).json()).toEqual({ items: [] });
    const unknown = await summaries(UNKNOWN_ID);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ code: 'CUSTOMER_NOT_FOUND' });
  });
});

/** `GET /v1/customers/{customerId}/relationship`: the customer and the account summaries in one call. */
describe('GET /v1/customers/{customerId}/relationship', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await buildTestApp();
  });
  afterAll(() => testApp.close());

  const relationship = (customerId: string, query = '') => getJson(testApp.app, `/v1/customers/${customerId}/relationship${query}`);

  it('answers the customer as GET /v1/customers/{id} does, and the accounts as account-summaries does', async () => {
    const customer = await createCustomer(testApp.app);
    const first = await openAccount(testApp.app, customer.customerId);
    const second = await openAccount(testApp.app, customer.customerId);
    for (let amount = 1; amount <= 3; amount++) await post(testApp.app, first.accountId, 'credit', amount * 100);

    const res = await relationship(customer.customerId, '?recentTransactions=2');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.customer).toEqual((await getJson(testApp.app, `/v1/customers/${customer.customerId}`)).json());
    const summaries = (await getJson(testApp.app, `/v1/customers/${customer.customerId}/account-summaries?recentTransactions=2`)).json();
    const withoutAsOf = (items: Array<{ balance: object }>) => items.map((item) => ({ ...item, balance: { ...item.balance, asOf: 'now' } }));
    expect(withoutAsOf(body.accounts)).toEqual(withoutAsOf(summaries.items));
    expect(body.accounts.map((item: { account: { accountId: string } }) => item.account.accountId)).toEqual([first.accountId, second.accountId]);
    expect(body.accounts[0].recentTransactions).toHaveLength(2);
  });

  it('answers a customer without accounts with none, 404 CUSTOMER_NOT_FOUND for an unknown one, and 400 for a bad count', async () => {
    const customer = await createCustomer(testApp.app);
    expect((await relationship(customer.customerId)).json()).toMatchObject({ customer: { customerId: customer.customerId }, accounts: [] });
    const unknown = await relationship(UNKNOWN_ID);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ code: 'CUSTOMER_NOT_FOUND' });
    const tooMany = await relationship(customer.customerId, '?recentTransactions=21');
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.headers['content-type']).toMatch(PROBLEM_JSON);
  });
});
