import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { PoolClient } from 'pg';
import fp from 'fastify-plugin';
import { Counter, Gauge } from 'prom-client';
import { Logger, makeWorkerUtils, run, runMigrations, type Runner, type WorkerEvents, type WorkerUtils } from 'graphile-worker';
import { OnboardingStepName } from '@bartholomew/contracts-onboarding-process';
import type { OnboardingConfig } from '../config';
import { deliverEmail } from '../email/email-relay';
import { unsentMessageIds } from '../email/email-outbox';
import { emlFileTransport, smtpTransport, type MailTransport } from '../email/mail-transport';
import { ownersOfCustomer, unfinishedOnboardingIds } from '../onboarding/onboarding-repository';
import {
  DELIVER_EMAIL,
  RUN_ONBOARDING_STEP,
  jobsWaiting,
  scheduleEmailDelivery,
  scheduleOnboardingRun,
  type DeliverEmailPayload,
  type RunOnboardingStepPayload,
} from '../jobs/job-queue';
import { retryDelayMs } from '../jobs/backoff';
import { WorkerLiveness } from '../jobs/worker-liveness';
import { OnboardingWorkflow } from './onboarding-workflow';

export interface WorkflowPluginOptions {
  config: OnboardingConfig;
  /** Replaces the mail transport built from config (tests). */
  mailTransport?: MailTransport;
}

/** Between attempts to restart a worker pool that stopped (while the database is down, mostly). */
const POOL_RESTART_BACKOFF = { baseMs: 250, maxMs: 2_000 };

/**
 * graphile-worker's log lines, through our pino logger (and so through its redaction). Its `info`
 * (a line per completed job, with the whole job row) goes to debug: the workflow logs each step.
 */
function graphileLogger(log: FastifyBaseLogger): Logger {
  return new Logger((scope) => (level, message, meta) => {
    const fields = { ...scope, ...meta };
    if (level === 'error') log.error(fields, message);
    else if (level === 'warning') log.warn(fields, message);
    else log.debug(fields, message);
  });
}

/**
 * The durable workflow engine of this service: graphile-worker in the service's own database.
 * At start its schema is migrated (always, so the API can enqueue even on API-only replicas);
 * with WORKFLOW_WORKER_ENABLED the worker pool runs the onboarding steps and the email relay, its
 * liveness is held by a PostgreSQL session so jobs of crashed replicas are released at once (see
 * jobs/worker-liveness.ts), and every unfinished onboarding and unsent email is
 * (re)scheduled — belt and braces: their jobs were committed with their state.
 */
