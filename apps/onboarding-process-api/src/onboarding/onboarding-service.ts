/**
 * The commands and queries behind the onboarding routes. Every state change commits together
 * with the workflow job it calls for (`scheduleOnboardingRun` on the same connection).
 */
import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '@bartholomew/platform/db';
import { fingerprintRequest, withIdempotency, type IdempotentResult, type PiiVault } from '@bartholomew/platform/server';
import type {
  AdditionalAccountRequest,
  ListOnboardingsQuery,
  Onboarding,
  OnboardingList,
  ReviewDecisionRequest,
  StartOnboardingRequest,
} from '@bartholomew/contracts-onboarding-process';
import { BANK_TIME_ZONE, calendarDateIn, checkApplication } from '@bartholomew/onboarding-rules';
import {
  ApplicationFieldsInvalid,
  CustomerNotFound,
  MicroDepositAmountsMismatch,
  MicroDepositsExpired,
  NoMicroDepositsPending,
  OnboardingNotFound,
  OnboardingNotInReview,
} from '../errors';
import { scheduleOnboardingRun } from '../jobs/job-queue';
import { initialTimeline, STEP_ORDER } from './step-plan';
import { confirmMicroDeposits, type MicroDepositAmounts } from '../ach-verification/ach-verifier';
import { decodeCursor, encodeCursor } from './list-cursor';
import {
  findOnboarding,
  insertOnboarding,
  insertSteps,
  latestOnboardingOfOwnerForCustomer,
  listOnboardingsOfOwner,
  listSteps,
  listStepsOfOnboardings,
  skipPendingSteps,
  updateOnboarding,
  updateStep,
  type OnboardingRecord,
  type Queryable,
} from './onboarding-repository';
import { toOnboardingView } from './onboarding-view';
import { decideCustomerMatch } from './customer-match-review';
import { additionalAccountApplication, type AdditionalAccountApplication } from './additional-account';

/** Who asks: the calling service, and the end user it acts for (absent for operators). */
export interface Requester {
  callerName: string;
  isOperator: boolean;
  endUser: string | undefined;
  requestId: string;
}

export interface OnboardingServiceOptions {
  db: Database;
  pii: PiiVault;
  log: FastifyBaseLogger;
  /** The clock ages are counted against. Default: the system clock. */
  now?: () => Date;
}

export class OnboardingService {
  private readonly now: () => Date;

