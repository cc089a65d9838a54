/**
 * Which graphile-worker pools are alive, told by their PostgreSQL sessions; and the release of
 * what dead pools held, so an onboarding whose step was running when its replica crashed
 * resumes within a second or so — on the restarted replica or on a surviving one.
 *
 * Why sessions, not heartbeats: a heartbeat only says a pool was alive when it last wrote, so a
 * crash is known only once the heartbeat is older than a margin that must exceed the longest
 * pause of a live process (GC, CPU starvation, a slow database) — tens of seconds. A session
 * advisory lock says it at once: every pool takes one on a dedicated connection of this process,
 * PostgreSQL drops it the instant the process dies (its socket closes; SIGKILL included), and
 * `pg_locks` shows which are still held. A live process's long step, GC pause or overload never
 * makes it look dead: its lock stays held as long as its connection is open.
 *
 * Order matters on both sides:
 * - a pool takes its lock BEFORE its row in `worker_pool_sessions` becomes visible, so a
 *   registered pool without its lock is dead, never "not locked yet";
 * - a lock held by a pool with no row (it crashed in the milliseconds between taking its first
 *   job and registering, or it ran a version without registration) is released only once none of
 *   its locks is younger than `unregisteredGraceMs`: no proof of death, so the old margin.
 *
 * What a dead pool leaves, and what happens to it, in one transaction:
 * - jobs and queues it locked are unlocked (`force_unlock_workers`), so they run again;
 * - jobs of it that `add_job` detached while they ran (a newer job with the same key was added:
 *   graphile-worker then clears the running job's key and sets its attempts to max_attempts, and
 *   the worker deletes it when it completes) are deleted: the newer job carries on, and unlocked
 *   they would stay forever as permanently failed jobs that nothing runs;
 * - its registration row.
 * Jobs locked by a live pool are never touched.
 */
import type { FastifyBaseLogger } from 'fastify';
import { setTimeout as delay } from 'node:timers/promises';
import pg from 'pg';
import type { Database } from '@bartholomew/platform/db';

/** First key of the two-key advisory locks of worker pools (the second is the pool's session key). */
export const WORKER_POOL_LOCK_NAMESPACE = 727_465_101;

export interface WorkerLivenessOptions {
  db: Database;
  log: FastifyBaseLogger;
  /** How often dead pools are looked for. */
  sweepIntervalMs: number;
  /** How long locks of a pool that never registered are left alone (see the module comment). */
  unregisteredGraceMs: number;
}

