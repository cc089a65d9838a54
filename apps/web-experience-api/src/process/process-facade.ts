import type {
  AccountTransactionPage,
  AccountTransactionsQuery,
  CustomerOverview,
  ListOnboardingsQuery,
  Onboarding,
  OnboardingList,
} from '@bartholomew/contracts-onboarding-process';
import { OnboardingProblemCode } from '@bartholomew/contracts-onboarding-process';
import { DownstreamRejected, DownstreamUnavailable } from '@bartholomew/platform';
import type { FastifyRequest } from 'fastify';
import { InvalidCursor, InvalidDateRange, OnboardingNotFound, ServiceUnavailable } from '../errors';
import { markStale } from '@bartholomew/experience-kit';
import type { LastGoodAnswers } from '@bartholomew/experience-kit';
import type { EndUserCall, OnboardingProcess } from './onboarding-process';

/**
 * The Process API as this service's routes use it: always on behalf of the request's end user,
 * with its request id; its refusals turned into this API's problem codes; unavailability turned
 * into the last good answer marked stale, or else a fast 503 with `Retry-After`.
 */
export class ProcessFacade {
  constructor(
    private readonly process: OnboardingProcess,
    private readonly lastGood: LastGoodAnswers,
    private readonly defaultRetryAfterS: number,
  ) {}

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
   * One page of an account's transactions, paged and date-filtered by the Process API; undefined
   * when the Process API knows no such account of this customer for the user (someone else's).
   */
  async listAccountTransactions(
    request: FastifyRequest,
    customerId: string,
    accountId: string,
    query: AccountTransactionsQuery,
  ): Promise<AccountTransactionPage | undefined> {
    const key = `transactions:${customerId}:${accountId}:${query.from ?? ''}:${query.to ?? ''}:${query.limit ?? ''}:${query.cursor ?? ''}`;
    try {
      return await this.read(request, key, (call) => this.process.listAccountTransactions(customerId, accountId, query, call));
    } catch (error) {
      if (!(error instanceof DownstreamRejected)) throw error;
      if (error.status === 404) return undefined;
      if (error.problem?.code === OnboardingProblemCode.INVALID_CURSOR) throw new InvalidCursor();
      if (error.problem?.code === OnboardingProblemCode.INVALID_DATE_RANGE) throw new InvalidDateRange();
      throw error;
    }
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
    if (error instanceof DownstreamRejected && error.problem?.code === OnboardingProblemCode.ONBOARDING_NOT_FOUND) return new OnboardingNotFound(onboardingId);
    return error;
  }
}

function callOf(request: FastifyRequest): EndUserCall {
  return { endUser: request.endUser.subject, requestId: request.id };
}
