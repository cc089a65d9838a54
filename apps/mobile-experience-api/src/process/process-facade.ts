import type {
  AccountTransactionPage,
  AccountTransactionsQuery,
  CustomerOverview,
  ListOnboardingsQuery,
  Onboarding,
  OnboardingList,
  StartOnboardingRequest,
} from '@bartholomew/contracts-onboarding-process';
import { OnboardingProblemCode } from '@bartholomew/contracts-onboarding-process';
import { DownstreamRejected, DownstreamUnavailable } from '@bartholomew/platform';
import type { FastifyRequest } from 'fastify';
import {
  ApplicationInvalid,
  IdempotencyKeyReused,
  InvalidCursor,
  IdempotentRequestInProgress,
  MicroDepositAmountsMismatch,
  MicroDepositsExpired,
  NoMicroDepositsPending,
  OnboardingNotFound,
  ServiceUnavailable,
} from '../errors';
import { markStale } from '@bartholomew/experience-kit';
import type { LastGoodAnswers } from '@bartholomew/experience-kit';
import type { EndUserCall, OnboardingProcess } from './onboarding-process';

/**
 * The Process API as this service's routes use it: always on behalf of the request's end user,
 * with its request id; the Process API's refusals turned into this API's own problem codes; and
 * unavailability turned into a fast 503 with `Retry-After` — or, for reads, into the last good
 * answer marked stale. Routes never see a `Downstream*` error they would have to map.
 */
export class ProcessFacade {
  constructor(
    private readonly process: OnboardingProcess,
    private readonly lastGood: LastGoodAnswers,
    private readonly defaultRetryAfterS: number,
  ) {}

  async startOnboarding(request: FastifyRequest, body: StartOnboardingRequest, idempotencyKey: string): Promise<Onboarding> {
    try {
      return await this.process.startOnboarding(body, { ...callOf(request), idempotencyKey });
    } catch (error) {
      throw this.translate(error);
    }
  }

  async confirmMicroDeposits(request: FastifyRequest, onboardingId: string, amountsMinor: [number, number]): Promise<Onboarding> {
    try {
      return await this.process.confirmMicroDeposits(onboardingId, { amountsMinor }, callOf(request));
    } catch (error) {
      throw this.translate(error, onboardingId);
    }
  }

  getOnboarding(request: FastifyRequest, onboardingId: string): Promise<Onboarding> {
    return this.read(request, `onboarding:${onboardingId}`, (call) => this.process.getOnboarding(onboardingId, call), onboardingId);
  }

  listOnboardings(request: FastifyRequest, query: Omit<ListOnboardingsQuery, 'owner'>): Promise<OnboardingList> {
    const key = `onboardings:${query.status ?? '*'}:${query.limit ?? ''}:${query.cursor ?? ''}`;
    return this.read(request, key, (call) => this.process.listOnboardings(query, call));
  }

  /** The overview of a customer the user's onboarding created; undefined if the Process API knows no such customer for them. */
  async getCustomerOverview(request: FastifyRequest, customerId: string): Promise<CustomerOverview | undefined> {
    try {
      return await this.read(request, `overview:${customerId}`, (call) => this.process.getCustomerOverview(customerId, call));
    } catch (error) {
      if (error instanceof DownstreamRejected && error.status === 404) return undefined;
      throw error;
    }
  }

  /**
   * One page of an account's transactions, paged by the Process API over the whole history;
   * undefined when the Process API knows no such account of this customer for the user.
   */
  async listAccountTransactions(
    request: FastifyRequest,
    customerId: string,
    accountId: string,
    query: AccountTransactionsQuery,
  ): Promise<AccountTransactionPage | undefined> {
    const key = `transactions:${customerId}:${accountId}:${query.limit ?? ''}:${query.cursor ?? ''}`;
    try {
      return await this.read(request, key, (call) => this.process.listAccountTransactions(customerId, accountId, query, call));
    } catch (error) {
      if (!(error instanceof DownstreamRejected)) throw error;
      if (error.status === 404) return undefined;
      if (error.problem?.code === OnboardingProblemCode.INVALID_CURSOR) throw new InvalidCursor();
      throw error;
    }
  }

