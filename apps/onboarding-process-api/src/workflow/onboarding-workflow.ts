/**
 * The onboarding workflow: one run = the due steps of one onboarding, started by a graphile-worker job
 * (`run_onboarding_step`). A run reads where the onboarding stands, runs that step against the
 * downstreams, and commits the outcome in ONE transaction together with the job of the next run
 * (transactional outbox) — so each step is persisted with its outcome before the next begins, and
 * a crash at any point leaves either the old state with its job or the new state with its job.
 *
 * Exactly-once effects come from two things together:
 *  - every downstream write carries a key derived from the onboarding and the operation
 *    (`onboarding:<id>:customer`, ...), so re-running a step after a lost answer or a crash gets
 *    the same customer/account/billing account/payment method/deposit back;
 *  - the commit is guarded by the onboarding's `version`: if another run moved it on meanwhile,
 *    this run's commit is dropped (its writes were replays of the same keys anyway).
 * graphile-worker runs one onboarding's jobs one at a time across replicas (a queue per onboarding).
 */
import type { PoolClient } from 'pg';
import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '@bartholomew/platform/db';
import { OnboardingStepName } from '@bartholomew/contracts-onboarding-process';
import {
  findOnboarding,
  skipPendingSteps,
  updateOnboarding,
  updateStep,
  type OnboardingChanges,
  type OnboardingRecord,
  type Queryable,
} from '../onboarding/onboarding-repository';
import { compensate } from './compensation';
import { askedDelayMs, retryDelayMs, untilClosedMs } from '../jobs/backoff';
import { scheduleOnboardingRun } from '../jobs/job-queue';
import { stepAfter } from '../onboarding/step-plan';
import { classifyFault, coreBankingBatchWindowClosesInMs, describeFault, isCoreBankingWriteInDoubt } from './faults';
import type { StepContext, StepResult } from './step-result';
import { runAchVerificationStep } from './steps/ach-verification-step';
import { runBillingSetupStep } from './steps/billing-setup-step';
import { runKycStep } from './steps/kyc-step';
import { runOpenAccountStep } from './steps/open-account-step';
import { runOpeningDepositStep } from './steps/opening-deposit-step';
import { runWelcomeEmailStep } from './steps/welcome-email-step';

const STEP_RUNNERS: Record<OnboardingStepName, (ctx: StepContext, onboarding: OnboardingRecord) => Promise<StepResult>> = {
  kyc: runKycStep,
  ach_verification: runAchVerificationStep,
  open_account: runOpenAccountStep,
  billing_setup: runBillingSetupStep,
  opening_deposit: runOpeningDepositStep,
  welcome_email: runWelcomeEmailStep,
};

export interface WorkflowOptions {
  db: Database;
  log: FastifyBaseLogger;
  /** Everything a step needs except the per-run request id. */
  stepContext: Omit<StepContext, 'requestId' | 'log'>;
  retry: { baseMs: number; maxMs: number };
  /** Fault injection for the crash tests: called after each committed step. */
  afterStepCommitted?: (step: OnboardingStepName, onboardingId: string) => void;
  /** Fault injection for the crash tests: called when a step has a result, before it is committed. */
  beforeStepCommit?: (step: OnboardingStepName, onboardingId: string) => void;
  /** Told of every committed step result and every retry scheduled (metrics). */
  observer?: WorkflowObserver;
  /**
   * Whether other jobs wait for a worker: then a run gives its worker up after each step instead of
   * running the onboarding's next one too (the job its commit scheduled carries it on), so that with
   * every worker busy, onboardings take turns rather than queueing behind whole onboardings.
   */
  othersWaiting?: () => Promise<boolean>;
}

export interface WorkflowObserver {
  stepCommitted(step: OnboardingStepName, result: StepResult['kind']): void;
  stepRetryScheduled(step: OnboardingStepName): void;
}

