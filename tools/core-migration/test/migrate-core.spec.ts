import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import pg from 'pg';
import { accountSystem, AccountSystemConfigSchema } from '@bartholomew/account-system-api';
import { loadGatewayConfig, startGateway, type RunningGateway } from '@bartholomew/core-banking-gateway';
import { loadConfig, PiiVault, serviceServerOptions, type DbLogger } from '@bartholomew/platform';
import { createTestDatabase, type TestDatabase } from '@bartholomew/testing';
import { runCli } from '../src/cli';

/**
 * The move to the cloud core, end to end: a real core-banking gateway and the real account System
 * API on its mainframe backend, filled through HTTP; the migration into a fresh ledger; then the
 * account System API on its Postgres backend over that ledger, at the address the first one had —
 * and everything the Process API can read there, ids included, as it was.
 */

const quiet: DbLogger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
/** Two different keys: the migration must decrypt with one and encrypt with the other. */
const GATEWAY_PII_KEY = Buffer.alloc(32, 3).toString('base64');
const ACCOUNT_SYSTEM_PII_KEY = Buffer.alloc(32, 7).toString('base64');
const keysEnv = { GATEWAY_PII_ENCRYPTION_KEY: GATEWAY_PII_KEY, ACCOUNT_SYSTEM_PII_ENCRYPTION_KEY: ACCOUNT_SYSTEM_PII_KEY };
const PROCESS_CALLER = { name: 'onboarding-process-api', secret: 'process-secret-0123456789' };
const asProcess = { 'x-service-credential': `${PROCESS_CALLER.name}.${PROCESS_CALLER.secret}` };

/** The account System API as main.ts runs it, on `port` (0: any), over `databaseUrl`. */
async function startAccountSystem(
  databaseUrl: string,
  backend: Record<string, string>,
  port = 0,
): Promise<{ app: FastifyInstance; baseUrl: string }> {
  const config = loadConfig(AccountSystemConfigSchema, {
    PORT: String(port),
    LOG_LEVEL: 'silent',
    DATABASE_URL: databaseUrl,
    ACCEPTED_CALLERS: `${PROCESS_CALLER.name}:process:${PROCESS_CALLER.secret}`,
    PII_ENCRYPTION_KEY: ACCOUNT_SYSTEM_PII_KEY,
    ...backend,
  });
  const app = Fastify(serviceServerOptions(config));
  await app.register(accountSystem, { config });
  const address = await app.listen({ host: '127.0.0.1', port });
  return { app, baseUrl: address };
}

interface Client {
  get(path: string): Promise<{ status: number; body: unknown }>;
  post(path: string, body: unknown, idempotencyKey?: string): Promise<{ status: number; body: unknown; replayed: boolean }>;
}

