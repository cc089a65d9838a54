import pg from 'pg';
import type { CustomerOverview, Onboarding } from '@bartholomew/contracts-onboarding-process';
import { startSmtpSink, type SmtpSink } from '@bartholomew/testing';
import { application, buildTestApp, expectProblem, isFinal, startOnboarding, waitForOnboarding, type TestApp } from '../helper';
import { startSystemApis, type SystemApis } from '../support/system-apis';

/**
 * `GET /v1/customers`: the end user's customers, each with its overview, in one call — against the
 * REAL account and billing System APIs, with customers made by the real workflow.
 */
describe('GET /v1/customers', () => {
  let systems: SystemApis;
  let smtp: SmtpSink;
  let test: TestApp;
  let sql: pg.Pool;
  /** user-many's customers, newest first (the order the listing promises). */
  let manyCustomers: string[];
  let graceCustomer: string;

  const completed = async (endUser: string): Promise<Onboarding> => {
    const done = await waitForOnboarding(test, (await startOnboarding(test, application(), endUser)).id, isFinal);
    expect(done.status).toBe('completed');
    return done;
  };
  const list = (query = '', endUser: string | null = 'user-many') => test.call({ url: `/v1/customers${query}`, endUser });
  const customerIds = (body: { items: CustomerOverview[] }) => body.items.map((item) => item.customer.customerId);

  beforeAll(async () => {
    systems = await startSystemApis();
    smtp = await startSmtpSink();
    test = await buildTestApp(systems, { env: { SMTP_URL: smtp.url } });
    sql = new pg.Pool({ connectionString: test.database.url, max: 2 });
    sql.on('error', () => undefined);
    const [mine, grace] = await Promise.all([Promise.all([1, 2, 3, 4].map(() => completed('user-many'))), completed('user-grace')]);
    graceCustomer = String(grace.customerId);
    // A returning customer: the fourth onboarding is recorded as having reused the first one's customer.
    const [first, , , returning] = [...mine].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
    await sql.query('UPDATE onboardings SET customer_id = $2 WHERE onboarding_id = $1', [returning.id, first.customerId]);
    const byNewest = mine
      .filter((onboarding) => onboarding.id !== returning.id)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || String(b.customerId).localeCompare(String(a.customerId)));
    manyCustomers = byNewest.map((onboarding) => String(onboarding.customerId));
  }, 90_000);
  afterAll(async () => {
    await sql?.end();
    await test?.close();
    await smtp?.close();
    await systems?.close();
  });

  it('answers the end user’s customers, newest first and each once, with the same overview the single read gives', async () => {
    const res = await list('?limit=20');
    expect(res.statusCode).toBe(200);
    expect(customerIds(res.json())).toEqual(manyCustomers);
    expect(res.json().nextCursor).toBeNull();
    for (const item of res.json().items as CustomerOverview[]) {
      const single: CustomerOverview = (
        await test.call({
          url: `/v1/customers/${item.customer.customerId}/overview`,
          endUser: 'user-many',
        })
      ).json();
      expect(item.customer).toEqual(single.customer);
      expect(item.accounts.map((account) => [account.accountId, account.ledgerBalance])).toEqual(
        single.accounts.map((account) => [account.accountId, account.ledgerBalance]),
      );
      expect(item.billingAccounts).toEqual(single.billingAccounts);
      expect(item.accounts).toHaveLength(1);
      expect(item.billingAccounts).toHaveLength(1);
      expect(item.unavailable).toEqual([]);
    }
  });

  it('pages through the customers with the cursor it hands out, without repeats or gaps', async () => {
    const pages: string[][] = [];
    let cursor: string | null = null;
    do {
      const res = await list(`?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode).toBe(200);
      pages.push(customerIds(res.json()));
      cursor = res.json().nextCursor;
    } while (cursor);
    expect(pages).toEqual([manyCustomers.slice(0, 2), manyCustomers.slice(2)]);
    // Ten a page unless told otherwise.
    expect(customerIds((await list()).json())).toEqual(manyCustomers);
  });

  it('never shows one end user’s customers to another, even with the other’s cursor', async () => {
    expect(customerIds((await list('', 'user-grace')).json())).toEqual([graceCustomer]);
    expect((await list('', 'user-nobody')).json()).toEqual({
      items: [],
      nextCursor: null,
    });
    const cursor = (await list('?limit=1')).json().nextCursor;
    const withForeignCursor = (await list(`?cursor=${cursor}`, 'user-grace')).json();
    expect(customerIds(withForeignCursor).filter((id) => manyCustomers.includes(id))).toEqual([]);
    // An operator lists exactly the end user it names.
    expect(
      customerIds(
        (
          await test.call({
            url: '/v1/customers',
            as: 'operator',
            endUser: 'user-grace',
          })
        ).json(),
      ),
    ).toEqual([graceCustomer]);
  });

  it('refuses a cursor it did not issue, one of the onboarding listing, and more than twenty a page (400)', async () => {
    expectProblem(await list('?cursor=bm9wZQ'), 400, 'INVALID_CURSOR');
    const onboardingCursor = (
      await test.call({
        url: '/v1/onboardings?owner=user-many&limit=1',
        endUser: 'user-many',
      })
    ).json().nextCursor;
    expect(onboardingCursor).toEqual(expect.any(String));
    expectProblem(await list(`?cursor=${onboardingCursor}`), 400, 'INVALID_CURSOR');
    const outOfRange = Buffer.from(`customers|-271821-04-20T00:00:00.000Z|${manyCustomers[0]}`).toString('base64url');
    expectProblem(await list(`?cursor=${outOfRange}`), 400, 'INVALID_CURSOR');
    expectProblem(await list('?limit=21'), 400, 'VALIDATION_FAILED');
    expectProblem(await list('?owner=user-grace'), 400, 'VALIDATION_FAILED');
  });

  it('needs the end user it lists for, from every caller', async () => {
    expectProblem(await list('', null), 400, 'END_USER_REQUIRED');
    expectProblem(await test.call({ url: '/v1/customers', as: 'operator', endUser: null }), 400, 'END_USER_REQUIRED');
  });
  it('names each billing account’s plan from the fee plans it already holds: no call to billing per plan', async () => {
    const billingReads = () =>
      systems.billing.logs
        .records()
        .filter((record) => record.msg === 'request completed')
        .map((record) => String((record.req as { url?: string } | undefined)?.url ?? ''))
        .filter((url) => url.startsWith('/v1/fee-plans'));
    const before = billingReads().length;
    const answer = await list('?limit=20');
    expect(answer.statusCode).toBe(200);
    const plans = answer.json().items.flatMap((item: CustomerOverview) => item.billingAccounts.map((account) => account.plan.name));
    expect(plans.length).toBeGreaterThan(0);
    for (const name of plans) expect(name).toMatch(/\S/);
    // At most one read of the whole list (the shared fee plans may have expired), never one per plan.
    expect(
      billingReads()
        .slice(before)
        .filter((url) => url !== '/v1/fee-plans'),
    ).toEqual([]);
    expect(billingReads().length - before).toBeLessThanOrEqual(1);
  });
});