const FINAL = new Set(['completed', 'rejected', 'failed']);
/** More steps than any onboarding has: a bound, should a step ever succeed without moving on. */
const MAX_STEPS_PER_JOB = 10;

export class OnboardingWorkflow {
  constructor(private readonly options: WorkflowOptions) {}

  /**
   * Runs whatever the onboarding needs next, and the steps after it while each is due at once;
   * called by the `run_onboarding_step` job. Back to back in one job, because the next step's
   * job waits in this onboarding's queue until this one ends, and only a poll finds it then
   * (WORKFLOW_POLL_INTERVAL_MS per step). Each commit still schedules that job: if this process
   * dies between two steps, it is what carries the onboarding on (it finds nothing to do otherwise).
   * Only while no other job waits for a worker, though: after a crash every interrupted onboarding
   * must move again within seconds, not after the whole of the ones picked up first.
   */
  async run(onboardingId: string): Promise<void> {
    for (let steps = 0; steps < MAX_STEPS_PER_JOB; steps += 1) {
      if (!(await this.runStep(onboardingId))) return;
      if (await this.options.othersWaiting?.()) return;
    }
  }

  /** One step; true when it succeeded and the next one is due now. */
  private async runStep(onboardingId: string): Promise<boolean> {
    const { db } = this.options;
    const onboarding = await findOnboarding(db.pool, onboardingId);
    if (!onboarding || FINAL.has(onboarding.status)) return false;
    const log = this.options.log.child({ onboardingId });

    if (onboarding.compensationPending) {
      await this.compensate(onboarding, log);
      return false;
    }
    if (onboarding.status === 'in_review') return false; // an operator decides; POST .../review schedules the next run
    if (onboarding.status === 'awaiting_customer') {
      await this.expireMicroDepositsIfDue(onboarding, log);
      return false;
    }
    const step = onboarding.currentStep;
    if (!step) return false;

    const started = await this.beginAttempt(onboarding, step);
    if (!started) return false; // moved on by someone else meanwhile
    const { record, attempt } = started;
    const requestId = `onboarding.${onboarding.id}.${step}.${attempt}`;
    const stepLog = log.child({ step, attempt });
    const ctx: StepContext = { ...this.options.stepContext, requestId, log: stepLog };

    let result: StepResult;
    try {
      result = await STEP_RUNNERS[step](ctx, record);
    } catch (error) {
      const kind = classifyFault(error);
      if (kind === 'transient') {
        await this.scheduleRetry(record, step, attempt, error, stepLog);
        return false;
      }
      if (kind === 'permanent') {
        const code = (error as { code?: string }).code ?? 'STEP_FAILED';
        result = { kind: 'failed', outcome: 'error', code: code.toUpperCase().replace(/[^A-Z0-9_]/g, '_'), message: describeFault(error) };
      } else {
        stepLog.error({ err: error }, 'onboarding step failed unexpectedly; the job will be retried');
        throw error;
      }
    }
    this.options.beforeStepCommit?.(step, record.id);
    const committed = await this.commit(record, step, result, stepLog);
    return result.kind === 'succeeded' && committed?.status === 'in_progress' && Boolean(committed.currentStep) && !committed.compensationPending;
  }

  /** Counts the attempt and shows the step running, before any downstream call. */
  private async beginAttempt(
    onboarding: OnboardingRecord,
    step: OnboardingStepName,
  ): Promise<{ record: OnboardingRecord; attempt: number } | undefined> {
    const countAttempt = async (client: Queryable) => {
      const { rows } = await client.query<{ attempts: number }>(
        `UPDATE onboarding_steps SET attempts = attempts + 1, state = 'running', started_at = coalesce(started_at, now())
         WHERE onboarding_id = $1 AND step = $2 RETURNING attempts`,
        [onboarding.id, step],
      );
      return rows[0]?.attempts ?? 1;
    };
    // Once started, one statement is atomic on its own: no BEGIN and COMMIT round trips for every step.
    if (onboarding.status !== 'pending') return { record: onboarding, attempt: await countAttempt(this.options.db.pool) };
    return this.options.db.transaction(async (client) => {
      const record = await updateOnboarding(client, onboarding.id, onboarding.version, { status: 'in_progress' });
      return record ? { record, attempt: await countAttempt(client) } : undefined;
    });
  }