  constructor(private readonly options: OnboardingServiceOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Accepts an application: first every rule that needs no vendor (422 naming each broken field,
   * nothing stored — so an unknown plan or a never-issued SSN is refused now, not after KYC, ACH
   * verification and account opening), then persists it (PII encrypted), its timeline and the
   * first workflow job, in one transaction, at most once per (caller, end user, Idempotency-Key).
   * `forCustomer`: the application opens another account for this existing customer of the end
   * user (see `startForCustomer`); its keys are kept apart from new applications'.
   */
  async start(
    requester: Requester & { endUser: string },
    idempotencyKey: string,
    body: StartOnboardingRequest,
    forCustomer?: AdditionalAccountApplication,
  ): Promise<IdempotentResult<Onboarding>> {
    const { db, pii } = this.options;
    const fieldErrors = checkApplication(body, calendarDateIn(this.now(), BANK_TIME_ZONE));
    if (fieldErrors.length > 0) {
      throw Object.assign(new ApplicationFieldsInvalid(fieldErrors.length), {
        problemExtensions: { errors: fieldErrors.map((error) => ({ ...error, path: `body${error.pointer}`, message: error.detail })) },
      });
    }
    return withIdempotency(
      db,
      {
        scope: `${requester.callerName}:${requester.endUser}:${forCustomer ? 'open-additional-account' : 'start-onboarding'}`,
        key: idempotencyKey,
        requestHash: fingerprintRequest(pii, forCustomer ? forCustomer.request : body),
      },
      async (client) => {
        const { applicant, product, fundingAccount } = body;
        const ssnDigits = applicant.ssn.replace(/-/g, '');
        const id = randomUUID();
        const record = await insertOnboarding(client, {
          id,
          owner: requester.endUser,
          startedBy: requester.callerName,
          requestId: requester.requestId,
          legalName: applicant.legalName.trim(),
          dateOfBirth: applicant.dateOfBirth,
          email: applicant.email,
          phone: applicant.phone,
          address: applicant.address,
          ssnEncrypted: pii.encrypt(ssnDigits),
          ssnLast4: ssnDigits.slice(-4),
          productType: product.productType,
          planCode: product.planCode,
          fundingRoutingNumber: fundingAccount.routingNumber,
          fundingAccountType: fundingAccount.accountType,
          fundingAccountEncrypted: pii.encrypt(fundingAccount.accountNumber),
          fundingAccountLast4: fundingAccount.accountNumber.slice(-4),
          openingDeposit: body.openingDeposit ?? null,
          firstStep: STEP_ORDER[0],
          customerId: forCustomer?.customerId,
        });
        await insertSteps(client, id, initialTimeline(body.openingDeposit !== undefined));
        await scheduleOnboardingRun(client, id);
        this.options.log.info({ onboardingId: id, owner: requester.endUser }, 'onboarding accepted');
        return {
          statusCode: 202,
          body: toOnboardingView(record, await listSteps(client, id)),
        };
      },
      // Accepting is slow-ish (encryption, timeline, first job): a duplicate gets 409 at once, not a wait.
      { whileInFlight: 'refuse' },
    );
  }

  /**
   * Another account for one of the end user's customers, from only what is new (product, plan,
   * funding, deposit): the applicant is taken from the end user's earlier application for that
   * customer. A customer none of the end user's onboardings is recorded against is not theirs: 404,
   * as for no customer at all.
   */
  async startForCustomer(
    requester: Requester & { endUser: string },
    idempotencyKey: string,
    customerId: string,
    body: AdditionalAccountRequest,
  ): Promise<IdempotentResult<Onboarding>> {
    const earlier = await latestOnboardingOfOwnerForCustomer(this.options.db, requester.endUser, customerId);
    if (!earlier) throw new CustomerNotFound(customerId);
    return this.start(requester, idempotencyKey, additionalAccountApplication(earlier, body, this.options.pii), {
      customerId,
      request: { customerId, ...body },
    });
  }

  async get(requester: Requester, id: string): Promise<Onboarding> {
    const record = await this.visibleOnboarding(this.options.db, requester, id);
    return toOnboardingView(record, await listSteps(this.options.db, id));
  }

  async list(query: ListOnboardingsQuery): Promise<OnboardingList> {
    const limit = query.limit ?? 20;
    const records = await listOnboardingsOfOwner(this.options.db, {
      owner: query.owner,
      status: query.status,
      limit: limit + 1,
      after: query.cursor ? decodeCursor(query.cursor) : undefined,
    });
    const page = records.slice(0, limit);
    // One query for the steps of the whole page, not one per onboarding.
    const steps = await listStepsOfOnboardings(
      this.options.db,
      page.map((record) => record.id),
    );
    const items = page.map((record) => toOnboardingView(record, steps.get(record.id) ?? []));
    const last = page.at(-1);
    return {
      items,
      nextCursor: records.length > limit && last ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : null,
    };
  }

  /**
   * The applicant's micro-deposit amounts. The row is locked while the provider compares them,
   * so concurrent confirmations count attempts one by one. Right → the ACH step succeeds and the
   * workflow continues; wrong → one attempt fewer (none left → the ACH step fails and the
   * onboarding is rejected); too late → rejected as expired. Refusals are thrown after the
   * transaction commits, so the state change they report is kept.
   */
  async confirmMicroDeposits(requester: Requester, id: string, amountsMinor: readonly [number, number]): Promise<Onboarding> {
    const { db, pii } = this.options;
    const outcome = await db.transaction(async (client) => {
      const record = await this.visibleOnboarding(client, requester, id, {
        forUpdate: true,
      });
      if (record.status !== 'awaiting_customer' || record.currentStep !== 'ach_verification' || !record.achMicroDepositsEncrypted) {
        return { refusal: new NoMicroDepositsPending(id) };
      }
      if (record.achExpiresAt && record.achExpiresAt.getTime() <= Date.now()) {
        await this.rejectAch(client, record, 'expired', 'MICRO_DEPOSITS_EXPIRED', 'The micro-deposits were not confirmed in time');
        return { refusal: new MicroDepositsExpired(id) };
      }
      const expected = JSON.parse(pii.decrypt(record.achMicroDepositsEncrypted)) as MicroDepositAmounts;
      const matched = confirmMicroDeposits(expected, amountsMinor);
      if (matched) {
        const updated = await updateOnboarding(client, id, record.version, {
          status: 'in_progress',
          currentStep: 'open_account',
          achAttemptsRemaining: null,
          achMicroDepositsEncrypted: null,
        });
        await updateStep(client, id, 'ach_verification', {
          state: 'succeeded',
          outcome: 'micro_deposits_confirmed',
          reason: null,
          finishedAt: new Date(),
        });
        await scheduleOnboardingRun(client, id);
        return { record: updated };
      }
      const remaining = Math.max(0, (record.achAttemptsRemaining ?? 1) - 1);
      if (remaining === 0) {
        await this.rejectAch(client, record, 'attempts_exceeded', 'MICRO_DEPOSIT_ATTEMPTS_EXCEEDED', 'Too many wrong micro-deposit amounts');
      } else {
        await updateOnboarding(client, id, record.version, {
          achAttemptsRemaining: remaining,
        });
      }
      return {
        refusal: Object.assign(new MicroDepositAmountsMismatch(remaining), {
          problemExtensions: { attemptsRemaining: remaining },
        }),
      };
    });
    if ('refusal' in outcome) throw outcome.refusal;
    return this.get(requester, id);
  }

  /** An operator's decision on an application held for review: by KYC, or at open_account on a customer match. */
  async review(requester: Requester, id: string, decision: ReviewDecisionRequest): Promise<Onboarding> {
    const outcome = await this.options.db.transaction(async (client) => {
      const record = await findOnboarding(client, id, { forUpdate: true });
      if (!record) throw new OnboardingNotFound(id);
      if (record.status !== 'in_review' || (record.currentStep !== 'kyc' && record.currentStep !== 'open_account')) {
        return { refusal: new OnboardingNotInReview(id) };
      }
      const note = `${decision.decision === 'approve' ? 'Approved' : 'Rejected'} by ${requester.callerName}: ${decision.reason}`.slice(0, 500);
      // Held at open_account: the applicant may be the bank's customer with the same SSN.
      if (record.currentStep === 'open_account') await decideCustomerMatch(client, record, decision, note);
      else if (decision.decision === 'approve') {
        await updateOnboarding(client, id, record.version, {
          status: 'in_progress',
          currentStep: 'ach_verification',
        });
        await updateStep(client, id, 'kyc', {
          state: 'succeeded',
          outcome: 'approved_on_review',
          reason: note,
          finishedAt: new Date(),
        });
        await scheduleOnboardingRun(client, id);
      } else {
        await updateOnboarding(client, id, record.version, {
          status: 'rejected',
          currentStep: null,
          reasonCode: 'KYC_REJECTED_ON_REVIEW',
          reasonMessage: decision.reason.slice(0, 500),
          finishedAt: new Date(),
        });
        await updateStep(client, id, 'kyc', {
          state: 'failed',
          outcome: 'rejected_on_review',
          reason: note,
          finishedAt: new Date(),
        });
        await skipPendingSteps(client, id);
      }
      this.options.log.info(
        {
          onboardingId: id,
          decision: decision.decision,
          operator: requester.callerName,
        },
        'review decided',
      );
      return {};
    });
    if ('refusal' in outcome) throw outcome.refusal;
    return this.get(requester, id);
  }

  /** An onboarding the requester may see: operators see all, an end user only their own (else 404, no leak). */
  private async visibleOnboarding(db: Queryable, requester: Requester, id: string, options: { forUpdate?: boolean } = {}): Promise<OnboardingRecord> {
    const record = await findOnboarding(db, id, options);
    if (!record || (!requester.isOperator && record.owner !== requester.endUser)) throw new OnboardingNotFound(id);
    return record;
  }

  private async rejectAch(client: Queryable, record: OnboardingRecord, outcome: string, code: string, message: string): Promise<void> {
    await updateOnboarding(client, record.id, record.version, {
      status: 'rejected',
      currentStep: null,
      reasonCode: code,
      reasonMessage: message,
      achAttemptsRemaining: 0,
      achMicroDepositsEncrypted: null,
      finishedAt: new Date(),
    });
    await updateStep(client, record.id, 'ach_verification', {
      state: 'failed',
      outcome,
      reason: `${code}: ${message}`,
      finishedAt: new Date(),
    });
    await skipPendingSteps(client, record.id);
  }
}
