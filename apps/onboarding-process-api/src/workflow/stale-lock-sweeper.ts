/**
 * Releases graphile-worker jobs (and their queues) locked by a replica that died.
 *
 * graphile-worker itself only frees a crashed worker's locks after four hours. Here every replica
 * records a heartbeat for its worker pool; a lock older than `staleMs` held by a pool whose
 * heartbeat is older than `staleMs` (or that never had one) belongs to a dead process and is
 * released with `graphile_worker.force_unlock_workers`, so a restarted service — or a surviving
 * replica — resumes that onboarding within seconds. A long-running step of a LIVE replica is never
 * released: its heartbeat stays fresh.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '@bartholomew/platform';

export class StaleLockSweeper {
  private readonly poolIds = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly options: { db: Database; log: FastifyBaseLogger; instanceId: string; heartbeatMs: number; staleMs: number },
  ) {}

  /** A worker pool of this process (from graphile-worker's `pool:create` event). */
  addPool(poolId: string): void {
    this.poolIds.add(poolId);
  }

  async start(): Promise<void> {
    await this.tick();
    this.timer = setInterval(() => {
      this.running = this.tick().catch((error: unknown) => this.options.log.warn({ err: error }, 'stale lock sweep failed'));
    }, this.options.heartbeatMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
    if (this.poolIds.size > 0) {
      await this.options.db.query('DELETE FROM worker_heartbeats WHERE worker_id = ANY($1::text[])', [[...this.poolIds]]).catch(() => undefined);
    }
  }

  /** One heartbeat and one sweep. */
  async tick(): Promise<void> {
    const { db, instanceId, staleMs } = this.options;
    if (this.poolIds.size > 0) {
      await db.query(
        `INSERT INTO worker_heartbeats (worker_id, instance_id, last_seen_at)
         SELECT unnest($1::text[]), $2, now()
         ON CONFLICT (worker_id) DO UPDATE SET last_seen_at = now()`,
        [[...this.poolIds], instanceId],
      );
    }
    const { rows } = await db.query<{ dead: string[] | null }>(
      `WITH locks AS (
         SELECT locked_by, locked_at FROM graphile_worker._private_jobs WHERE locked_by IS NOT NULL
         UNION ALL
         SELECT locked_by, locked_at FROM graphile_worker._private_job_queues WHERE locked_by IS NOT NULL
       )
       SELECT array_agg(DISTINCT locked_by) AS dead FROM locks
       WHERE locked_at < now() - make_interval(secs => $1::double precision / 1000)
         AND locked_by <> ALL($2::text[])
         AND NOT EXISTS (
           SELECT 1 FROM worker_heartbeats h
           WHERE h.worker_id = locks.locked_by AND h.last_seen_at > now() - make_interval(secs => $1::double precision / 1000))`,
      [staleMs, [...this.poolIds]],
    );
    await db.query(`DELETE FROM worker_heartbeats WHERE last_seen_at < now() - interval '1 day'`);
    const dead = rows[0]?.dead ?? [];
    if (dead.length > 0) {
      await db.query('SELECT graphile_worker.force_unlock_workers($1::text[])', [dead]);
      await db.query('DELETE FROM worker_heartbeats WHERE worker_id = ANY($1::text[])', [dead]);
      this.options.log.warn({ workers: dead }, 'released jobs locked by workers that stopped without unlocking them (crashed replica)');
    }
  }
}
