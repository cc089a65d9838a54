import { randomUUID } from 'node:crypto';
import { openDatabase, PiiVault, runMigrations, type Database, type DbLogger } from '@bartholomew/platform';
import { createTestDatabase, type TestDatabase } from '@bartholomew/testing';
import { isValidAccountNumber } from '../../src/domain/account-number';
import { PostgresCoreBanking } from '../../src/core-banking/postgres-core-banking';
import { migrations } from '../../src/migrations';
import { customerRequest, TEST_PII_KEY } from '../helper';
import { describeCoreBankingContract } from './core-banking-contract';

const quiet: DbLogger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

async function startPostgresBackend(): Promise<{ database: TestDatabase; db: Database; pii: PiiVault }> {
  const database = await createTestDatabase();
  const db = await openDatabase({ databaseUrl: database.url, dataDir: '.data', databaseName: database.name, log: quiet });
  await runMigrations(db, migrations, quiet);
  return { database, db, pii: new PiiVault(Buffer.from(TEST_PII_KEY, 'base64')) };
}

describeCoreBankingContract('Postgres', async () => {
  const { database, db, pii } = await startPostgresBackend();
  return {
    coreBanking: new PostgresCoreBanking(db, pii),
    close: async () => {
      await db.close();
      await database.drop();
    },
  };
});

describe('PostgresCoreBanking storage', () => {
  let backend: Awaited<ReturnType<typeof startPostgresBackend>>;
  beforeAll(async () => {
    backend = await startPostgresBackend();
  });
  afterAll(async () => {
    await backend.db.close();
    await backend.database.drop();
  });

  const token = () => ({ scope: 'storage-test', key: randomUUID(), requestHash: randomUUID() });

  it('stores the SSN and the account number encrypted, never in the clear', async () => {
    const { db, pii } = backend;
    const core = new PostgresCoreBanking(db, pii);
    const customer = (await core.createCustomer(customerRequest({ taxId: '246-80-1357' }), token())).value;
    const account = (await core.openAccount({ customerId: customer.customerId, productType: 'checking', currency: 'USD' }, token())).value;

    const customerRow = (await db.query('SELECT * FROM customers WHERE id = $1', [customer.customerId])).rows[0];
    const accountRow = (await db.query('SELECT * FROM accounts WHERE id = $1', [account.accountId])).rows[0];
    expect(JSON.stringify(customerRow)).not.toMatch(/246-?80-?1357/);
    expect(pii.decrypt(customerRow.tax_id_encrypted)).toBe('246801357');

    const accountNumber = pii.decrypt(accountRow.account_number_encrypted);
    expect(isValidAccountNumber(accountNumber)).toBe(true);
    expect(account.accountNumberMasked).toBe(`\u2022\u2022\u2022${accountNumber.slice(-4)}`);
    expect(JSON.stringify(accountRow)).not.toContain(accountNumber);
  });

  it('draws another account number when the drawn one is already taken', async () => {
    const { db, pii } = backend;
    const draws = ['79927398713', '79927398713', '12345678903'];
    const core = new PostgresCoreBanking(db, pii, { drawAccountNumber: () => draws.shift() as string });
    const customer = (await core.createCustomer(customerRequest(), token())).value;
    const open = () => core.openAccount({ customerId: customer.customerId, productType: 'checking', currency: 'USD' }, token());
    const first = (await open()).value;
    const second = (await open()).value;
    expect(first.accountNumberMasked).toBe('\u2022\u2022\u20228713');
    expect(second.accountNumberMasked).toBe('\u2022\u2022\u20228903');
    expect(draws).toEqual([]);
  });

  it('keeps who changed an account status, when and why', async () => {
    const { db, pii } = backend;
    const core = new PostgresCoreBanking(db, pii);
    const customer = (await core.createCustomer(customerRequest(), token())).value;
    const account = (await core.openAccount({ customerId: customer.customerId, productType: 'checking', currency: 'USD' }, token())).value;
    await core.changeAccountStatus(account.accountId, { status: 'frozen', reason: 'Fraud review', changedBy: 'ops-console' });
    await core.changeAccountStatus(account.accountId, { status: 'frozen', reason: 'No-op', changedBy: 'ops-console' });
    const { rows } = await db.query('SELECT from_status, to_status, reason, changed_by FROM account_status_changes WHERE account_id = $1', [
      account.accountId,
    ]);
    expect(rows).toEqual([{ from_status: 'active', to_status: 'frozen', reason: 'Fraud review', changed_by: 'ops-console' }]);
  });

  it('maps only the SSN uniqueness violation: other database errors pass through unmapped', async () => {
    const { db, pii } = backend;
    const core = new PostgresCoreBanking(db, pii);
    // A phone the contract would refuse, slipped past it: the CHECK constraint fails, not the SSN key.
    const error = await core.createCustomer(customerRequest({ phone: 'not-a-phone' }), token()).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: '23514' });
    expect(error).not.toMatchObject({ code: 'CUSTOMER_ALREADY_EXISTS' });
  });
});