async function workflowPlugin(app: FastifyInstance, options: WorkflowPluginOptions): Promise<void> {
  const { config } = options;
  const log = app.log.child({ component: 'workflow' });
  const logger = graphileLogger(log);
  // graphile-worker checks out clients without listening for their errors (LISTEN for long, a job
  // claim for a moment): a connection dropping under one must be handled, not crash the process
  // (the platform's pool listens for errors on idle clients only). On every checkout, not only on
  // 'connect': the clients opened before this plugin (the platform's migrations) count too.
  const guarded = new WeakSet<object>();
  const guard = (client: PoolClient) => {
    if (guarded.has(client)) return;
    guarded.add(client);
    client.on('error', (error) => log.warn({ err: error }, 'a PostgreSQL connection of the worker failed'));
  };
  app.db.pool.on('connect', guard);
  app.db.pool.on('acquire', guard);
  await runMigrations({ pgPool: app.db.pool, logger });
  if (!config.WORKFLOW_WORKER_ENABLED) {
    log.info({}, 'WORKFLOW_WORKER_ENABLED=false: this replica serves the API only');
    return;
  }

  const transport =
    options.mailTransport ??
    (config.SMTP_URL ? smtpTransport(config.SMTP_URL) : emlFileTransport(join(config.DATA_DIR, 'onboarding-process-api', 'outbox'), log));
  const retry = { baseMs: config.STEP_RETRY_BASE_MS, maxMs: config.STEP_RETRY_MAX_MS };
  const crashAt = (point: OnboardingStepName | undefined, what: string) =>
    point
      ? (step: OnboardingStepName) => {
          if (step !== point) return;
          log.warn({ step }, `${what}: killing this process (fault injection)`);
          process.kill(process.pid, 'SIGKILL');
        }
      : undefined;
  const workflow = new OnboardingWorkflow({
    db: app.db,
    log,
    retry,
    stepContext: {
      ...app.downstream,
      pii: app.pii,
      customerOwners: (customerId) => ownersOfCustomer(app.db.pool, customerId),
      microDeposits: { maxAttempts: config.MICRO_DEPOSIT_MAX_ATTEMPTS },
      mail: { from: config.MAIL_FROM, messageIdDomain: config.MAIL_MESSAGE_ID_DOMAIN },
      now: () => new Date(),
    },
    afterStepCommitted: crashAt(config.ONBOARDING_CRASH_AFTER_STEP, 'ONBOARDING_CRASH_AFTER_STEP'),
    beforeStepCommit: crashAt(config.ONBOARDING_CRASH_BEFORE_COMMIT, 'ONBOARDING_CRASH_BEFORE_COMMIT'),
    observer: workflowMetrics(app),
    othersWaiting: () => jobsWaiting(app.db.pool),
  });

  const liveness = new WorkerLiveness({
    db: app.db,
    log,
    sweepIntervalMs: config.WORKER_SWEEP_INTERVAL_MS,
    unregisteredGraceMs: config.WORKER_LOCK_STALE_MS,
  });
  const events: WorkerEvents = new EventEmitter();
  let createdPoolId: string | undefined;
  events.on('pool:create', ({ workerPool }) => {
    createdPoolId = workerPool.id;
    liveness.addPool(workerPool.id);
  });

  let runner: Runner | undefined;
  /** Set while the worker pool is down and being restarted. */
  let poolStopped: Error | undefined;
  let closing = false;
  const restartAbort = new AbortController();
  let restarting: Promise<void> | undefined;
  let utils: WorkerUtils | undefined;
  let queueGc: NodeJS.Timeout | undefined;
  // A replica whose worker pool is down must leave rotation until it is back: its onboardings would stall.
  app.readinessChecks.set('workflow-worker', async () => {
    if (poolStopped) throw new Error('the workflow worker pool stopped unexpectedly; restarting it');
    if (!runner) throw new Error('the workflow worker pool has not started');
    liveness.assertConnected();
  });

  // A job claim whose answer was lost (the connection dropped after the server committed it)
  // leaves a job locked by this live pool that none of its workers runs — for graphile-worker's
  // 4 hours. The pool cannot tell, so it is cycled: stopped (its running jobs finish), what it
  // held released, a new one started (below).
  let runningPoolId: string | undefined;
  events.on('worker:getJob:error', ({ worker, error }) => {
    if (closing || poolStopped || worker.workerPool.id !== runningPoolId) return;
    runningPoolId = undefined;
    log.warn({ err: error, worker: worker.workerPool.id }, 'claiming a job failed; restarting the worker pool to release what it may hold');
    void runner?.stop('a job claim failed').catch(() => undefined);
  });

  const startPool = async (): Promise<void> => {
    const started = await run({
      pgPool: app.db.pool,
      logger,
      events,
      concurrency: config.WORKFLOW_CONCURRENCY,
      pollInterval: config.WORKFLOW_POLL_INTERVAL_MS,
      noHandleSignals: true,
      crontab: '', // no recurring jobs (and no crontab file to look for)
      // Batched (after a tick) so that a job outcome that cannot be recorded — the database went
      // away mid-job — stops the pool, which is then restarted below and its jobs released.
      // Unbatched, graphile-worker drops that rejection: the job would stay locked by a live pool
      // (for 4 hours) and the unhandled rejection would take the whole process down.
      preset: { worker: { completeJobBatchDelay: 0, failJobBatchDelay: 0 } },
      taskList: {
        [RUN_ONBOARDING_STEP]: async (payload) => workflow.run((payload as RunOnboardingStepPayload).onboardingId),
        [DELIVER_EMAIL]: async (payload) =>
          deliverEmail({ db: app.db, transport, from: config.MAIL_FROM, log, retry }, (payload as DeliverEmailPayload).emailId),
      },
    });
    const poolId = createdPoolId;
    runner = started;
    runningPoolId = poolId;
    // graphile-worker resolves the runner's promise also when its pool died of an error (it logs
    // it and stops): any end we did not ask for is a failure.
    void started.promise
      .then(
        () => new Error('the worker pool exited'),
        (error: unknown) => error,
      )
      .then((error) => {
        if (closing || runner !== started) return;
        poolStopped = error instanceof Error ? error : new Error(String(error));
        log.error({ err: error, worker: poolId }, 'the workflow worker pool stopped unexpectedly; restarting it');
        restarting = restartPool(poolId);
      });
  };

  /**
   * Restarts a pool that stopped, with capped backoff until the database answers again: first
   * what the dead pool held is released (its jobs run again), then a new pool starts, then every
   * unfinished onboarding and unsent email is scheduled once more.
   */
  const restartPool = async (deadPoolId: string | undefined): Promise<void> => {
    for (let attempt = 1; !closing; attempt++) {
      try {
        await delay(retryDelayMs(attempt, POOL_RESTART_BACKOFF), undefined, { signal: restartAbort.signal });
        if (deadPoolId) await liveness.retirePool(deadPoolId);
        deadPoolId = undefined;
        await startPool();
        break;
      } catch (error) {
        if (closing) return;
        log.warn({ err: error, attempt }, 'restarting the workflow worker pool failed; will try again');
      }
    }
    if (closing) return;
    poolStopped = undefined;
    log.info({}, 'the workflow worker pool was restarted');
    await resumeUnfinishedWork(app, log).catch((error: unknown) => log.warn({ err: error }, 'resuming unfinished work after the restart failed'));
  };

  app.addHook('onReady', async () => {
    // Before the pool exists: its registration (on `pool:create`) needs the session.
    await liveness.connect();
    await startPool();
    // Dead pools' jobs are released first, so resuming finds them unlocked (and does not detach them).
    await liveness.start();
    await resumeUnfinishedWork(app, log);
    // A queue per onboarding leaves a queue row per onboarding behind: drop the unused ones hourly.
    utils = await makeWorkerUtils({ pgPool: app.db.pool, logger });
    const collectQueues = () =>
      utils?.cleanup({ tasks: ['GC_JOB_QUEUES'] }).catch((error: unknown) => log.warn({ err: error }, 'job queue cleanup failed'));
    await collectQueues();
    queueGc = setInterval(collectQueues, 3_600_000);
    queueGc.unref();
  });
  // preClose: before the platform closes the database pool the worker uses.
  app.addHook('preClose', async () => {
    if (queueGc) clearInterval(queueGc);
    closing = true;
    restartAbort.abort();
    await restarting;
    await liveness.stopSweeping();
    // A pool that stopped on its own has nothing left to stop.
    await runner?.stop().catch(() => undefined);
    // Only once the pool has released its jobs: until then other replicas must see it alive.
    await liveness.close();
    await utils?.release();
    transport.close();
  });
}