  private async scheduleRetry(
    onboarding: OnboardingRecord,
    step: OnboardingStepName,
    attempt: number,
    error: unknown,
    log: FastifyBaseLogger,
  ): Promise<void> {
    const batchWindow = coreBankingBatchWindowClosesInMs(error) !== undefined;
    const delay = this.retryDelayFor(attempt, error);
    const nextAttemptAt = new Date(Date.now() + delay);
    // The onboarding stays in progress: a batch window is a wait, not a failure.
    const reason = batchWindow ? 'Waiting for core banking’s nightly batch window to close' : `Retrying: ${describeFault(error)}`;
    await this.options.db.transaction(async (client) => {
      await updateStep(client, onboarding.id, step, { lastError: describeFault(error), reason, nextAttemptAt });
      await scheduleOnboardingRun(client, onboarding.id, { runAt: nextAttemptAt });
    });
    this.options.observer?.stepRetryScheduled(step);
    if (isCoreBankingWriteInDoubt(error)) {
      // Once per attempt, at error level: retrying cannot settle it, only an operator can (against
      // core banking, by the onboarding's idempotency key). Ids and codes only, no applicant data.
      log.error(
        { reason: describeFault(error), retryInMs: delay, operatorActionNeeded: true },
        'a core banking write of this onboarding is in doubt; an operator must settle it before the step can go on',
      );
    } else if (batchWindow) {
      log.info({ retryInMs: delay }, 'core banking is in its batch window; the step waits until it closes');
    } else {
      log.warn({ reason: describeFault(error), retryInMs: delay }, 'onboarding step met a transient fault; retrying later');
    }
  }

  /** Backoff, except for core banking's batch window, which says when it closes: that is waited out in full. */
  private retryDelayFor(attempt: number, error: unknown): number {
    const closesInMs = coreBankingBatchWindowClosesInMs(error);
    if (closesInMs !== undefined) return untilClosedMs(closesInMs, this.options.retry);
    return retryDelayMs(attempt, this.options.retry, askedDelayMs(error));
  }

  /** Persists a step's result, the onboarding's new state and the next job, atomically. */
  private async commit(
    onboarding: OnboardingRecord,
    step: OnboardingStepName,
    result: StepResult,
    log: FastifyBaseLogger,
  ): Promise<OnboardingRecord | undefined> {
    const committed = await this.options.db.transaction(async (client) => {
      const changes = this.onboardingChangesFor(onboarding, step, result);
      const updated = await updateOnboarding(client, onboarding.id, onboarding.version, changes);
      if (!updated) return undefined;
      const finishedAt = result.kind === 'waiting' ? null : new Date();
      await updateStep(client, onboarding.id, step, {
        state: result.kind === 'succeeded' ? 'succeeded' : result.kind === 'waiting' ? 'waiting' : 'failed',
        outcome: result.outcome,
        reason: result.kind === 'waiting' ? (result.reason ?? null) : result.kind === 'succeeded' ? null : `${result.code}: ${result.message}`,
        finishedAt,
        lastError: null,
        nextAttemptAt: null,
      });
      await this.scheduleAfter(client, updated, result);
      if (result.kind === 'succeeded' && result.alsoInTransaction) await result.alsoInTransaction(client, updated);
      return updated;
    });
    if (!committed) {
      log.warn({}, 'onboarding changed while the step ran; this run’s result is dropped');
      return undefined;
    }
    this.options.observer?.stepCommitted(step, result.kind);
    log.info({ outcome: result.outcome, status: committed.status, next: committed.currentStep }, 'onboarding step committed');
    this.options.afterStepCommitted?.(step, onboarding.id);
    if (committed.compensationPending) await this.compensate(committed, log);
    return committed;
  }

