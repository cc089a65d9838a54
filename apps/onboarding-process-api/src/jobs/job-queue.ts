/**
 * Enqueuing graphile-worker jobs with SQL on the caller's connection, so a job is added in the
 * SAME transaction as the state change that calls for it (a transactional outbox): either both
 * commit or neither does — no state without its job, no job for a state that was rolled back.
 *
 * One job key and one queue per onboarding:
 * - the key keeps at most one pending job per onboarding (a newer add replaces the waiting one);
 * - the queue makes graphile-worker run that onboarding's jobs one at a time, across every replica
 *   (the queue row is locked in the database while one of its jobs runs).
 * Adding a job while the key's job is RUNNING leaves the running one's work alone: graphile-worker
 * detaches it (clears its key, uses up its attempts) and adds the new one behind it; the worker
 * deletes the detached job when it completes (worker-liveness.ts: when its worker dies instead).
 */
import type { QueryResult } from 'pg';

/** A client inside the caller's transaction (the usual case: see above), or the pool. */
interface Queryable {
  query(sql: string, params?: unknown[]): Promise<QueryResult>;
}

export const RUN_ONBOARDING_STEP = 'run_onboarding_step';
export const DELIVER_EMAIL = 'deliver_email';

export interface RunOnboardingStepPayload {
  onboardingId: string;
}
export interface DeliverEmailPayload {
  emailId: string;
}

/** graphile-worker's own retries are for our bugs and database faults; step retries are ours (see onboarding-workflow.ts). */
const MAX_JOB_ATTEMPTS = 25;

/**
 * Schedules the next run of an onboarding's workflow, now or at `runAt`.
 * `keepExistingRunAt`: when a run is already pending, leave its time alone (used by the start-up
 * resumption sweep, which must not postpone a backoff nor bring it forward).
 */
export async function scheduleOnboardingRun(
  client: Queryable,
  onboardingId: string,
  options: { runAt?: Date; keepExistingRunAt?: boolean } = {},
): Promise<void> {
  await client.query(
    `SELECT graphile_worker.add_job($1, json_build_object('onboardingId', $2::text),
       queue_name => $3, run_at => $4, max_attempts => $5, job_key => $3, job_key_mode => $6)`,
    [
      RUN_ONBOARDING_STEP,
      onboardingId,
      `onboarding:${onboardingId}`,
      options.runAt ?? null,
      MAX_JOB_ATTEMPTS,
      options.keepExistingRunAt ? 'preserve_run_at' : 'replace',
    ],
  );
}

/** Schedules delivery of one outbox message; one pending job per message. */
export async function scheduleEmailDelivery(
  client: Queryable,
  emailId: string,
  options: { runAt?: Date; keepExistingRunAt?: boolean } = {},
): Promise<void> {
  await client.query(
    `SELECT graphile_worker.add_job($1, json_build_object('emailId', $2::text),
       run_at => $3, max_attempts => $4, job_key => $5, job_key_mode => $6)`,
    [DELIVER_EMAIL, emailId, options.runAt ?? null, MAX_JOB_ATTEMPTS, `email:${emailId}`, options.keepExistingRunAt ? 'preserve_run_at' : 'replace'],
  );
}

/**
 * Whether any job is ready for a worker now: due, not locked, and not in a queue another job of
 * the same onboarding holds. Read from graphile-worker's own tables (as worker-liveness.ts does),
 * in the same terms as its job claim, so "waiting" means a free worker would take it.
 */
export async function jobsWaiting(client: Queryable): Promise<boolean> {
  const { rows } = await client.query(
    `SELECT EXISTS (
       SELECT 1 FROM graphile_worker._private_jobs AS jobs
        WHERE jobs.is_available AND jobs.run_at <= now()
          AND (jobs.job_queue_id IS NULL
               OR jobs.job_queue_id IN (SELECT id FROM graphile_worker._private_job_queues WHERE is_available))
     ) AS waiting`,
  );
  return (rows[0] as { waiting: boolean } | undefined)?.waiting === true;
}
