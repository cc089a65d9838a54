import type { Migration } from '@bartholomew/platform/db';

/**
 * Liveness of worker pools by PostgreSQL session (see jobs/worker-liveness.ts): each pool of
 * a running replica holds the session advisory lock (namespace, `session_key`) and has a row
 * here; a row whose lock nobody holds is a pool whose process died.
 *
 * `worker_heartbeats` (migration 1) is no longer written or read.
 * REVIEW: drop it in a later migration, once no replica of the previous version can start
 * again (rollback window): that version reads and writes it at start.
 */
export const workerPoolSessions: Migration = {
  version: 2,
  name: 'worker-pool-sessions',
  sql: `
CREATE SEQUENCE worker_pool_session_keys AS integer CYCLE;

CREATE TABLE worker_pool_sessions (
  worker_pool_id text        PRIMARY KEY,
  session_key    integer     NOT NULL,
  registered_at  timestamptz NOT NULL DEFAULT now()
);
`,
};
