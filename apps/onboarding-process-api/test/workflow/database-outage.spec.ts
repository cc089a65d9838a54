import { connect, createServer, type Server, type Socket } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { createTestDatabase, type TestDatabase } from '@bartholomew/testing';
import { SandboxKycProvider, type KycApplicant, type KycProvider } from '../../src/kyc';
import { application, buildTestApp, expectProblem, isFinal, startOnboarding, waitForOnboarding, waitUntil, type TestApp } from '../helper';
import { startSystemApis, type SystemApis } from '../support/system-apis';

/**
 * A TCP relay in front of PostgreSQL that a test can cut and restore on the same port: cut, the
 * service's connections are closed and new ones refused (ECONNREFUSED), as when the database
 * server or the network between them goes away.
 */
class CuttableRelay {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  port = 0;
  constructor(private readonly target: { host: string; port: number }) {}

  async open(): Promise<void> {
    if (this.server) return;
    const server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
      }
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
      client.pipe(upstream).pipe(client);
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as { port: number }).port;
  }

  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  urlFor(databaseUrl: string): string {
    const url = new URL(databaseUrl);
    url.host = `127.0.0.1:${this.port}`;
    return url.toString();
  }
}

/** The sandbox provider, except that one applicant's check waits until the test lets it answer. */
class GatedKycProvider implements KycProvider {
  readonly name = 'sandbox';
  private readonly sandbox = new SandboxKycProvider();
  private letThrough!: () => void;
  private readonly gate = new Promise<void>((resolve) => (this.letThrough = resolve));
  private reached!: () => void;
  /** Resolves once the held applicant's check has started (its job is running). */
  readonly entered = new Promise<void>((resolve) => (this.reached = resolve));
  private done!: () => void;
  /** Resolves once the held applicant's check has answered (its step goes on to commit). */
  readonly answered = new Promise<void>((resolve) => (this.done = resolve));

  constructor(private readonly heldName: string) {}

  async checkApplicant(applicant: KycApplicant) {
    if (applicant.legalName === this.heldName) {
      this.reached();
      await this.gate;
      const decision = await this.sandbox.checkApplicant(applicant);
      this.done();
      return decision;
    }
    return this.sandbox.checkApplicant(applicant);
  }

  release(): void {
    this.letThrough();
  }

  close(): Promise<void> {
    return this.sandbox.close();
  }
}

/**
 * Issue 8, fault scenario 5 in process: the Process API's PostgreSQL becomes unreachable while
 * one onboarding's step is running and another is accepted but not started, and reads keep
 * coming. Reads must answer a clean 503 problem+json, readiness must say 503 and then recover by
 * itself, and both onboardings must complete once the database is back — nothing lost.
 * One worker (WORKFLOW_CONCURRENCY=1) held inside the first onboarding's KYC check makes the
 * second one wait, not started, for the whole outage.
 */
/** Long enough for graphile-worker's LISTEN reconnection to back off past the outage's end. */
const OUTAGE_MS = 4_000;

describe('the Process API when its PostgreSQL goes away and comes back', () => {
  let systems: SystemApis;
  let database: TestDatabase;
  let relay: CuttableRelay;
  let kyc: GatedKycProvider;
  let test: TestApp;
  beforeAll(async () => {
    systems = await startSystemApis();
    database = await createTestDatabase();
    const target = new URL(database.url);
    relay = new CuttableRelay({ host: target.hostname, port: Number(target.port || 5432) });
    await relay.open();
    kyc = new GatedKycProvider('Grace Hopper');
    test = await buildTestApp(systems, {
      database,
      env: { DATABASE_URL: relay.urlFor(database.url), WORKFLOW_CONCURRENCY: '1' },
      overrides: { kyc },
    });
  });
  afterAll(async () => {
    kyc?.release();
    await relay?.open().catch(() => undefined);
    await test?.close();
    await relay?.cut();
    await database?.drop();
    await systems?.close();
  });

  const ready = () => test.app.inject({ url: '/health/ready' });

  it('answers reads with 503 problem+json and readiness with 503 meanwhile, then is ready again and completes every accepted onboarding', async () => {
    expect((await ready()).statusCode).toBe(200);
    const running = await startOnboarding(test, application({ legalName: 'Grace Hopper' }));
    await kyc.entered;
    const waiting = await startOnboarding(test, application({ legalName: 'Ada Lovelace' }));
    const before = await test.call({ url: `/v1/onboardings/${waiting.id}`, as: 'operator', endUser: null });
    expect(before.json().status).toBe('pending');

    await relay.cut();
    // The running step now finishes into a database that is gone: its commit fails, and so does
    // the worker's attempt to record the job's failure. The outage lasts a few seconds of reads.
    kyc.release();
    await kyc.answered;
    const outageEnds = Date.now() + OUTAGE_MS;
    let reads = 0;
    while (Date.now() < outageEnds) {
      const res = await test.call({ url: `/v1/onboardings/${waiting.id}`, as: 'operator', endUser: null });
      expectProblem(res, 503, 'DATABASE_UNAVAILABLE');
      expect(res.headers['retry-after']).toMatch(/^\d+$/);
      expect(res.body).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
      const list = await test.call({ url: '/v1/onboardings?owner=user-ada' });
      expectProblem(list, 503, 'DATABASE_UNAVAILABLE');
      expect((await ready()).statusCode).toBe(503);
      reads += 1;
      await delay(200);
    }
    expect(reads).toBeGreaterThan(1);

    await relay.open();
    await waitUntil(async () => (await ready()).statusCode === 200, 30_000, '/health/ready to answer 200 again');
    const [first, second] = await Promise.all([
      waitForOnboarding(test, running.id, isFinal, 60_000),
      waitForOnboarding(test, waiting.id, isFinal, 60_000),
    ]);
    expect([first.status, second.status]).toEqual(['completed', 'completed']);
    // Still ready once the work is done: the worker pool that ran it is alive.
    expect((await ready()).statusCode).toBe(200);
    const customers = await systems.account.query<{ legal_name: string }>(
      `SELECT legal_name FROM customers WHERE legal_name IN ('Grace Hopper', 'Ada Lovelace') ORDER BY legal_name`,
    );
    expect(customers.map((row) => row.legal_name)).toEqual(['Ada Lovelace', 'Grace Hopper']);
  }, 150_000);
});