/** What the Process API does: plain HTTP to a base URL with its credential and an idempotency key. */
function clientOf(baseUrl: string): Client {
  const call = async (path: string, init: RequestInit) => {
    const response = await fetch(`${baseUrl}${path}`, init);
    return { status: response.status, body: await response.json(), replayed: response.headers.get('idempotent-replayed') === 'true' };
  };
  return {
    get: (path) => call(path, { headers: asProcess }),
    post: (path, body, idempotencyKey = randomUUID()) =>
      call(path, {
        method: 'POST',
        headers: { ...asProcess, 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
        body: JSON.stringify(body),
      }),
  };
}

async function created<T>(answer: Promise<{ status: number; body: unknown }>, expected = 201): Promise<T> {
  const { status, body } = await answer;
  if (status !== expected) throw new Error(`expected ${expected}, got ${status}: ${JSON.stringify(body)}`);
  return body as T;
}

interface Account {
  accountId: string;
}
interface Page {
  items: Array<{ transactionId: string }>;
  nextCursor: string | null;
}

/**
 * Everything the Process API can read about these customers, through HTTP: customer, search by
 * SSN, account list, each account, balance (without `asOf`, the time of the read), and every page
 * of history walked with the backend's own cursors, plus one date-filtered page. Cursors are
 * opaque and each backend's own, so a page is compared by its items and whether another follows.
 */
async function readEverything(client: Client, customers: Array<{ customerId: string; taxId: string }>, today: string) {
  const seen: Record<string, unknown> = {};
  for (const { customerId, taxId } of customers) {
    seen[`customer ${customerId}`] = await client.get(`/v1/customers/${customerId}`);
    seen[`search ${customerId}`] = await client.post('/v1/customers/search', { taxId });
    const accounts = await client.get(`/v1/customers/${customerId}/accounts`);
    seen[`accounts of ${customerId}`] = accounts;
    for (const { accountId } of (accounts.body as { items: Account[] }).items) {
      seen[`account ${accountId}`] = await client.get(`/v1/accounts/${accountId}`);
      const { status, body } = await client.get(`/v1/accounts/${accountId}/balance`);
      const { asOf, ...balance } = body as { asOf: string };
      seen[`balance ${accountId}`] = { status, body: balance, asOfIsTime: !Number.isNaN(Date.parse(asOf)) };
      let cursor: string | null = null;
      let pageNumber = 0;
      do {
        const query: string = cursor === null ? '' : `&cursor=${cursor}`;
        const page = await client.get(`/v1/accounts/${accountId}/transactions?limit=10${query}`);
        const { items, nextCursor } = page.body as Page;
        seen[`history ${accountId} page ${++pageNumber}`] = { status: page.status, items, more: nextCursor !== null };
        cursor = nextCursor;
      } while (cursor !== null);
      const filtered = await client.get(`/v1/accounts/${accountId}/transactions?limit=5&from=${today}&to=${today}`);
      seen[`history ${accountId} of ${today}`] = { status: filtered.status, items: (filtered.body as Page).items };
    }
  }
  return seen;
}

describe('moving the core from the mainframe to the PostgreSQL ledger', () => {
  let coreDatabase: TestDatabase;
  /** The account System API's DATABASE_URL, on both backends: the mainframe adapter's keys live there, the ledger goes there. */
  let serviceDatabase: TestDatabase;
  let gateway: RunningGateway;
  let ledgerApp: FastifyInstance | undefined;
  let port: number;
  let before: Record<string, unknown>;
  /** A keyed posting made on the mainframe, to be retried after the switch-over. */
  let savingsDeposit: { path: string; request: unknown; key: string; answer: unknown };
  const customers: Array<{ customerId: string; taxId: string }> = [];
  const today = new Date().toISOString().slice(0, 10);
  const migrate = async (...flags: string[]) => {
    let output = '';
    const code = await runCli(['--from', coreDatabase.url, '--to', serviceDatabase.url, ...flags], keysEnv, (text) => (output += text));
    return { code, output };
  };

  beforeAll(async () => {
    [coreDatabase, serviceDatabase] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    gateway = await startGateway(
      loadGatewayConfig({
        PORT: '0',
        GATEWAY_PORT: '0',
        LOG_LEVEL: 'silent',
        DATABASE_URL: coreDatabase.url,
        DATA_DIR: mkdtempSync(join(tmpdir(), 'core-migration-')),
        PII_ENCRYPTION_KEY: GATEWAY_PII_KEY,
        SHUTDOWN_GRACE_MS: '1000',
      }),
      quiet,
    );
    const onMainframe = await startAccountSystem(serviceDatabase.url, {
      CORE_BANKING_BACKEND: 'mainframe',
      CORE_BANKING_GATEWAY_PORT: String(gateway.port),
    });
    port = Number(new URL(onMainframe.baseUrl).port);
    const client = clientOf(onMainframe.baseUrl);
    try {
      const people = [
        {
          legalName: 'Ada Lovelace',
          taxId: '123-45-6781',
          address: { line1: '1 Main Street', line2: 'Apt 4', city: 'New York', state: 'NY', postalCode: '10001' },
        },
        {
          legalName: 'Grace Hopper',
          taxId: '234567892',
          address: { line1: '2 Navy Yard', city: 'Arlington', state: 'VA', postalCode: '22202-1234' },
        },
        { legalName: 'Alan Turing', taxId: '345-67-8903', address: { line1: '3 Bletchley Road', city: 'Boston', state: 'MA', postalCode: '02110' } },
      ];
      for (const person of people) {
        const customer = await created<{ customerId: string }>(
          client.post('/v1/customers', { ...person, dateOfBirth: '1990-04-01', email: 'someone@example.com', phone: '+12125550123' }),
        );
        customers.push({ customerId: customer.customerId, taxId: person.taxId });
      }
      const open = (customerId: string, productType: string) =>
        created<Account>(client.post('/v1/accounts', { customerId, productType, currency: 'USD' }));
      const post = (accountId: string, direction: string, amountMinor: number, reference?: string) =>
        created(
          client.post(`/v1/accounts/${accountId}/transactions`, {
            direction,
            amount: { amountMinor, currency: 'USD' },
            description: `${direction} of ${amountMinor}`,
            ...(reference ? { reference } : {}),
          }),
        );
      const status = (accountId: string, to: string) =>
        created(client.post(`/v1/accounts/${accountId}/status`, { status: to, reason: `moved to ${to}` }), 200);

      const everyday = await open(customers[0].customerId, 'checking');
      const savings = await open(customers[0].customerId, 'savings');
      const frozen = await open(customers[1].customerId, 'checking');
      const closed = await open(customers[1].customerId, 'savings');
      // 25 postings: three pages of ten on the ledger, two TXNHIST calls of 20 on the mainframe.
      await post(everyday.accountId, 'credit', 100_000, 'payroll-2026-11');
      for (let n = 1; n <= 24; n++) await post(everyday.accountId, n % 3 === 0 ? 'credit' : 'debit', 1_000 + n);
      const depositPath = `/v1/accounts/${savings.accountId}/transactions`;
      const deposit = { direction: 'credit', amount: { amountMinor: 99_000_000_000, currency: 'USD' }, description: 'the largest posting there is' };
      const depositKey = randomUUID();
      savingsDeposit = { path: depositPath, request: deposit, key: depositKey, answer: await created(client.post(depositPath, deposit, depositKey)) };
      await post(frozen.accountId, 'credit', 5_000);
      await status(frozen.accountId, 'frozen');
      await post(closed.accountId, 'credit', 700);
      await post(closed.accountId, 'debit', 700);
      await status(closed.accountId, 'frozen');
      await status(closed.accountId, 'closed');

      before = await readEverything(client, customers, today);
    } finally {
      await onMainframe.app.close();
    }
  });

  afterAll(async () => {
    await ledgerApp?.close();
    await gateway?.close();
    await Promise.all([coreDatabase, serviceDatabase].map((database) => database?.drop()));
  });

  it('moves everything, verifies it, and the account System API on the ledger answers at the same address exactly as on the mainframe', async () => {
    const { code, output } = await migrate();
    expect(output).toContain('Verified: the ledger matches the core.');
    expect(code).toBe(0);
    expect(output).toMatch(/account_transactions\s+29\s+0\s+29/);
    // Every keyed write made on the mainframe: 3 customers, 4 accounts, 29 postings.
    expect(output).toMatch(/idempotency_keys\s+36\s+0\s+36/);
    expect(output).toContain('USD balances 99000096916 / 99000096916, history 99000096916 / 99000096916');

    // Nothing that identifies a person or an account in the report; in the ledger, under its own key.
    const vaults = {
      core: new PiiVault(Buffer.from(GATEWAY_PII_KEY, 'base64')),
      ledger: new PiiVault(Buffer.from(ACCOUNT_SYSTEM_PII_KEY, 'base64')),
    };
    const core = await gateway.db.query<{ acct_number_encrypted: string }>('SELECT acct_number_encrypted FROM accounts');
    const accountNumbers = core.rows.map((row) => vaults.core.decrypt(row.acct_number_encrypted));
    for (const secret of [...accountNumbers, '123456781', '123-45-6781', '234567892']) expect(output).not.toContain(secret);
    const ledger = new pg.Client({ connectionString: serviceDatabase.url });
    await ledger.connect();
    try {
      const { rows } = await ledger.query<{ account_number_encrypted: string }>('SELECT account_number_encrypted FROM accounts ORDER BY id');
      expect(rows.map((row) => vaults.ledger.decrypt(row.account_number_encrypted))).toEqual(accountNumbers);
    } finally {
      await ledger.end();
    }

    const onLedger = await startAccountSystem(serviceDatabase.url, { CORE_BANKING_BACKEND: 'postgres' }, port);
    ledgerApp = onLedger.app;
    expect(Number(new URL(onLedger.baseUrl).port)).toBe(port);
    const after = await readEverything(clientOf(onLedger.baseUrl), customers, today);
    expect(Object.values(before).map((read) => (read as { status: number }).status)).toEqual(Object.values(before).map(() => 200));
    expect(Object.keys(after)).toEqual(Object.keys(before));
    expect(after).toEqual(before);
  });

  it('moves nothing twice: a second run finds every row already there and verifies again', async () => {
    const { code, output } = await migrate();
    expect(code).toBe(0);
    expect(output).toMatch(/customers\s+0\s+3\s+3/);
    expect(output).toMatch(/accounts\s+0\s+4\s+4/);
    expect(output).toMatch(/account_status_changes\s+0\s+3\s+3/);
    expect(output).toMatch(/account_transactions\s+0\s+29\s+29/);
    expect(output).toMatch(/idempotency_keys\s+0\s+36\s+36/);
  });

  it('fails verification on a tampered balance, and refuses to overwrite it', async () => {
    const accountId = (before[`accounts of ${customers[0].customerId}`] as { body: { items: Account[] } }).body.items[0].accountId;
    const ledger = new pg.Client({ connectionString: serviceDatabase.url });
    await ledger.connect();
    try {
      await ledger.query('UPDATE accounts SET ledger_balance_minor = ledger_balance_minor + 1 WHERE id = $1', [accountId]);
      const verified = await migrate('--verify-only');
      expect(verified.code).toBe(1);
      expect(verified.output).toContain(`account ${accountId}: balance`);
      expect(verified.output).toContain(`account ${accountId}: the ledger's balance`);
      const again = await migrate();
      expect(again.code).toBe(1);
      expect(again.output).toContain(`ledger table accounts already holds ${accountId} with other values in: ledger_balance_minor`);

      await ledger.query('UPDATE accounts SET ledger_balance_minor = ledger_balance_minor - 1 WHERE id = $1', [accountId]);
      expect((await migrate('--verify-only')).code).toBe(0);
    } finally {
      await ledger.end();
    }
  });

  it('refuses to move while a keyed write to the mainframe is in doubt', async () => {
    const service = new pg.Client({ connectionString: serviceDatabase.url });
    await service.connect();
    try {
      await service.query(
        `INSERT INTO mainframe_idempotency_keys (scope, key, request_hash, state) VALUES ('onboarding-process-api:postTransaction', 'lost-answer', 'h', 'in_doubt')`,
      );
      const refused = await migrate();
      expect(refused.code).toBe(1);
      expect(refused.output).toContain('1 keyed write(s) to the mainframe are not settled');
      expect(refused.output).not.toContain('lost-answer');
    } finally {
      await service.query(`DELETE FROM mainframe_idempotency_keys WHERE key = 'lost-answer'`);
      await service.end();
    }
  });

  it('lets the ledger carry on after the switch-over: a retry replays, SSNs stay unique, new postings come after the migrated ones', async () => {
    const client = clientOf(`http://127.0.0.1:${port}`);
    // The Process API retrying a posting the mainframe made: the same answer, replayed, not a second posting.
    const retried = await client.post(savingsDeposit.path, savingsDeposit.request, savingsDeposit.key);
    expect(retried).toEqual({ status: 201, body: savingsDeposit.answer, replayed: true });
    expect(((await client.get(`${savingsDeposit.path}?limit=5`)).body as Page).items).toHaveLength(1);
    const duplicate = await client.post('/v1/customers', {
      legalName: 'Ada Again',
      taxId: '123456781',
      dateOfBirth: '1990-04-01',
      email: 'ada@example.com',
      phone: '+12125550123',
      address: { line1: '1 Main Street', city: 'New York', state: 'NY', postalCode: '10001' },
    });
    expect(duplicate.status).toBe(409);
    const accountId = (before[`accounts of ${customers[0].customerId}`] as { body: { items: Account[] } }).body.items[0].accountId;
    const posted = await created<{ transactionId: string }>(
      client.post(`/v1/accounts/${accountId}/transactions`, {
        direction: 'credit',
        amount: { amountMinor: 1, currency: 'USD' },
        description: 'after the move',
      }),
    );
    const newest = await client.get(`/v1/accounts/${accountId}/transactions?limit=2`);
    const migratedNewest = (before[`history ${accountId} page 1`] as { items: Array<{ transactionId: string }> }).items[0];
    expect((newest.body as Page).items.map((item) => item.transactionId)).toEqual([posted.transactionId, migratedNewest.transactionId]);
  });
});
