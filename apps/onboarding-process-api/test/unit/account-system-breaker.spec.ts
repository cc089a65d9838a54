import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpAccountSystemClient } from '@bartholomew/clients-account-system';
import { DownstreamUnavailable } from '@bartholomew/platform/http-client';
import { untilClosedMs } from '../../src/jobs/backoff';
import { coreBankingBatchWindowClosesInMs, isCoreBankingWriteInDoubt } from '../../src/workflow/faults';

const posting = { direction: 'credit', amount: { amountMinor: 100, currency: 'USD' }, description: 'Deposit' } as const;
const ACCOUNT_ID = '5f0c8a9e-4a8e-4e7b-9d3c-3f1d2b6a7c10';

/**
 * The Process API's breaker to the account System API, against a stand-in that answers every call
 * with a 503 problem of the given code: a batch-window refusal is a wait of known length from a
 * healthy service, not an outage, so it must not open the breaker that reads go through too.
 */
describe('the breaker to the account System API', () => {
  let server: Server;
  let code = 'CORE_BANKING_BATCH_WINDOW';
  let client: HttpAccountSystemClient;
  beforeAll(async () => {
    server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        response.writeHead(503, { 'content-type': 'application/problem+json', 'retry-after': '3600' });
        response.end(JSON.stringify({ type: 'about:blank', title: 'Service Unavailable', status: 503, code }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  beforeEach(() => {
    client = new HttpAccountSystemClient({
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      credential: { callerName: 'onboarding-process-api', secret: 'secret-for-breaker-tests' },
      breaker: { resetTimeoutMs: 60_000 },
    });
  });
  afterEach(() => client.close());
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const refusedWrite = (index: number) =>
    client.postTransaction(ACCOUNT_ID, posting, { idempotencyKey: `breaker-test-${index}`, requestId: `breaker-test-${index}` }).then(
      () => undefined,
      (error: unknown) => error,
    );

  it('does not count batch-window refusals, and hands each one over with its code and Retry-After', async () => {
    code = 'CORE_BANKING_BATCH_WINDOW';
    for (let write = 0; write < 8; write++) {
      const refusal = await refusedWrite(write);
      expect(refusal).toBeInstanceOf(DownstreamUnavailable);
      expect(refusal).toMatchObject({ reason: 'status', status: 503, retryAfterMs: 3_600_000, problem: { code } });
      expect(coreBankingBatchWindowClosesInMs(refusal)).toBe(3_600_000);
    }
    expect(client.breakerState()).toBe('closed');
  });

  it('does not count a write in doubt either: it is about one key, not the service', async () => {
    code = 'CORE_BANKING_WRITE_IN_DOUBT';
    for (let write = 0; write < 8; write++) expect(isCoreBankingWriteInDoubt(await refusedWrite(write))).toBe(true);
    expect(client.breakerState()).toBe('closed');
  });

  it('still opens on five 503s that say the service is unavailable', async () => {
    code = 'DATABASE_UNAVAILABLE';
    for (let write = 0; write < 5; write++) {
      const refusal = await refusedWrite(write);
      expect(coreBankingBatchWindowClosesInMs(refusal)).toBeUndefined();
    }
    expect(client.breakerState()).toBe('open');
  });
});

describe('waiting out the batch window', () => {
  it('waits the whole Retry-After however long, with at most the base backoff of jitter', () => {
    const twoHours = 2 * 3_600_000;
    expect(untilClosedMs(twoHours, { baseMs: 1_000 }, () => 0)).toBe(twoHours);
    expect(untilClosedMs(twoHours, { baseMs: 1_000 }, () => 0.999)).toBe(twoHours + 999);
  });
});
