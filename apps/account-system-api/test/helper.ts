import { randomInt, randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type LightMyRequestResponse } from 'fastify';
import type { CreateCustomerRequest, Customer, Account } from '@bartholomew/contracts-account-system';
import { loadConfig, serviceServerOptions, type ServerOptionsOverrides } from '@bartholomew/platform';
import { createTestDatabase, type TestDatabase } from '@bartholomew/testing';
import { accountSystem, AccountSystemConfigSchema, type AccountSystemConfig } from '../src/app';
import { postingNumberOf } from '../src/core-banking/mainframe/core-keys';
import { startTestGateway, TEST_PII_KEY } from './core-banking/mainframe-support';

/** Credentials of the callers the test app accepts, one per layer that matters here. */
export const callers = {
  process: { name: 'onboarding-process-api', layer: 'process', secret: 'process-secret-0123456789' },
  operator: { name: 'ops-console', layer: 'operator', secret: 'operator-secret-0123456789' },
  experience: { name: 'mobile-experience-api', layer: 'experience', secret: 'experience-secret-0123456789' },
} as const;

export const credentialOf = (caller: (typeof callers)[keyof typeof callers]) => ({
  'x-service-credential': `${caller.name}.${caller.secret}`,
});
/** Headers of the process-layer caller the tests act as. */
export const asProcess = credentialOf(callers.process);

// The gateway is given the same PII key; it lives in mainframe-support so that module needs nothing from this one.
export { TEST_PII_KEY };

export function testConfig(databaseUrl: string, overrides: Record<string, string> = {}): AccountSystemConfig {
  return loadConfig(AccountSystemConfigSchema, {
    PORT: '0',
    LOG_LEVEL: 'silent',
    DATABASE_URL: databaseUrl,
    BODY_LIMIT_BYTES: '4096',
    ACCEPTED_CALLERS: Object.values(callers)
      .map((caller) => `${caller.name}:${caller.layer}:${caller.secret}`)
      .join(','),
    PII_ENCRYPTION_KEY: TEST_PII_KEY,
    ...overrides,
  });
}

/**
 * The core-banking backend the route specs run on: ACCOUNT_TEST_CORE_BANKING=mainframe puts every
 * app `buildTestApp` builds on a real core-banking gateway of its own (the `test-mainframe` target
 * sets it), so the same specs prove the HTTP contract on both backends. Default: postgres.
 */
export const testCoreBanking = ((value = 'postgres') => {
  if (value !== 'postgres' && value !== 'mainframe') throw new Error(`ACCOUNT_TEST_CORE_BANKING must be postgres or mainframe, not ${value}`);
  return value;
})(process.env.ACCOUNT_TEST_CORE_BANKING);
/** For the few assertions that read the Postgres ledger's own tables: they hold only on that backend. */
export const onPostgres = testCoreBanking === 'postgres';

export interface TestApp {
  app: FastifyInstance;
  /** The app's own database (on the mainframe backend it holds only the adapter's idempotency keys). */
  database: TestDatabase;
  /** Moves postings to `instant`, as if they had been posted then, in whichever core holds them. */
  backdatePostings(transactionIds: string[], instant: string): Promise<void>;
  /** Makes the core number its next postings `next`, `next + 1`, ... (its ledger sequence or posting-number counter). */
  numberNextPostingsFrom(next: number): Promise<void>;
  /** How many customers and postings the core holds, counted in its own store (either backend). */
  storedCounts(): Promise<{ customers: number; postings: number }>;
  close(): Promise<void>;
}

/** The core's posting number in a transaction id the mainframe adapter issued. */
function postingNumberIn(transactionId: string): number {
  const postingNumber = postingNumberOf(transactionId);
  if (postingNumber === undefined) throw new Error(`${transactionId} is not a transaction id of the mainframe backend`);
  return postingNumber;
}

/**
 * The real app on a fresh database of its own; call `close()` in afterAll. On the mainframe
 * (see `testCoreBanking`) it also gets a gateway of its own, closed with it — unless the spec
 * names CORE_BANKING_BACKEND itself: config a spec passes always wins.
 */
