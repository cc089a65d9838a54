import { setTimeout as delay } from 'node:timers/promises';
import pg from 'pg';
import { OnboardingStepName, type Onboarding } from '@bartholomew/contracts-onboarding-process';
import { createTestDatabase, type TestDatabase } from '@bartholomew/testing';
import { application, callers, newKey, testEnvironment, waitUntil } from '../helper';
import { spawnProcessApi, type ProcessApiProcess } from '../support/process-api-process';
import { startSmtpSink, type SmtpSink } from '@bartholomew/testing';
import { startSystemApis, type SystemApis } from '../support/system-apis';

/**
 * The Process API as its own process, killed with SIGKILL right after each step commits in turn
 * (ONBOARDING_CRASH_AFTER_STEP), and right before it commits — its downstream writes done, their
 * answers lost (ONBOARDING_CRASH_BEFORE_COMMIT) — then started again on the same database: every
 * onboarding completes, with exactly one customer, account, billing account, opening deposit and
 * welcome email each — counted in the System APIs' own databases and at the SMTP server — and
 * the crash leaves nothing behind in graphile-worker's tables (no job a crashed worker held stays
 * as a dead, permanently failed job) nor in the worker pool registry.
 *
 * The time from the restart to the interrupted onboarding moving again is measured and printed
 * (not asserted: speed is for benchmarks). The crash detection runs with its production defaults
 * (testEnvironment does not tune it), so the printed times are what production gets.
 */
