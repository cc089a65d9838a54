import { randomInt, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import Fastify, { type FastifyInstance } from 'fastify';
import { accountSystem, AccountSystemConfigSchema } from '@bartholomew/account-system-api';
import type { CreateCustomerRequest } from '@bartholomew/contracts-account-system';
import { DownstreamRejected, DownstreamTimeout, DownstreamUnavailable, loadConfig, serviceServerOptions } from '@bartholomew/platform';
import { captureLogs, createTestDatabase, type TestDatabase } from '@bartholomew/testing';
import { HttpAccountSystemClient, type AccountSystemClientOptions } from '../src';

const PROCESS_SECRET = 'process-secret-0123456789';
/** Requests with an id starting so are held this long by the test server: a slow core-banking answer. */
const SLOW_REQUEST_PREFIX = 'slow-';
const SLOW_ANSWER_MS = 1_500;

interface RunningServer {
  app: FastifyInstance;
  port: number;
  /** One entry per slow request: resolves true when the client hung up before the answer was sent. */
  slowRequestsAbandoned: Array<Promise<boolean>>;
}

/**
 * The real account System API listening on a port, wrapped in a test-only Fastify instance that
 * can hold requests back to play a slow backend.
 */
async function startServer(databaseUrl: string, options: { port?: number; logStream?: { write(line: string): void } } = {}): Promise<RunningServer> {
  const config = loadConfig(AccountSystemConfigSchema, {
    PORT: String(options.port ?? 0),
    LOG_LEVEL: options.logStream ? 'info' : 'silent',
    DATABASE_URL: databaseUrl,
    ACCEPTED_CALLERS: `onboarding-process-api:process:${PROCESS_SECRET}`,
    PII_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64'),
  });
  const app = Fastify(serviceServerOptions(config, { logStream: options.logStream }));
  await app.register(accountSystem, { config });
  const slowRequestsAbandoned: Array<Promise<boolean>> = [];
  app.addHook('onRequest', async (request, reply) => {
    if (!request.id.startsWith(SLOW_REQUEST_PREFIX)) return;
    slowRequestsAbandoned.push(new Promise((resolve) => reply.raw.once('close', () => resolve(!reply.raw.writableFinished))));
    await sleep(SLOW_ANSWER_MS);
  });
  await app.listen({ host: '127.0.0.1', port: config.PORT });
  return { app, port: (app.server.address() as AddressInfo).port, slowRequestsAbandoned };
}

function clientFor(port: number, overrides: Partial<AccountSystemClientOptions> = {}): HttpAccountSystemClient {
  return new HttpAccountSystemClient({
    baseUrl: `http://127.0.0.1:${port}`,
    credential: { callerName: 'onboarding-process-api', secret: PROCESS_SECRET },
    timeoutMs: 1_000,
    ...overrides,
  });
}

function newCustomer(): CreateCustomerRequest {
  const ssn = String(randomInt(100_000_000, 1_000_000_000));
  return {
    legalName: 'Ada Lovelace',
    dateOfBirth: '1990-04-01',
    taxId: ssn,
    email: 'ada@example.com',
    phone: '+12125550123',
    address: { line1: '1 Main Street', city: 'New York', state: 'NY', postalCode: '10001' },
  };
}

const call = () => ({ requestId: `test-${randomUUID()}` });
const keyed = () => ({ ...call(), idempotencyKey: randomUUID() });
const usd = (amountMinor: number) => ({ amountMinor, currency: 'USD' });

describe('HttpAccountSystemClient against the real account System API', () => {
  const logs = captureLogs();
  let database: TestDatabase;
  let server: RunningServer;
  let client: HttpAccountSystemClient;

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startServer(database.url, { logStream: logs.stream });
    client = clientFor(server.port);
  });
  afterAll(async () => {
    await client?.close();
    await server?.app.close();
    await database?.drop();
  });

  describe('typed calls', () => {
    it('creates a customer, opens an account, posts to it and reads everything back', async () => {
      const customer = await client.createCustomer(newCustomer(), keyed());
      expect(customer.taxIdLast4).toMatch(/^[0-9]{4}$/);
      await expect(client.getCustomer(customer.customerId, call())).resolves.toEqual(customer);

      const account = await client.openAccount({ customerId: customer.customerId, productType: 'savings', currency: 'USD' }, keyed());
      expect(account).toMatchObject({ customerId: customer.customerId, productType: 'savings', status: 'active' });
      await expect(client.getAccount(account.accountId, call())).resolves.toEqual(account);
      await expect(client.listCustomerAccounts(customer.customerId, call())).resolves.toEqual([account]);

      const deposit = await client.postTransaction(account.accountId, { direction: 'credit', amount: usd(5_000), description: 'Deposit' }, keyed());
      expect(deposit.balanceAfter).toEqual(usd(5_000));
      await client.postTransaction(account.accountId, { direction: 'debit', amount: usd(1_200), description: 'Card' }, keyed());
      expect(await client.getBalance(account.accountId, call())).toMatchObject({ ledgerBalance: usd(3_800), availableBalance: usd(3_800) });

      const firstPage = await client.listTransactions(account.accountId, { limit: 1 }, call());
      expect(firstPage.items.map((t) => t.direction)).toEqual(['debit']);
      const lastPage = await client.listTransactions(account.accountId, { limit: 1, cursor: firstPage.nextCursor ?? undefined }, call());
      expect(lastPage).toEqual({ items: [deposit], nextCursor: null });

      const frozen = await client.changeAccountStatus(account.accountId, { status: 'frozen', reason: 'Review' }, call());
      expect(frozen.status).toBe('frozen');
    });

    it('reads a customer with their account summaries in one call', async () => {
      const customer = await client.createCustomer(newCustomer(), keyed());
      const account = await client.openAccount({ customerId: customer.customerId, productType: 'checking', currency: 'USD' }, keyed());
      const deposit = await client.postTransaction(account.accountId, { direction: 'credit', amount: usd(2_500), description: 'Deposit' }, keyed());

      const relationship = await client.getCustomerRelationship(customer.customerId, 5, call());
      expect(relationship.customer).toEqual(customer);
      expect(relationship.accounts).toMatchObject([
        { account: { ...account, status: 'active' }, balance: { ledgerBalance: usd(2_500) }, recentTransactions: [deposit] },
      ]);
      const unknown = await client.getCustomerRelationship(randomUUID(), 5, call()).catch((error: unknown) => error);
      expect(unknown).toBeInstanceOf(DownstreamRejected);
      expect(unknown).toMatchObject({ status: 404, problem: { code: 'CUSTOMER_NOT_FOUND' } });
    });

    it('lists only the transactions posted within a date filter, and pages under it', async () => {
      const customer = await client.createCustomer(newCustomer(), keyed());
      const account = await client.openAccount({ customerId: customer.customerId, productType: 'checking', currency: 'USD' }, keyed());
      const posted = [];
      for (const amountMinor of [100, 200, 300]) {
        posted.push(
          await client.postTransaction(account.accountId, { direction: 'credit', amount: usd(amountMinor), description: 'Deposit' }, keyed()),
        );
      }
      // Backdated in the System API's own database: the 100 and 200 were posted on 2025-01-15 (UTC).
      await server.app.db.query(`UPDATE account_transactions SET posted_at = '2025-01-15T12:00:00Z' WHERE id = ANY($1::uuid[])`, [
        [posted[0].transactionId, posted[1].transactionId],
      ]);
      const filter = { from: '2025-01-15', to: '2025-01-15' };
      const firstPage = await client.listTransactions(account.accountId, { ...filter, limit: 1 }, call());
      expect(firstPage.items.map((t) => t.amount.amountMinor)).toEqual([200]);
      const lastPage = await client.listTransactions(account.accountId, { ...filter, limit: 1, cursor: firstPage.nextCursor ?? undefined }, call());
      expect(lastPage.items.map((t) => t.amount.amountMinor)).toEqual([100]);
      expect(lastPage.nextCursor).toBeNull();
      await expect(client.listTransactions(account.accountId, { from: '2025-01-16', limit: 10 }, call())).resolves.toMatchObject({
        items: [{ amount: usd(300) }],
      });
    });

    it('gets the first answer again when a write is repeated with its idempotency key', async () => {
      const customer = await client.createCustomer(newCustomer(), keyed());
      const options = keyed();
      const request = { customerId: customer.customerId, productType: 'checking', currency: 'USD' } as const;
      const first = await client.openAccount(request, options);
      const again = await client.openAccount(request, { ...options, requestId: 'another-request-id' });
      expect(again).toEqual(first);
      await expect(client.listCustomerAccounts(customer.customerId, call())).resolves.toHaveLength(1);
    });

    it('forwards the request id of each call', async () => {
      const requestId = `trace-${randomUUID()}`;
      const customer = await client.createCustomer(newCustomer(), keyed());
      await client.getCustomer(customer.customerId, { requestId });
      expect(logs.records().some((record) => record.reqId === requestId)).toBe(true);
    });
  });

  describe('refusals', () => {
    it('raises DownstreamRejected with the status and problem code of a refusal', async () => {
      const missing = await client.getAccount('00000000-0000-4000-8000-000000000000', call()).catch((error: unknown) => error);
      expect(missing).toBeInstanceOf(DownstreamRejected);
      expect(missing).toMatchObject({ status: 404, problem: { code: 'ACCOUNT_NOT_FOUND' } });

      const customer = newCustomer();
      await client.createCustomer(customer, keyed());
      const duplicate = await client.createCustomer(customer, keyed()).catch((error: unknown) => error);
      expect(duplicate).toBeInstanceOf(DownstreamRejected);
      expect(duplicate).toMatchObject({ status: 409, problem: { code: 'CUSTOMER_ALREADY_EXISTS' } });
    });

    it('does not let refusals trip the breaker', async () => {
      const own = clientFor(server.port, { breaker: { volumeThreshold: 2, errorThresholdPercentage: 10 } });
      try {
        for (let i = 0; i < 5; i++) {
          await expect(own.getCustomer('00000000-0000-4000-8000-000000000000', call())).rejects.toBeInstanceOf(DownstreamRejected);
        }
        expect(own.breakerState()).toBe('closed');
      } finally {
        await own.close();
      }
    });
  });

  describe('resilience', () => {
    it('cuts a slow answer at the timeout and hangs up on the server', async () => {
      const impatient = clientFor(server.port, { timeoutMs: 300, retry: { attempts: 1 } });
      try {
        const started = performance.now();
        const error = await impatient
          .getBalance('00000000-0000-4000-8000-000000000000', { requestId: `${SLOW_REQUEST_PREFIX}${randomUUID()}` })
          .catch((caught: unknown) => caught);
        const elapsed = performance.now() - started;
        expect(error).toBeInstanceOf(DownstreamTimeout);
        expect(elapsed).toBeGreaterThanOrEqual(290);
        expect(elapsed).toBeLessThan(SLOW_ANSWER_MS);
        expect(server.slowRequestsAbandoned).toHaveLength(1);
        await expect(server.slowRequestsAbandoned[0]).resolves.toBe(true);
      } finally {
        await impatient.close();
      }
    });

    it('opens the breaker when the service goes away, fails fast while open, and closes when it is back', async () => {
      const own = await startServer(database.url);
      const port = own.port;
      const watched = clientFor(port, {
        breaker: { volumeThreshold: 2, errorThresholdPercentage: 50, resetTimeoutMs: 300 },
        retry: { attempts: 1 },
      });
      let replacement: RunningServer | undefined;
      try {
        const customer = await watched.createCustomer(newCustomer(), keyed());
        await own.app.close();

        const failures: unknown[] = [];
        while (watched.breakerState() !== 'open' && failures.length < 10) {
          failures.push(await watched.getCustomer(customer.customerId, call()).catch((error: unknown) => error));
        }
        expect(watched.breakerState()).toBe('open');
        expect(failures.length).toBeGreaterThanOrEqual(2);
        for (const failure of failures) expect(failure).toMatchObject({ reason: 'connection' });

        const started = performance.now();
        const fastFailure = await watched.getCustomer(customer.customerId, call()).catch((error: unknown) => error);
        expect(fastFailure).toBeInstanceOf(DownstreamUnavailable);
        expect(fastFailure).toMatchObject({ reason: 'circuit-open' });
        expect(performance.now() - started).toBeLessThan(50);

        replacement = await startServer(database.url, { port });
        await sleep(350); // the breaker's reset timeout: the next call is its trial
        await expect(watched.getCustomer(customer.customerId, call())).resolves.toEqual(customer);
        expect(watched.breakerState()).toBe('closed');
      } finally {
        await watched.close();
        await replacement?.app.close();
      }
    });
  });
});