/**
 * What operators watch: step results and retries by step, and how many onboardings are in each
 * status right now (read from the database at scrape time, so every replica reports the same).
 */
function workflowMetrics(app: FastifyInstance) {
  const registers = [app.metricsRegistry];
  const steps = new Counter({
    name: 'onboarding_steps_total',
    help: 'Onboarding step results committed by this replica, by step and result',
    labelNames: ['step', 'result'] as const,
    registers,
  });
  const retries = new Counter({
    name: 'onboarding_step_retries_total',
    help: 'Onboarding step retries scheduled after a transient fault, by step',
    labelNames: ['step'] as const,
    registers,
  });
  new Gauge({
    name: 'onboardings',
    help: 'Onboardings by status',
    labelNames: ['status'] as const,
    registers,
    async collect() {
      const { rows } = await app.db.query<{ status: string; count: number }>(
        'SELECT status, count(*)::int AS count FROM onboardings GROUP BY status',
      );
      this.reset();
      for (const row of rows) this.set({ status: row.status }, row.count);
    },
  });
  return {
    stepCommitted: (step: OnboardingStepName, result: string) => steps.inc({ step, result }),
    stepRetryScheduled: (step: OnboardingStepName) => retries.inc({ step }),
  };
}

/** Schedules a run for every unfinished onboarding and unsent email, keeping any pending run's time. */
async function resumeUnfinishedWork(app: FastifyInstance, log: FastifyBaseLogger): Promise<void> {
  const onboardings = await unfinishedOnboardingIds(app.db.pool);
  for (const id of onboardings) await scheduleOnboardingRun(app.db.pool, id, { keepExistingRunAt: true });
  const emails = await unsentMessageIds(app.db.pool);
  for (const id of emails) await scheduleEmailDelivery(app.db.pool, id, { keepExistingRunAt: true });
  if (onboardings.length + emails.length > 0) log.info({ onboardings: onboardings.length, emails: emails.length }, 'resumed unfinished work');
}

export const workflowEngine = fp(workflowPlugin, {
  name: 'onboarding-workflow',
  dependencies: ['platform', 'onboarding-downstreams'],
  fastify: '5.x',
});