  private onboardingChangesFor(onboarding: OnboardingRecord, step: OnboardingStepName, result: StepResult): OnboardingChanges {
    switch (result.kind) {
      case 'succeeded': {
        const next = stepAfter(step, onboarding.openingDeposit !== null);
        return next
          ? { ...result.changes, status: 'in_progress', currentStep: next }
          : { ...result.changes, status: 'completed', currentStep: null, finishedAt: new Date() };
      }
      case 'waiting':
        return { ...result.changes, status: result.status };
      case 'rejected':
        return {
          ...result.changes,
          status: 'rejected',
          currentStep: null,
          reasonCode: result.code,
          reasonMessage: result.message,
          finishedAt: new Date(),
        };
      case 'failed': {
        const created = { ...onboarding, ...result.changes };
        const needsCompensation = Boolean(created.accountId || created.billingAccountId);
        return {
          ...result.changes,
          reasonCode: result.code,
          reasonMessage: result.message,
          ...(needsCompensation
            ? { status: 'in_progress' as const, compensationPending: true }
            : { status: 'failed' as const, currentStep: null, finishedAt: new Date() }),
        };
      }
    }
  }

  private async scheduleAfter(client: PoolClient, updated: OnboardingRecord, result: StepResult): Promise<void> {
    if (result.kind === 'succeeded' && updated.currentStep) await scheduleOnboardingRun(client, updated.id);
    if (result.kind === 'waiting' && result.wakeAt) await scheduleOnboardingRun(client, updated.id, { runAt: result.wakeAt });
    if (updated.compensationPending) await scheduleOnboardingRun(client, updated.id);
    if (updated.finishedAt) await skipPendingSteps(client, updated.id);
  }

  /** The applicant let the micro-deposits expire: the ACH step fails and the onboarding is rejected. */
  private async expireMicroDepositsIfDue(onboarding: OnboardingRecord, log: FastifyBaseLogger): Promise<void> {
    if (!onboarding.achExpiresAt) return;
    if (onboarding.achExpiresAt.getTime() > Date.now()) {
      await scheduleOnboardingRun(this.options.db.pool, onboarding.id, { runAt: onboarding.achExpiresAt });
      return;
    }
    await this.commit(
      onboarding,
      OnboardingStepName.ach_verification,
      { kind: 'rejected', outcome: 'expired', code: 'MICRO_DEPOSITS_EXPIRED', message: 'The micro-deposits were not confirmed in time' },
      log,
    );
  }

  private async compensate(onboarding: OnboardingRecord, log: FastifyBaseLogger): Promise<void> {
    const requestId = `onboarding.${onboarding.id}.compensation`;
    try {
      const note = await compensate({ ...this.options.stepContext, requestId, log }, onboarding);
      const done = await this.options.db.transaction(async (client) => {
        const updated = await updateOnboarding(client, onboarding.id, onboarding.version, {
          status: 'failed',
          currentStep: null,
          compensationPending: false,
          reasonMessage: `${onboarding.reasonMessage ?? 'The onboarding failed'}; ${note}`.slice(0, 500),
          finishedAt: new Date(),
        });
        if (updated) await skipPendingSteps(client, onboarding.id);
        return updated;
      });
      if (done) log.info({ note }, 'onboarding failed; compensation done');
    } catch (error) {
      if (classifyFault(error) !== 'transient') throw error;
      const runAt = new Date(Date.now() + this.retryDelayFor(1, error));
      await scheduleOnboardingRun(this.options.db.pool, onboarding.id, { runAt });
      log.warn({ reason: describeFault(error) }, 'compensation met a transient fault; retrying later');
    }
  }
}
