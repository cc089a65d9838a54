import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Counter, Gauge } from 'prom-client';
import { Logger, makeWorkerUtils, run, runMigrations, type Runner, type WorkerEvents, type WorkerUtils } from 'graphile-worker';
import { OnboardingStepName } from '@bartholomew/contracts-onboarding-process';
import type { OnboardingConfig } from '../config';
import { deliverEmail } from '../email/email-relay';
import { unsentMessageIds } from '../email/email-outbox';
import { emlFileTransport, smtpTransport, type MailTransport } from '../email/mail-transport';
import { unfinishedOnboardingIds } from '../onboarding/onboarding-repository';
import {
  DELIVER_EMAIL,
  RUN_ONBOARDING_STEP,
  scheduleEmailDelivery,
  scheduleOnboardingRun,
  type DeliverEmailPayload,
  type RunOnboardingStepPayload,
} from '../jobs/job-queue';
import { WorkerLiveness } from '../jobs/worker-liveness';
import { OnboardingWorkflow } from './onboarding-workflow';

export interface WorkflowPluginOptions {
  config: OnboardingConfig;
  /** Replaces the mail transport built from config (tests). */
  mailTransport?: MailTransport;
}

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
  // graphile-worker checks out clients for long (LISTEN): an error on one of them must be handled,
  // not crash the process (the platform's pool listens for errors on idle clients only).
  app.db.pool.on('connect', (client) => client.on('error', (error) => log.warn({ err: error }, 'a PostgreSQL connection of the worker failed')));
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
      microDeposits: { maxAttempts: config.MICRO_DEPOSIT_MAX_ATTEMPTS },
      mail: { from: config.MAIL_FROM, messageIdDomain: config.MAIL_MESSAGE_ID_DOMAIN },
      now: () => new Date(),
    },
    afterStepCommitted: crashAt(config.ONBOARDING_CRASH_AFTER_STEP, 'ONBOARDING_CRASH_AFTER_STEP'),
    beforeStepCommit: crashAt(config.ONBOARDING_CRASH_BEFORE_COMMIT, 'ONBOARDING_CRASH_BEFORE_COMMIT'),
    observer: workflowMetrics(app),
  });

  const liveness = new WorkerLiveness({
    db: app.db,
    log,
    sweepIntervalMs: config.WORKER_SWEEP_INTERVAL_MS,
    unregisteredGraceMs: config.WORKER_LOCK_STALE_MS,
  });
  const events: WorkerEvents = new EventEmitter();
  events.on('pool:create', ({ workerPool }) => liveness.addPool(workerPool.id));

  let runner: Runner | undefined;
  let runnerFailure: unknown;
  let utils: WorkerUtils | undefined;
  let queueGc: NodeJS.Timeout | undefined;
  // A replica whose worker pool has died must leave rotation: its onboardings would stall.
  app.readinessChecks.set('workflow-worker', async () => {
    if (runnerFailure !== undefined) throw new Error('the workflow worker pool stopped unexpectedly');
    if (!runner) throw new Error('the workflow worker pool has not started');
    liveness.assertConnected();
  });
  app.addHook('onReady', async () => {
    // Before the pool exists: its registration (on `pool:create`) needs the session.
    await liveness.connect();
    runner = await run({
      pgPool: app.db.pool,
      logger,
      events,
      concurrency: config.WORKFLOW_CONCURRENCY,
      pollInterval: config.WORKFLOW_POLL_INTERVAL_MS,
      noHandleSignals: true,
      crontab: '', // no recurring jobs (and no crontab file to look for)
      taskList: {
        [RUN_ONBOARDING_STEP]: async (payload) => workflow.run((payload as RunOnboardingStepPayload).onboardingId),
        [DELIVER_EMAIL]: async (payload) =>
          deliverEmail({ db: app.db, transport, from: config.MAIL_FROM, log, retry }, (payload as DeliverEmailPayload).emailId),
      },
    });
    runner.promise.catch((error: unknown) => {
      runnerFailure = error;
      log.error({ err: error }, 'the workflow worker pool stopped unexpectedly');
    });
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
    await liveness.stopSweeping();
    await runner?.stop();
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