describe('crash recovery of the Process API', () => {
  let systems: SystemApis;
  let smtp: SmtpSink;
  let database: TestDatabase | undefined;
  let running: ProcessApiProcess | undefined;
  /** The crashed process's database, read directly. */
  let processDb: pg.Pool | undefined;
  beforeAll(async () => {
    systems = await startSystemApis();
    smtp = await startSmtpSink();
  });
  afterEach(async () => {
    await processDb?.end();
    processDb = undefined;
    await running?.stop();
    running = undefined;
    await database?.drop();
    database = undefined;
  });
  afterAll(async () => {
    await smtp?.close();
    await systems?.close();
  });

  const env = (extra: Record<string, string> = {}) =>
    testEnvironment(database?.url ?? '', systems, { SMTP_URL: smtp.url, LOG_LEVEL: 'info', ...extra });

  /** Restart-to-resumption times, printed after the cases (see the file comment). */
  const resumptions: Array<{ crash: string; listeningMs: number; resumedMs: number }> = [];
  afterAll(() => {
    if (resumptions.length === 0) return;
    const sorted = resumptions.map((r) => r.resumedMs).sort((a, b) => a - b);
    console.log(
      [
        'Restart to resumption of the interrupted onboarding (from spawning the new process):',
        ...resumptions.map(
          (r) => `  ${r.crash.padEnd(26)} listening ${String(r.listeningMs).padStart(5)} ms, resumed ${String(r.resumedMs).padStart(5)} ms`,
        ),
        `  median ${sorted[Math.floor(sorted.length / 2)]} ms, max ${sorted[sorted.length - 1]} ms`,
      ].join('\n'),
    );
  });

  async function call(api: ProcessApiProcess, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const res = await fetch(`${api.baseUrl}${path}`, {
      method,
      headers: { ...callers.operator, 'x-end-user-subject': 'user-crash', ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: (await res.json()) as Onboarding };
  }

  async function waitForCompletion(api: ProcessApiProcess, id: string): Promise<Onboarding> {
    const deadline = Date.now() + 30_000;
    let last: Onboarding | undefined;
    while (Date.now() < deadline) {
      last = (await call(api, 'GET', `/v1/onboardings/${id}`)).body;
      if (['completed', 'rejected', 'failed'].includes(last.status)) return last;
      await delay(100);
    }
    throw new Error(`onboarding ${id} did not finish: ${JSON.stringify(last)}`);
  }

  const count = async (query: (sql: string, params: unknown[]) => Promise<Array<{ count: string }>>, sql: string, params: unknown[]) =>
    Number((await query(sql, params))[0].count);

  const cases = Object.values(OnboardingStepName).flatMap((step) => [
    ['after', step, 'ONBOARDING_CRASH_AFTER_STEP'] as const,
    ['before', step, 'ONBOARDING_CRASH_BEFORE_COMMIT'] as const,
  ]);

  it.each(cases)('completes the onboarding exactly once after a SIGKILL %s %s commits', async (when, step, variable) => {
    const legalName = `Crash ${when} ${step.replace(/_/g, ' ')}`;
    // A database of its own: the process that crashes is the one that ran this onboarding's step.
    database = await createTestDatabase();
    const db = new pg.Pool({ connectionString: database.url, max: 1 });
    db.on('error', () => undefined);
    processDb = db;
    running = await spawnProcessApi(env({ [variable]: step }));
    const accepted = await call(running, 'POST', '/v1/onboardings', application({ legalName, deposit: 1234 }), { 'idempotency-key': newKey() });
    expect(accepted.status).toBe(202);
    const id = accepted.body.id;

    expect(await running.exited).toBe('SIGKILL');
    // Killed right after the step committed (it succeeded), or right before (it ran, its downstream
    // writes happened, but no outcome was recorded — a lost answer); nothing after it began.
    const { rows: steps } = await db.query<{ step: string; state: string; attempts: number }>(
      'SELECT step, state, attempts FROM onboarding_steps WHERE onboarding_id = $1 ORDER BY position',
      [id],
    );
    const index = steps.findIndex((row) => row.step === step);
    expect(steps[index]).toMatchObject(when === 'after' ? { state: 'succeeded' } : { state: 'running', attempts: 1 });
    expect(steps.slice(index + 1).every((row) => row.attempts === 0)).toBe(true);
    const { rows: unsent } = await db.query('SELECT 1 FROM email_outbox WHERE onboarding_id = $1 AND sent_at IS NOT NULL', [id]);
    expect(unsent).toHaveLength(0);

    // Resumed = a step attempt began after the crash, or (after the last step) the email went out.
    const attemptsAtCrash = steps.reduce((sum, row) => sum + row.attempts, 0);
    const progressed = async () => {
      const { rows } = await db.query<{ attempts: number; sent: boolean }>(
        `SELECT (SELECT sum(attempts)::int FROM onboarding_steps WHERE onboarding_id = $1) AS attempts,
                EXISTS (SELECT 1 FROM email_outbox WHERE onboarding_id = $1 AND sent_at IS NOT NULL) AS sent`,
        [id],
      );
      return rows[0].attempts > attemptsAtCrash || rows[0].sent;
    };
    const restartedAt = Date.now();
    const resumed = (async () => {
      while (Date.now() - restartedAt < 60_000 && !(await progressed())) await delay(10);
      return Date.now() - restartedAt;
    })().catch(() => Number.NaN);
    running = await spawnProcessApi(env());
    const listeningMs = Date.now() - restartedAt;
    const done = await waitForCompletion(running, id);
    resumptions.push({ crash: `${when} ${step}`, listeningMs, resumedMs: await resumed });
    expect(done.status).toBe('completed');
    expect(done.timeline.find((s) => s.name === step)).toMatchObject({ state: 'succeeded', attempts: when === 'after' ? 1 : 2 });

    const customers = await systems.account.query<{ id: string }>('SELECT id FROM customers WHERE legal_name = $1', [legalName]);
    expect(customers).toHaveLength(1);
    expect(customers[0].id).toBe(done.customerId);
    expect(await count(systems.account.query, 'SELECT count(*) FROM accounts WHERE customer_id = $1', [done.customerId])).toBe(1);
    expect(await count(systems.account.query, 'SELECT count(*) FROM account_transactions WHERE account_id = $1', [done.accountId])).toBe(1);
    expect(await count(systems.billing.query, 'SELECT count(*) FROM billing_accounts WHERE account_id = $1', [done.accountId])).toBe(1);
    expect(
      await count(
        systems.billing.query,
        'SELECT count(*) FROM payment_methods pm JOIN billing_accounts ba ON ba.id = pm.billing_account_id WHERE ba.account_id = $1',
        [done.accountId],
      ),
    ).toBe(1);
    // The relay runs after the step: give a duplicate the chance to arrive before counting.
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && !smtp.messages.some((mail) => mail.raw.includes(id))) await delay(50);
    await delay(500);
    expect(smtp.messages.filter((mail) => mail.raw.includes(id))).toHaveLength(1);

    // No residue: every job of the finished onboarding is gone (a job is deleted when it
    // completes; one that stays is one nobody will run), and only the live pool is registered.
    const leftover = async () =>
      (
        await db.query<{ task: string; key: string | null; attempts: number; max_attempts: number; locked_by: string | null }>(
          `SELECT t.identifier AS task, j.key, j.attempts, j.max_attempts, j.locked_by
           FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id`,
        )
      ).rows;
    await waitUntil(async () => (await leftover()).length === 0, 5_000, 'no job left').catch(() => undefined);
    expect(await leftover()).toEqual([]);
    const { rows: pools } = await db.query('SELECT worker_pool_id FROM worker_pool_sessions');
    expect(pools).toHaveLength(1);
  });
});
