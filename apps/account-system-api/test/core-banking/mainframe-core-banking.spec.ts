import { randomUUID } from 'node:crypto';
import { setTimeout } from 'node:timers/promises';
import type { PostTransactionRequest } from '@bartholomew/contracts-account-system';
import type { IdempotencyToken } from '../../src/core-banking/core-banking';
import { accountKeyOf } from '../../src/core-banking/mainframe/core-keys';
import type { CoreBankingGateway } from '../../src/core-banking/mainframe/core-banking-gateway';
import type { MainframeCoreBanking } from '../../src/core-banking/mainframe/mainframe-core-banking';
import { customerRequest } from '../helper';
import { describeCoreBankingContract } from './core-banking-contract';
import {
  closedPort,
  gatewayClient,
  mainframeCoreBanking,
  silentGateway,
  startApiDatabase,
  startTestGateway,
  type TestGateway,
} from './mainframe-support';

describeCoreBankingContract('Mainframe', async () => {
  const gateway = await startTestGateway();
  const api = await startApiDatabase();
  const client = gatewayClient(gateway.gateway.port);
  return {
    coreBanking: mainframeCoreBanking(api.db, client),
    close: async () => {
      client.close();
      await api.db.close();
      await api.database.drop();
      await gateway.close();
    },
  };
});

const token = (request = 'same request', key: string = randomUUID()): IdempotencyToken => ({
  scope: 'mainframe-test',
  key,
  requestHash: `hash:${request}`,
});
const credit = (amountMinor: number): PostTransactionRequest => ({
  direction: 'credit',
  amount: { amountMinor, currency: 'USD' },
  description: 'Deposit',
});

