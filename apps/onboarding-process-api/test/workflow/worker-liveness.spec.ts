import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { WORKER_POOL_LOCK_NAMESPACE, WorkerLiveness } from '../../src/jobs/worker-liveness';
import { scheduleOnboardingRun } from '../../src/jobs/job-queue';
import { buildTestApp, waitUntil, type TestApp } from '../helper';

/**
 * Crash detection of worker pools by PostgreSQL session, on graphile-worker's real tables. No
 * worker runs here (WORKFLOW_WORKER_ENABLED=false): the tests lock jobs as a worker pool does,
 * and add jobs with the service's own job queue functions, so graphile-worker's add_job does
 * what it does in production — including detaching a locked job when the same key is added.
 */
/** Advisory locks are per database, pg_locks shows the whole server's. */
const THIS_DATABASE = '(SELECT oid FROM pg_database WHERE datname = current_database())';

describe('worker pool liveness', () => {
  const GRACE_MS = 60_000;
  let test: TestApp;
  let sql: pg.Pool;
  const open: WorkerLiveness[] = [];
  beforeAll(async () => {
    test = await buildTestApp(undefined, {
      env: { WORKFLOW_WORKER_ENABLED: 'false' },
    });
    sql = new pg.Pool({ connectionString: test.database.url, max: 2 });
    sql.on('error', () => undefined);
  });
  afterEach(async () => {
    for (const liveness of open.splice(0)) await liveness.close();
    await sql.query('DELETE FROM graphile_worker._private_jobs');
    await sql.query('DELETE FROM worker_pool_sessions');
  });
  afterAll(async () => {
    await sql.end();
    await test.close();
  });

  /** A replica's liveness with its pool registered (as when graphile-worker creates the pool). */
  async function liveReplica(poolId = `pool-${randomUUID()}`): Promise<{ liveness: WorkerLiveness; poolId: string }> {
    const liveness = new WorkerLiveness({
      db: test.app.db,
      log: test.app.log,
      sweepIntervalMs: 60_000,
      unregisteredGraceMs: GRACE_MS,
    });
    open.push(liveness);
    await liveness.connect();
    liveness.addPool(poolId);
    await liveness.start();
    return { liveness, poolId };
  }

  /** A pool registered by a process that then died: its session, and so its lock, is gone. */
  async function deadPool(): Promise<string> {
    const { liveness, poolId } = await liveReplica();
    // Its session ends without unregistering, as when the process is killed.
    const { rows } = await sql.query<{ pid: number }>(
      `SELECT l.pid FROM pg_locks l JOIN worker_pool_sessions s ON l.objid = s.session_key::oid
       WHERE l.locktype = 'advisory' AND l.classid = $1::int::oid AND s.worker_pool_id = $2 AND l.database = ${THIS_DATABASE}`,
      [WORKER_POOL_LOCK_NAMESPACE, poolId],
    );
    expect(rows).toHaveLength(1);
    await liveness.stopSweeping();
    // Reconnection (what a live process does when only its connection drops) must not happen here.
    (liveness as unknown as { stopped: boolean }).stopped = true;
    await sql.query('SELECT pg_terminate_backend($1)', [rows[0].pid]);
    await waitForLockRelease(poolId);
    return poolId;
  }

  async function waitForLockRelease(poolId: string): Promise<void> {
    for (let i = 0; i < 100; i++) {
      const { rows } = await sql.query(
        `SELECT 1 FROM pg_locks l JOIN worker_pool_sessions s ON l.objid = s.session_key::oid
         WHERE l.locktype = 'advisory' AND l.classid = $1::int::oid AND s.worker_pool_id = $2 AND l.database = ${THIS_DATABASE}`,
        [WORKER_POOL_LOCK_NAMESPACE, poolId],
      );
      if (rows.length === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error('the terminated session still holds its lock');
  }

  /** What a worker pool does when it takes an onboarding's job: lock the job and its queue. */
  async function lockAsWorker(onboardingId: string, poolId: string, lockedAt = 'now()'): Promise<void> {
    await sql.query(`UPDATE graphile_worker._private_jobs SET locked_by = $2, locked_at = ${lockedAt}, attempts = attempts + 1 WHERE key = $1`, [
      `onboarding:${onboardingId}`,
      poolId,
    ]);
    await sql.query(`UPDATE graphile_worker._private_job_queues SET locked_by = $2, locked_at = ${lockedAt} WHERE queue_name = $1`, [
      `onboarding:${onboardingId}`,
      poolId,
    ]);
  }

  async function jobsOf(onboardingId: string) {
    const { rows } = await sql.query<{
      key: string | null;
      attempts: number;
      max_attempts: number;
      locked_by: string | null;
      queue_locked_by: string | null;
    }>(
      `SELECT j.key, j.attempts, j.max_attempts, j.locked_by, q.locked_by AS queue_locked_by
       FROM graphile_worker._private_jobs j JOIN graphile_worker._private_job_queues q ON q.id = j.job_queue_id
       WHERE q.queue_name = $1 ORDER BY j.id`,
      [`onboarding:${onboardingId}`],
    );
    return rows;
  }

  const registeredPools = async () =>
    (await sql.query<{ worker_pool_id: string }>('SELECT worker_pool_id FROM worker_pool_sessions')).rows.map((r) => r.worker_pool_id);

  it('releases at once what a pool held when its session ended, and deletes its jobs that newer ones superseded', async () => {
    const dead = await deadPool();
    // Interrupted mid-step: its job locked, nothing else.
    const interrupted = randomUUID();
    await scheduleOnboardingRun(test.app.db.pool, interrupted);
    await lockAsWorker(interrupted, dead);
    // Interrupted right after committing a step: the commit added the next run with the same key,
    // which detached the running job (key cleared, attempts = max_attempts).
    const committed = randomUUID();
    await scheduleOnboardingRun(test.app.db.pool, committed);
    await lockAsWorker(committed, dead);
    await scheduleOnboardingRun(test.app.db.pool, committed);
    expect(await jobsOf(committed)).toEqual([
      {
        key: null,
        attempts: 25,
        max_attempts: 25,
        locked_by: dead,
        queue_locked_by: dead,
      },
      {
        key: `onboarding:${committed}`,
        attempts: 0,
        max_attempts: 25,
        locked_by: null,
        queue_locked_by: dead,
      },
    ]);

    // The locks are a second old, far below any staleness margin: the session alone tells.
    const { liveness } = await liveReplica();
    await liveness.sweep();

    expect(await jobsOf(interrupted)).toEqual([
      {
        key: `onboarding:${interrupted}`,
        attempts: 1,
        max_attempts: 25,
        locked_by: null,
        queue_locked_by: null,
      },
    ]);
    expect(await jobsOf(committed)).toEqual([
      {
        key: `onboarding:${committed}`,
        attempts: 0,
        max_attempts: 25,
        locked_by: null,
        queue_locked_by: null,
      },
    ]);
    expect(await registeredPools()).not.toContain(dead);
  });

  it('never touches what a live pool holds, however old its locks, nor its detached jobs', async () => {
    const { poolId: alive } = await liveReplica();
    const running = randomUUID();
    await scheduleOnboardingRun(test.app.db.pool, running);
    await lockAsWorker(running, alive, `now() - interval '1 day'`);
    await scheduleOnboardingRun(test.app.db.pool, running);
    const before = await jobsOf(running);
    expect(before.map((job) => job.locked_by)).toEqual([alive, null]);

    const { liveness: other } = await liveReplica();
    await other.sweep();

    expect(await jobsOf(running)).toEqual(before);
    expect(await registeredPools()).toContain(alive);
  });

  it('gives a pool that never registered the grace period before releasing its locks', async () => {
    const unregistered = `pool-${randomUUID()}`;
    const onboardingId = randomUUID();
    await scheduleOnboardingRun(test.app.db.pool, onboardingId);
    await lockAsWorker(onboardingId, unregistered);
    const { liveness } = await liveReplica();

    await liveness.sweep();
    expect((await jobsOf(onboardingId))[0]).toMatchObject({
      locked_by: unregistered,
      queue_locked_by: unregistered,
    });

    await lockAsWorker(onboardingId, unregistered, `now() - make_interval(secs => ${GRACE_MS / 1000 + 1})`);
    await liveness.sweep();
    expect((await jobsOf(onboardingId))[0]).toMatchObject({
      locked_by: null,
      queue_locked_by: null,
    });
  });

  it('removes at start the detached jobs earlier crashes left unlocked, and keeps jobs that failed', async () => {
    const leftover = randomUUID();
    await scheduleOnboardingRun(test.app.db.pool, leftover);
    await sql.query(`UPDATE graphile_worker._private_jobs SET key = NULL, attempts = max_attempts WHERE key = $1`, [`onboarding:${leftover}`]);
    const failed = randomUUID();
    await scheduleOnboardingRun(test.app.db.pool, failed);
    await sql.query(`UPDATE graphile_worker._private_jobs SET key = NULL, attempts = max_attempts, last_error = 'boom' WHERE key = $1`, [
      `onboarding:${failed}`,
    ]);

    await liveReplica();

    expect(await jobsOf(leftover)).toEqual([]);
    expect(await jobsOf(failed)).toHaveLength(1);
  });

  it('takes its lock again when its connection drops while the process lives', async () => {
    const { liveness, poolId } = await liveReplica();
    const holder = async () =>
      (
        await sql.query<{ pid: number }>(
          `SELECT l.pid FROM pg_locks l JOIN worker_pool_sessions s ON l.objid = s.session_key::oid
           WHERE l.locktype = 'advisory' AND l.granted AND l.classid = $1::int::oid AND s.worker_pool_id = $2 AND l.database = ${THIS_DATABASE}`,
          [WORKER_POOL_LOCK_NAMESPACE, poolId],
        )
      ).rows[0]?.pid;
    const first = await holder();
    expect(first).toEqual(expect.any(Number));
    await sql.query('SELECT pg_terminate_backend($1)', [first]);

    await waitUntil(async () => ((await holder()) ?? first) !== first, 10_000, 'a new session holding the pool lock');
    expect(() => liveness.assertConnected()).not.toThrow();
  });

  it('unregisters its pools when it closes, and holds no lock after', async () => {
    const { liveness, poolId } = await liveReplica();
    expect(() => liveness.assertConnected()).not.toThrow();
    await liveness.close();
    expect(await registeredPools()).not.toContain(poolId);
    const { rows } = await sql.query(
      `SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND classid = $1::int::oid AND database = ${THIS_DATABASE}`,
      [WORKER_POOL_LOCK_NAMESPACE],
    );
    expect(rows).toEqual([]);
    expect(() => liveness.assertConnected()).toThrow();
  });
});