export async function buildTestApp(options: { config?: Record<string, string>; server?: ServerOptionsOverrides } = {}): Promise<TestApp> {
  const onMainframe = testCoreBanking === 'mainframe' && options.config?.CORE_BANKING_BACKEND === undefined;
  const core = onMainframe ? await startTestGateway() : undefined;
  const database = await createTestDatabase().catch(async (error: unknown) => {
    await core?.close();
    throw error;
  });
  const closeCores = async () => {
    await database.drop();
    await core?.close();
  };
  let config: AccountSystemConfig;
  try {
    const backend: Record<string, string> = core ? { CORE_BANKING_BACKEND: 'mainframe', CORE_BANKING_GATEWAY_PORT: String(core.gateway.port) } : {};
    config = testConfig(database.url, { ...backend, ...options.config });
  } catch (error) {
    await closeCores();
    throw error;
  }
  const app = Fastify(serviceServerOptions(config, options.server));
  const close = async () => {
    await app.close();
    await closeCores();
  };
  try {
    await app.register(accountSystem, { config });
    await app.ready();
  } catch (error) {
    await close();
    throw error;
  }
  return {
    app,
    database,
    backdatePostings: async (transactionIds, instant) => {
      if (core) {
        await core.gateway.db.query('UPDATE postings SET posted_at = $2 WHERE txn_id = ANY($1::bigint[])', [
          transactionIds.map(postingNumberIn),
          instant,
        ]);
      } else {
        await app.db.query('UPDATE account_transactions SET posted_at = $2 WHERE id = ANY($1::uuid[])', [transactionIds, instant]);
      }
    },
    numberNextPostingsFrom: async (next) => {
      if (core) {
        // A utility statement takes no bind parameters; `next` is an integer we were given.
        await core.gateway.db.query(`ALTER TABLE postings ALTER COLUMN txn_id RESTART WITH ${Math.trunc(next)}`);
      } else {
        await app.db.query(`SELECT setval(pg_get_serial_sequence('account_transactions', 'sequence'), $1)`, [next - 1]);
      }
    },
    storedCounts: async () => {
      const [db, postings] = core ? [core.gateway.db, 'postings'] : [app.db, 'account_transactions'];
      const { rows } = await db.query<{ customers: number; postings: number }>(
        `SELECT (SELECT count(*) FROM customers)::int AS customers, (SELECT count(*) FROM ${postings})::int AS postings`,
      );
      return rows[0];
    },
    close,
  };
}

/** A nine-digit SSN no other test customer has, dashed. */
export function uniqueTaxId(): string {
  const digits = String(randomInt(100_000_000, 1_000_000_000));
  return `${digits.slice(0, 3)}-${digits.slice(3, 5)}-${digits.slice(5)}`;
}

export const newIdempotencyKey = () => randomUUID();

export function customerRequest(overrides: Partial<CreateCustomerRequest> = {}): CreateCustomerRequest {
  return {
    legalName: 'Ada Lovelace',
    dateOfBirth: '1990-04-01',
    taxId: uniqueTaxId(),
    email: 'ada@example.com',
    phone: '+12125550123',
    address: { line1: '1 Main Street', city: 'New York', state: 'NY', postalCode: '10001' },
    ...overrides,
  };
}

/** Thin wrappers over inject() for the set-up steps most tests share. */
export function postJson(app: FastifyInstance, url: string, payload: unknown, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'POST', url, payload: payload as object, headers: { ...asProcess, ...headers } });
}

export function getJson(app: FastifyInstance, url: string, headers: Record<string, string> = asProcess): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'GET', url, headers });
}

export async function createCustomer(app: FastifyInstance, overrides: Partial<CreateCustomerRequest> = {}): Promise<Customer> {
  const res = await postJson(app, '/v1/customers', customerRequest(overrides), { 'idempotency-key': newIdempotencyKey() });
  if (res.statusCode !== 201) throw new Error(`creating a customer answered ${res.statusCode}: ${res.body}`);
  return res.json();
}

export async function openAccount(app: FastifyInstance, customerId?: string): Promise<Account> {
  const owner = customerId ?? (await createCustomer(app)).customerId;
  const res = await postJson(
    app,
    '/v1/accounts',
    { customerId: owner, productType: 'checking', currency: 'USD' },
    { 'idempotency-key': newIdempotencyKey() },
  );
  if (res.statusCode !== 201) throw new Error(`opening an account answered ${res.statusCode}: ${res.body}`);
  return res.json();
}

export async function post(app: FastifyInstance, accountId: string, direction: 'credit' | 'debit', amountMinor: number) {
  return postJson(
    app,
    `/v1/accounts/${accountId}/transactions`,
    { direction, amount: { amountMinor, currency: 'USD' }, description: `${direction} of ${amountMinor}` },
    { 'idempotency-key': newIdempotencyKey() },
  );
}

export const PROBLEM_JSON = /^application\/problem\+json/;
export const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
