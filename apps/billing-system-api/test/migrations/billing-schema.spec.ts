import { randomUUID } from 'node:crypto';
import { buildTestApp, type TestApp } from '../helper';

/** The schema keeps the rules even for a write that bypasses the API (a bug, a manual fix). */
describe('billing schema', () => {
  let test: TestApp;
  let billingAccountId: string;
  beforeAll(async () => {
    test = await buildTestApp();
    const { rows } = await test.app.db.query<{ id: string }>(
      `INSERT INTO billing_accounts (customer_id, account_id, plan_code) VALUES ($1, $2, 'basic-checking') RETURNING id`,
      [randomUUID(), randomUUID()],
    );
    billingAccountId = rows[0].id;
  });
  afterAll(() => test.close());

  const paymentMethodInsert = (columns: Record<string, unknown>) => {
    const row = {
      billing_account_id: billingAccountId,
      routing_number: '021000021',
      account_number_encrypted: test.app.pii.encrypt('000123456789'),
      account_number_last_four: '6789',
      bank_account_fingerprint: randomUUID(),
      account_type: 'checking',
      holder_name: 'Ada Lovelace',
      ...columns,
    };
    const names = Object.keys(row);
    return test.app.db.query(
      `INSERT INTO payment_methods (${names.join(', ')}) VALUES (${names.map((_, index) => `$${index + 1}`).join(', ')})`,
      Object.values(row),
    );
  };

  it('seeds the fee catalogue', async () => {
    const { rows } = await test.app.db.query<{ plan_code: string }>('SELECT plan_code FROM fee_plans ORDER BY plan_code');
    expect(rows.map((row) => row.plan_code)).toEqual(['basic-checking', 'everyday-savings', 'premium-checking']);
  });

  it('keeps a fee plan’s monthly fee non-negative', async () => {
    await expect(
      test.app.db.query(
        `INSERT INTO fee_plans (plan_code, name, description, monthly_fee_minor, currency) VALUES ('refund-plan', 'Refund', '', -1, 'USD')`,
      ),
    ).rejects.toMatchObject({ code: '23514' });
  });

  it('refuses a closed billing account without a closing time', async () => {
    await expect(test.app.db.query(`UPDATE billing_accounts SET status = 'closed' WHERE id = $1`, [billingAccountId])).rejects.toMatchObject({
      code: '23514',
    });
  });

  it('refuses a billing account on a plan outside the catalogue', async () => {
    await expect(
      test.app.db.query(`INSERT INTO billing_accounts (customer_id, account_id, plan_code) VALUES ($1, $2, 'platinum')`, [
        randomUUID(),
        randomUUID(),
      ]),
    ).rejects.toMatchObject({ code: '23503' });
  });

  it.each([
    ['an account number stored in clear', { account_number_encrypted: '000123456789' }],
    ['a routing number that is not nine digits', { routing_number: '02100002X' }],
    ['a decided verification without a time', { status: 'verified' }],
    ['a reason on an unverified payment method', { verification_reason: 'R03' }],
    ['an account type the bank does not offer', { account_type: 'brokerage' }],
  ])('refuses a payment method with %s', async (_label, columns) => {
    await expect(paymentMethodInsert(columns)).rejects.toMatchObject({ code: '23514' });
  });

  it('takes a well-formed payment method, so the refusals above are about their one bad column', async () => {
    await expect(paymentMethodInsert({})).resolves.toMatchObject({ rowCount: 1 });
  });
});