export class WorkerLiveness {
  /** This process's pools and the session key each holds. */
  private readonly pools = new Map<string, number | undefined>();
  private session: pg.Client | undefined;
  private reconnecting: Promise<void> | undefined;
  private registrations: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly options: WorkerLivenessOptions) {}

  /** Opens the dedicated session the pools' locks live on; before the worker pool starts. */
  async connect(): Promise<void> {
    this.session = await this.openSession();
  }

  /**
   * A worker pool of this process (graphile-worker's `pool:create` event, which cannot wait):
   * registered in the background; `start()` waits for it.
   */
  addPool(poolId: string): void {
    this.pools.set(poolId, undefined);
    this.registrations = this.registrations
      .then(() => this.register(poolId))
      .catch((error: unknown) => this.options.log.warn({ err: error }, 'registering the worker pool failed'));
  }

  /** Waits for this process's registrations, removes leftovers, sweeps once, then every interval. */
  async start(): Promise<void> {
    await this.registrations;
    await this.removeDetachedLeftovers();
    await this.sweep();
    this.timer = setInterval(() => {
      this.sweeping = this.sweep().catch((error: unknown) => this.options.log.warn({ err: error }, 'dead worker sweep failed'));
    }, this.options.sweepIntervalMs);
    this.timer.unref();
  }

  /** Stops sweeping; call before the worker pool stops. */
  async stopSweeping(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.sweeping;
  }

  /** Unregisters and closes the session; call AFTER the worker pool stopped and released its jobs. */
  async close(): Promise<void> {
    this.stopped = true;
    await this.stopSweeping();
    await this.reconnecting;
    const session = this.session;
    this.session = undefined;
    if (!session) return;
    await session.query('DELETE FROM worker_pool_sessions WHERE worker_pool_id = ANY($1::text[])', [[...this.pools.keys()]]).catch(() => undefined);
    await session.end().catch(() => undefined);
  }

  /** Throws while this process cannot prove its pools alive (its session is down): readiness. */
  assertConnected(): void {
    if (!this.session || [...this.pools.values()].some((key) => key === undefined)) {
      throw new Error('the worker pool liveness session is not established');
    }
  }

  /** Releases what dead pools held; see the module comment. */
  async sweep(): Promise<void> {
    const { db, log, unregisteredGraceMs } = this.options;
    const released = await db.transaction(async (client) => {
      const { rows } = await client.query<{
        dead_holders: string[];
        dead_registered: string[];
      }>(
        `WITH holders AS (
           SELECT locked_by, max(locked_at) AS last_locked_at FROM (
             SELECT locked_by, locked_at FROM graphile_worker._private_jobs WHERE locked_by IS NOT NULL
             UNION ALL
             SELECT locked_by, locked_at FROM graphile_worker._private_job_queues WHERE locked_by IS NOT NULL
           ) locks GROUP BY locked_by
         ),
         held AS (
           SELECT objid FROM pg_locks
           WHERE locktype = 'advisory' AND granted AND objsubid = 2 AND classid = $1::int::oid
             AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
         ),
         dead AS (
           SELECT worker_pool_id FROM worker_pool_sessions s
           WHERE worker_pool_id <> ALL($2::text[]) AND NOT EXISTS (SELECT 1 FROM held WHERE held.objid = s.session_key::oid)
         )
         SELECT
           ARRAY(SELECT locked_by FROM holders h
                 WHERE locked_by <> ALL($2::text[])
                   AND (EXISTS (SELECT 1 FROM dead WHERE dead.worker_pool_id = h.locked_by)
                        OR (NOT EXISTS (SELECT 1 FROM worker_pool_sessions s WHERE s.worker_pool_id = h.locked_by)
                            AND h.last_locked_at < now() - make_interval(secs => $3::double precision / 1000)))) AS dead_holders,
           ARRAY(SELECT worker_pool_id FROM dead) AS dead_registered`,
        [WORKER_POOL_LOCK_NAMESPACE, [...this.pools.keys()], unregisteredGraceMs],
      );
      const { dead_holders: holders, dead_registered: registered } = rows[0];
      const detached = await releaseJobsOf(client, holders);
      if (registered.length > 0) await client.query('DELETE FROM worker_pool_sessions WHERE worker_pool_id = ANY($1::text[])', [registered]);
      return { holders, detached };
    });
    if (released.holders.length > 0) {
      log.warn(
        { workers: released.holders, detachedJobsRemoved: released.detached },
        'released jobs held by worker pools that died without releasing them (crashed replica)',
      );
    }
  }

  /**
   * A pool of this process that stopped without being asked to: graphile-worker shuts a pool down
   * when it cannot record a job's outcome (the database went away mid-job), leaving that job
   * locked by the pool. What it held is released exactly as for a crashed replica, so its jobs run
   * again, and the pool is no longer this process's (its session lock is given up). Throws while
   * the database cannot be reached; the caller tries again.
   */
  async retirePool(poolId: string): Promise<void> {
    const detached = await this.options.db.transaction(async (client) => {
      const removed = await releaseJobsOf(client, [poolId]);
      await client.query('DELETE FROM worker_pool_sessions WHERE worker_pool_id = $1', [poolId]);
      return removed;
    });
    const key = this.pools.get(poolId);
    this.pools.delete(poolId);
    if (key !== undefined) {
      // A lost session took the lock with it already; otherwise it would keep a dead pool "alive".
      await this.session?.query('SELECT pg_advisory_unlock($1::int, $2::int)', [WORKER_POOL_LOCK_NAMESPACE, key]).catch(() => undefined);
    }
    this.options.log.warn({ worker: poolId, detachedJobsRemoved: detached }, 'released the jobs of a worker pool of this replica that stopped');
  }

  /**
   * Residue of crashes before this version: detached jobs that were unlocked instead of deleted.
   * A job with no key, out of attempts, unlocked and without an error was never failed by a run
   * (a failing run records its error): it is a detached job whose worker died.
   */
  private async removeDetachedLeftovers(): Promise<void> {
    const { rowCount } = await this.options.db.query(
      `DELETE FROM graphile_worker._private_jobs
       WHERE key IS NULL AND locked_at IS NULL AND attempts >= max_attempts AND last_error IS NULL`,
    );
    if (rowCount) this.options.log.info({ jobs: rowCount }, 'removed detached jobs left by crashed workers');
  }

  private async register(poolId: string): Promise<void> {
    const session = this.session;
    if (!session) throw new Error('the worker pool liveness session is not open');
    // One statement: the lock is taken before the row is visible (it commits after the lock).
    // try_ instead of waiting: the key is fresh from a sequence, so it fails only if the
    // sequence wrapped onto a key still held — then take the next one.
    for (let attempt = 1; attempt <= 3; attempt++) {
      const { rows } = await session.query<{ session_key: number }>(
        `INSERT INTO worker_pool_sessions (worker_pool_id, session_key)
         SELECT $1, key FROM (SELECT nextval('worker_pool_session_keys')::int AS key) fresh
         WHERE pg_try_advisory_lock($2::int, key)
         ON CONFLICT (worker_pool_id) DO UPDATE SET session_key = excluded.session_key, registered_at = now()
         RETURNING session_key`,
        [poolId, WORKER_POOL_LOCK_NAMESPACE],
      );
      if (rows[0]) {
        this.pools.set(poolId, rows[0].session_key);
        return;
      }
    }
    throw new Error('no free worker pool session key');
  }

  private async openSession(): Promise<pg.Client> {
    // The pool's own connection settings; a connection of its own, never returned to the pool.
    const session = new pg.Client({
      ...this.options.db.pool.options,
      keepAlive: true,
    });
    session.on('error', (error) => this.sessionLost(session, error));
    session.on('end', () => this.sessionLost(session, new Error('the connection ended')));
    await session.connect();
    return session;
  }

  /**
   * The session dropped (database restart, network): the locks are gone, so other replicas now
   * see this process's pools as dead and may release their jobs. Reconnect and register again.
   * REVIEW: a job released in that window may run a second time while this replica still runs
   * it. Harmless to the onboarding (downstream writes carry idempotency keys and the commit is
   * guarded by the onboarding's version), and rare (it needs this connection to fail while the
   * database stays reachable); readiness reports it meanwhile.
   */
  private sessionLost(session: pg.Client, error: Error): void {
    if (this.session !== session || this.stopped) return;
    this.options.log.error({ err: error }, 'the worker pool liveness session was lost; reconnecting');
    this.session = undefined;
    for (const poolId of this.pools.keys()) this.pools.set(poolId, undefined);
    void session.end().catch(() => undefined);
    this.reconnecting = this.reconnect();
  }

  private async reconnect(): Promise<void> {
    for (let delayMs = 100; !this.stopped; delayMs = Math.min(delayMs * 2, 5_000)) {
      let session: pg.Client | undefined;
      try {
        session = await this.openSession();
        if (this.stopped) {
          await session.end().catch(() => undefined);
          return;
        }
        this.session = session;
        for (const poolId of this.pools.keys()) await this.register(poolId);
        this.options.log.info({}, 'the worker pool liveness session is back');
        return;
      } catch (error) {
        this.options.log.warn({ err: error, retryInMs: delayMs }, 'reconnecting the worker pool liveness session failed');
      }
      this.session = undefined;
      await session?.end().catch(() => undefined);
      await delay(delayMs);
    }
  }
}

/**
 * Frees what dead pools held, in the caller's transaction: their detached jobs are deleted (see the
 * module comment), then their jobs and queues unlocked. Answers how many detached jobs went.
 */
async function releaseJobsOf(client: pg.PoolClient, poolIds: string[]): Promise<number> {
  if (poolIds.length === 0) return 0;
  const deleted = await client.query(
    `DELETE FROM graphile_worker._private_jobs
     WHERE locked_by = ANY($1::text[]) AND key IS NULL AND attempts >= max_attempts`,
    [poolIds],
  );
  await client.query('SELECT graphile_worker.force_unlock_workers($1::text[])', [poolIds]);
  return deleted.rowCount ?? 0;
}