  /** Remembers a screen-level answer (e.g. billing, which the overview may leave out) for stale serving. */
  rememberAnswer(request: FastifyRequest, key: string, value: unknown): void {
    // An answer built from stale parts is not a new good answer: keep the original's age.
    if (request.staleAgeMs === undefined) this.lastGood.remember(request.endUser.subject, `answer:${key}`, value);
  }

  /** A screen-level last good answer (marked stale on the request), or a 503 to throw. */
  lastAnswerOr503<T>(request: FastifyRequest, key: string): T {
    const last = this.lastGood.recall<T>(request.endUser.subject, `answer:${key}`);
    if (!last) throw this.unavailable();
    markStale(request, last.ageMs);
    return last.value;
  }

  /** 503 with Retry-After: the downstream's own estimate (breaker reset, its Retry-After) when known. */
  unavailable(cause?: DownstreamUnavailable): Error {
    const seconds = cause?.retryAfterMs === undefined ? this.defaultRetryAfterS : Math.max(1, Math.ceil(cause.retryAfterMs / 1000));
    // The cause (downstream name and reason, never a body) goes to the log, not to the caller.
    return Object.assign(new ServiceUnavailable(), { headers: { 'retry-after': String(seconds) }, cause });
  }

  private async read<T>(request: FastifyRequest, key: string, load: (call: EndUserCall) => Promise<T>, onboardingId?: string): Promise<T> {
    const call = callOf(request);
    try {
      const value = await load(call);
      this.lastGood.remember(call.endUser, key, value);
      return value;
    } catch (error) {
      if (!(error instanceof DownstreamUnavailable)) throw this.translate(error, onboardingId);
      const last = this.lastGood.recall<T>(call.endUser, key);
      if (!last) throw this.unavailable(error);
      request.log.warn({ reason: error.message, ageMs: last.ageMs }, 'Process API unavailable: serving the last good answer, marked stale');
      markStale(request, last.ageMs);
      return last.value;
    }
  }

  /** Only the refusals this API means to pass on; anything else stays an error of ours (logged, 500). */
  private translate(error: unknown, onboardingId = ''): unknown {
    if (error instanceof DownstreamUnavailable) return this.unavailable(error);
    if (!(error instanceof DownstreamRejected)) return error;
    const code = error.problem?.code;
    switch (code) {
      case OnboardingProblemCode.ONBOARDING_NOT_FOUND:
        return new OnboardingNotFound(onboardingId);
      case OnboardingProblemCode.NO_MICRO_DEPOSITS_PENDING:
        return new NoMicroDepositsPending(onboardingId);
      case OnboardingProblemCode.MICRO_DEPOSITS_EXPIRED:
        return new MicroDepositsExpired(onboardingId);
      case OnboardingProblemCode.MICRO_DEPOSIT_AMOUNTS_MISMATCH: {
        const left = typeof error.problem?.attemptsRemaining === 'number' ? error.problem.attemptsRemaining : 0;
        return Object.assign(new MicroDepositAmountsMismatch(left), { problemExtensions: { attemptsLeft: left } });
      }
      case 'IDEMPOTENCY_KEY_REUSED':
        return new IdempotencyKeyReused();
      case 'IDEMPOTENT_REQUEST_IN_PROGRESS':
        return Object.assign(new IdempotentRequestInProgress(), { headers: { 'retry-after': '1' } });
      case 'VALIDATION_FAILED':
        // The form schema reuses the Process API's primitives, so this means the two contracts drifted.
        return error.status === 400 ? Object.assign(new ApplicationInvalid(), { cause: error }) : error;
      default:
        return error;
    }
  }
}

function callOf(request: FastifyRequest): EndUserCall {
  return { endUser: request.endUser.subject, requestId: request.id };
}