describe('MainframeCoreBanking, beyond the contract', () => {
  let core: TestGateway;
  let api: Awaited<ReturnType<typeof startApiDatabase>>;
  let client: CoreBankingGateway;
  let banking: MainframeCoreBanking;
  const clients: CoreBankingGateway[] = [];

  beforeAll(async () => {
    core = await startTestGateway();
    api = await startApiDatabase();
    client = gatewayClient(core.gateway.port);
    banking = mainframeCoreBanking(api.db, client);
  });
  afterAll(async () => {
    for (const other of [client, ...clients]) other.close();
    await api.db.close();
    await api.database.drop();
    await core.close();
  });

  /** A client of its own (closed after the suite), e.g. on another gateway. */
  const clientOn = (port: number, options: Parameters<typeof gatewayClient>[1] = {}) => {
    const made = gatewayClient(port, options);
    clients.push(made);
    return made;
  };
  const newAccount = async () => {
    const customer = (await banking.createCustomer(customerRequest(), token(randomUUID()))).value;
    return (await banking.openAccount({ customerId: customer.customerId, productType: 'checking', currency: 'USD' }, token(randomUUID()))).value;
  };
  /** Postings of an account as the core itself holds them. */
  const postingsInCore = async (accountId: string) =>
    (await core.gateway.db.query<{ n: number }>('SELECT count(*)::int AS n FROM postings WHERE acct_id = $1', [accountKeyOf(accountId)])).rows[0].n;
  const keyState = async (key: string) =>
    (await api.db.query<{ state: string }>('SELECT state FROM mainframe_idempotency_keys WHERE key = $1', [key])).rows[0]?.state;

  describe('idempotency', () => {
    it('replays a posting the gateway answered from its own key table, without sending it to the core again', async () => {
      const account = await newAccount();
      const deposit = token('deposit 700');
      const first = await banking.postTransaction(account.accountId, credit(700), deposit);
      const again = await banking.postTransaction(account.accountId, credit(700), deposit);
      expect(again).toEqual({ value: first.value, replayed: true });
      expect(await postingsInCore(account.accountId)).toBe(1);
      expect(await keyState(deposit.key)).toBe('done');
    });

    it('posts once to the core when twenty identical postings arrive at once', async () => {
      const account = await newAccount();
      const deposit = token('twenty deposits');
      const results = await Promise.all(Array.from({ length: 20 }, () => banking.postTransaction(account.accountId, credit(100), deposit)));
      expect(new Set(results.map((result) => result.value.transactionId)).size).toBe(1);
      expect(results.filter((result) => !result.replayed)).toHaveLength(1);
      expect(await postingsInCore(account.accountId)).toBe(1);
    });

    it('keeps nothing for a refused posting, so the same key may be retried', async () => {
      const account = await newAccount();
      const withdrawal = token('withdraw 5');
      const debit: PostTransactionRequest = { direction: 'debit', amount: { amountMinor: 5, currency: 'USD' }, description: 'Withdrawal' };
      await expect(banking.postTransaction(account.accountId, debit, withdrawal)).rejects.toMatchObject({ code: 'INSUFFICIENT_FUNDS' });
      expect(await keyState(withdrawal.key)).toBeUndefined();
    });
    it('treats a key a stopped service left in progress as in doubt, and does not post it', async () => {
      const account = await newAccount();
      const deposit = token('deposit of a service that stopped mid-call');
      // What a crash between "claimed and sent" and "answer recorded" leaves behind.
      await api.db.query('INSERT INTO mainframe_idempotency_keys (scope, key, request_hash) VALUES ($1, $2, $3)', [
        deposit.scope,
        deposit.key,
        deposit.requestHash,
      ]);
      await expect(banking.postTransaction(account.accountId, credit(400), deposit)).rejects.toMatchObject({
        code: 'CORE_BANKING_WRITE_IN_DOUBT',
        statusCode: 503,
      });
      expect(await postingsInCore(account.accountId)).toBe(0);
    });
  });

  describe('batch window', () => {
    /** 01:30 UTC, inside a 01:00-02:00 window: thirty minutes until it closes. */
    const insideTheWindow = () => new Date('2026-03-02T01:30:00.000Z');

    it('answers an update in the batch window with a 503 whose Retry-After is the time until the window closes, and keeps no key', async () => {
      const account = await newAccount();
      const windowed = await core.startAnother({ GATEWAY_BATCH_WINDOW: '01:00-02:00' }, insideTheWindow);
      const inWindow = mainframeCoreBanking(api.db, clientOn(windowed.port));
      const deposit = token('deposit in the window');

      const refusal = await inWindow.postTransaction(account.accountId, credit(300), deposit).catch((error: unknown) => error);
      expect(refusal).toMatchObject({
        code: 'CORE_BANKING_BATCH_WINDOW',
        statusCode: 503,
        retryAfterMs: 1_800_000,
        headers: { 'retry-after': '1800' },
      });
      await expect(inWindow.changeAccountStatus(account.accountId, { status: 'frozen', reason: 'Review', changedBy: 'test' })).rejects.toMatchObject({
        code: 'CORE_BANKING_BATCH_WINDOW',
      });
      // Inquiries still run in the window.
      await expect(inWindow.getAccount(account.accountId)).resolves.toMatchObject({ status: 'active' });
      expect(await keyState(deposit.key)).toBeUndefined();

      // Once the window is over (here: the gateway without one), the same key posts, for the first time.
      const after = await banking.postTransaction(account.accountId, credit(300), deposit);
      expect(after.replayed).toBe(false);
      expect(await postingsInCore(account.accountId)).toBe(1);
    });
  });

  describe('an unavailable gateway', () => {
    it('fails fast with the platform’s unavailable error when nothing listens', async () => {
      const down = mainframeCoreBanking(api.db, clientOn(await closedPort(), { timeoutMs: 30_000 }));
      const started = Date.now();
      await expect(down.getCustomer('c0b00001-0000-8000-8000-001000000001')).rejects.toMatchObject({
        code: 'DOWNSTREAM_UNAVAILABLE',
        statusCode: 503,
        reason: 'connection',
      });
      // A refused connection is answered at once, not at the end of the 30 s budget.
      expect(Date.now() - started).toBeLessThan(5_000);
    });

    it('gives up on a gateway that does not answer at the end of the call’s time budget', async () => {
      const hanging = await silentGateway();
      try {
        const slow = mainframeCoreBanking(api.db, clientOn(hanging.port, { timeoutMs: 300 }));
        await expect(slow.getBalance('c0b00002-0000-8000-8000-004000000001')).rejects.toMatchObject({
          code: 'DOWNSTREAM_UNAVAILABLE',
          reason: 'timeout',
        });
      } finally {
        await hanging.close();
      }
    });

    it('keeps a write whose answer was lost in doubt, and never sends it again', async () => {
      const account = await newAccount();
      const hanging = await silentGateway();
      try {
        const lost = mainframeCoreBanking(api.db, clientOn(hanging.port, { timeoutMs: 300 }));
        const deposit = token('deposit whose answer is lost');
        await expect(lost.postTransaction(account.accountId, credit(900), deposit)).rejects.toMatchObject({
          code: 'CORE_BANKING_WRITE_IN_DOUBT',
          statusCode: 503,
        });
        expect(await keyState(deposit.key)).toBe('in_doubt');
        const sent = hanging.bytesReceived();
        expect(sent).toBeGreaterThan(0);

        // Retried with the same key, even on a healthy gateway: refused, not posted a second time.
        await expect(banking.postTransaction(account.accountId, credit(900), deposit)).rejects.toMatchObject({ code: 'CORE_BANKING_WRITE_IN_DOUBT' });
        await expect(lost.postTransaction(account.accountId, credit(900), deposit)).rejects.toMatchObject({ code: 'CORE_BANKING_WRITE_IN_DOUBT' });
        expect(hanging.bytesReceived()).toBe(sent);
        expect(await postingsInCore(account.accountId)).toBe(0);
        // Another request with the key is still a reuse.
        await expect(banking.postTransaction(account.accountId, credit(1), token('another', deposit.key))).rejects.toMatchObject({
          code: 'IDEMPOTENCY_KEY_REUSED',
        });
      } finally {
        await hanging.close();
      }
    });

    it('opens its breaker after consecutive outages and then fails without calling the gateway', async () => {
      const hanging = await silentGateway();
      try {
        const gateway = clientOn(hanging.port, { timeoutMs: 100 });
        const flaky = mainframeCoreBanking(api.db, gateway);
        expect(gateway.breakerState()).toBe('closed');
        for (let i = 0; i < 5; i++)
          await expect(flaky.getBalance('c0b00002-0000-8000-8000-004000000001')).rejects.toMatchObject({ reason: 'timeout' });
        expect(gateway.breakerState()).toBe('open');

        const connections = hanging.connections();
        const refusal = await flaky.getBalance('c0b00002-0000-8000-8000-004000000001').catch((error: unknown) => error);
        expect(refusal).toMatchObject({ code: 'DOWNSTREAM_UNAVAILABLE', statusCode: 503, reason: 'circuit-open', breakerState: 'open' });
        expect((refusal as { headers?: Record<string, string> }).headers?.['retry-after']).toMatch(/^[1-9][0-9]*$/);
        expect(hanging.connections()).toBe(connections);
      } finally {
        await hanging.close();
      }
    });
  });

  describe('pages the core gives in smaller pieces', () => {
    it('fills a page of more than twenty transactions from several TXNHIST calls, and continues where it stopped', async () => {
      const account = await newAccount();
      for (let amount = 1; amount <= 25; amount++) await banking.postTransaction(account.accountId, credit(amount), token(randomUUID()));
      const first = await banking.listTransactions(account.accountId, { limit: 22 });
      expect(first.items.map((transaction) => transaction.amount.amountMinor)).toEqual(Array.from({ length: 22 }, (_, i) => 25 - i));
      expect(first.nextCursor).not.toBeNull();
      const rest = await banking.listTransactions(account.accountId, { limit: 22, cursor: first.nextCursor ?? undefined });
      expect(rest).toMatchObject({
        items: [{ amount: { amountMinor: 3 } }, { amount: { amountMinor: 2 } }, { amount: { amountMinor: 1 } }],
        nextCursor: null,
      });
    });

    it('refuses a cursor of another account as a cursor it did not issue', async () => {
      const [one, other] = [await newAccount(), await newAccount()];
      for (const account of [one, other]) {
        for (const amount of [1, 2]) await banking.postTransaction(account.accountId, credit(amount), token(randomUUID()));
      }
      const page = await banking.listTransactions(one.accountId, { limit: 1 });
      await expect(banking.listTransactions(other.accountId, { limit: 1, cursor: page.nextCursor ?? undefined })).rejects.toMatchObject({
        code: 'INVALID_CURSOR',
        statusCode: 400,
      });
    });

    it("lists all of a customer's accounts, oldest first, beyond the core's ten a page", async () => {
      const customer = (await banking.createCustomer(customerRequest(), token(randomUUID()))).value;
      const opened: string[] = [];
      for (let i = 0; i < 12; i++) {
        const request = { customerId: customer.customerId, productType: 'savings', currency: 'USD' } as const;
        opened.push((await banking.openAccount(request, token(randomUUID()))).value.accountId);
      }
      expect((await banking.listCustomerAccounts(customer.customerId)).map((account) => account.accountId)).toEqual(opened);
    });
  });

  describe('sessions', () => {
    it('keeps to its session limit and in step with the gateway over many calls', async () => {
      const account = await newAccount();
      const ownGateway = await core.startAnother({});
      const twoSessions = mainframeCoreBanking(api.db, clientOn(ownGateway.port, { sessions: 2 }));
      await Promise.all(Array.from({ length: 12 }, (_, i) => twoSessions.postTransaction(account.accountId, credit(i + 1), token(randomUUID()))));
      // Twelve at once went through two sessions, which stay open for the next calls.
      expect(ownGateway.server.sessionCount).toBe(2);
      await expect(twoSessions.getBalance(account.accountId)).resolves.toMatchObject({ ledgerBalance: { amountMinor: 78, currency: 'USD' } });
      expect(await postingsInCore(account.accountId)).toBe(12);
    });

    it("answers the gateway's session limit with a 503 carrying its retry time, and keeps no key: nothing was run", async () => {
      const account = await newAccount();
      const full = await core.startAnother({ GATEWAY_MAX_SESSIONS: '1', GATEWAY_SESSION_RETRY_SECONDS: '7' });
      // Another client holds the gateway's only session.
      await mainframeCoreBanking(api.db, clientOn(full.port, { sessions: 1 })).getBalance(account.accountId);
      const latecomer = mainframeCoreBanking(api.db, clientOn(full.port));
      const deposit = token('deposit refused for the session limit');
      const refusal = await latecomer.postTransaction(account.accountId, credit(50), deposit).catch((error: unknown) => error);
      expect(refusal).toMatchObject({ code: 'DOWNSTREAM_UNAVAILABLE', statusCode: 503, retryAfterMs: 7_000, headers: { 'retry-after': '7' } });
      expect(await keyState(deposit.key)).toBeUndefined();
      expect(await postingsInCore(account.accountId)).toBe(0);
    });

    it('opens a new session when the gateway has closed an idle one, instead of failing the call', async () => {
      const account = await newAccount();
      const impatient = await core.startAnother({ GATEWAY_IDLE_TIMEOUT_MS: '1000' });
      const oneSession = mainframeCoreBanking(api.db, clientOn(impatient.port, { sessions: 1 }));
      await oneSession.getBalance(account.accountId);
      expect(impatient.server.sessionCount).toBe(1);
      for (const waitUntil = Date.now() + 5_000; impatient.server.sessionCount > 0 && Date.now() < waitUntil; ) await setTimeout(50);
      expect(impatient.server.sessionCount).toBe(0);
      await expect(oneSession.getBalance(account.accountId)).resolves.toMatchObject({ accountId: account.accountId });
      expect(impatient.server.sessionCount).toBe(1);
    });

    it('maps a value the core’s records cannot hold to a 400, and keeps no key', async () => {
      const creation = token(randomUUID());
      await expect(banking.createCustomer(customerRequest({ legalName: 'Łukasz Nowak' }), creation)).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
        statusCode: 400,
      });
      expect(await keyState(creation.key)).toBeUndefined();
      await expect(banking.createCustomer(customerRequest({ legalName: 'Łukasz Nowak' }), creation)).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
      });
    });
  });
});
