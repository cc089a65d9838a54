import {
  CUSTOMER_PAGE_MAX,
  type AccountTransactionPage,
  type AdditionalAccountRequest,
  type AccountTransactionsQuery,
  type CustomerList,
  type CustomerOverview,
  type ListCustomersQuery,
  type ListOnboardingsQuery,
  type Onboarding,
  type OnboardingCatalogue,
  type OnboardingList,
  type StartOnboardingRequest,
} from '@bartholomew/contracts-onboarding-process';
import type { FollowedOnboarding, FollowOnboarding } from '@bartholomew/clients-onboarding-process';
import { DownstreamRejected, DownstreamUnavailable } from '@bartholomew/platform';
import type { FastifyRequest } from 'fastify';
import { markStale } from '../conditional-reads';
import { ServiceUnavailable } from '../errors';
import type { LastGoodAnswers } from '../last-good-answers';
import type { RecentReads } from '../recent-reads';
import type { EndUserCall, OnboardingProcess } from './onboarding-process';
import { translateRefusal, type FieldPointerMap, type RefusedCall } from './process-refusals';

/**
 * The Process API as an Experience API's routes use it: always on behalf of the request's end
 * user, with its request id; every refusal turned into the Experience API's own answer (one
 * table, `PROCESS_REFUSALS`); unavailability turned into a fast 503 with `Retry-After` — or, for
 * reads, into the last good answer marked stale. Routes never see a `Downstream*` error they would
 * have to map.
 */
export class ProcessFacade {
  constructor(
    private readonly process: OnboardingProcess,
    private readonly lastGood: LastGoodAnswers,
    private readonly recent: RecentReads,
    private readonly defaultRetryAfterS: number,
  ) {}

  /** `fieldPointer` says where the application's fields are in the caller's form, for a 422 that names them. */
  async startOnboarding(
    request: FastifyRequest,
    body: StartOnboardingRequest,
    idempotencyKey: string,
    fieldPointer?: FieldPointerMap,
  ): Promise<Onboarding> {
    try {
      return await this.process.startOnboarding(body, {
        ...callOf(request),
        idempotencyKey,
      });
    } catch (error) {
      throw this.translate(error, { operation: 'startOnboarding', ...(fieldPointer ? { fieldPointer } : {}) });
    } finally {
      this.recent.forget(request.endUser.subject);
    }
  }

  /**
   * Another account for one of the user's customers, from only what is new. The Process API
   * checks that the customer is the user's (else CUSTOMER_NOT_FOUND, 404 here).
   */
  async openAdditionalAccount(
    request: FastifyRequest,
    customerId: string,
    body: AdditionalAccountRequest,
    idempotencyKey: string,
    fieldPointer?: FieldPointerMap,
  ): Promise<Onboarding> {
    try {
      return await this.process.openAdditionalAccount(customerId, body, { ...callOf(request), idempotencyKey });
    } catch (error) {
      throw this.translate(error, { operation: 'openAdditionalAccount', ...(fieldPointer ? { fieldPointer } : {}) });
    } finally {
      this.recent.forget(request.endUser.subject);
    }
  }

  async confirmMicroDeposits(request: FastifyRequest, onboardingId: string, amountsMinor: [number, number]): Promise<Onboarding> {
    try {
      return await this.process.confirmMicroDeposits(onboardingId, { amountsMinor }, callOf(request));
    } catch (error) {
      throw this.translate(error, {
        operation: 'confirmMicroDeposits',
        onboardingId,
      });
    } finally {
      this.recent.forget(request.endUser.subject);
    }
  }

  getOnboarding(request: FastifyRequest, onboardingId: string): Promise<Onboarding> {
    return this.read(request, `onboarding:${onboardingId}`, (call) => this.process.getOnboarding(onboardingId, call), {
      operation: 'getOnboarding',
      onboardingId,
    });
  }

  /**
   * The onboarding with the Process API's ETag, asked afresh (a follower wants news, not a shared
   * read); with `whileEtag`, held by the Process API until it changes or `waitMs` pass. Undefined
   * when the Process API cannot answer now: the caller answers with what it already has.
   */
  async followOnboarding(request: FastifyRequest, onboardingId: string, follow: FollowOnboarding): Promise<FollowedOnboarding | undefined> {
    const call = callOf(request);
    try {
      const followed = await this.process.followOnboarding(onboardingId, follow, call);
      this.lastGood.remember(call.endUser, `onboarding:${onboardingId}`, followed.onboarding);
      return followed;
    } catch (error) {
      if (error instanceof DownstreamUnavailable) return undefined;
      throw this.translate(error, { operation: 'followOnboarding', onboardingId });
    }
  }

  listOnboardings(request: FastifyRequest, query: Omit<ListOnboardingsQuery, 'owner'>): Promise<OnboardingList> {
    const key = `onboardings:${query.status ?? '*'}:${query.limit ?? ''}:${query.cursor ?? ''}`;
    return this.read(request, key, (call) => this.process.listOnboardings(query, call), { operation: 'listOnboardings' });
  }

  /** One page of the user's own customers, each with its overview (the Process API lists only the user's). */
  listCustomers(request: FastifyRequest, query: ListCustomersQuery): Promise<CustomerList> {
    const key = `customers:${query.limit ?? ''}:${query.cursor ?? ''}`;
    return this.read(request, key, (call) => this.process.listCustomers(query, call), { operation: 'listCustomers' });
  }

  /**
   * Everything the signed-in user is a customer for, newest customer first, each as its overview:
   * one call to the Process API per page of twenty customers — for nearly every user exactly one.
   */
  async customerOverviews(request: FastifyRequest): Promise<CustomerOverview[]> {
    const overviews: CustomerOverview[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.listCustomers(request, {
        limit: CUSTOMER_PAGE_MAX,
        cursor,
      });
      overviews.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return overviews;
  }

  /**
   * One page of an account's transactions, paged and date-filtered by the Process API over the
   * whole history; undefined when the Process API knows no such account of this customer for the user.
   */
  listAccountTransactions(
    request: FastifyRequest,
    customerId: string,
    accountId: string,
    query: AccountTransactionsQuery,
  ): Promise<AccountTransactionPage | undefined> {
    const key = `transactions:${customerId}:${accountId}:${query.from ?? ''}:${query.to ?? ''}:${query.limit ?? ''}:${query.cursor ?? ''}`;
    return this.unlessNotFound(
      this.read(request, key, (call) => this.process.listAccountTransactions(customerId, accountId, query, call), {
        operation: 'listAccountTransactions',
        accountId,
      }),
    );
  }

  /**
   * The products an application may ask for, with billing's plan names and fees. Stale when the
   * Process API served fee plans billing could not refresh (marked with their age, like a last
   * good answer of ours), or when this is our own last good answer.
   */
  async listProducts(request: FastifyRequest): Promise<OnboardingCatalogue> {
    const catalogue = await this.read(request, 'products', (call) => this.process.listProducts(call), { operation: 'listProducts' });
    if (catalogue.stale) markStale(request, Math.max(0, Date.now() - Date.parse(catalogue.feePlansAsOf)));
    return catalogue;
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
    return Object.assign(new ServiceUnavailable(), {
      headers: { 'retry-after': String(seconds) },
      cause,
    });
  }

  private async read<T>(request: FastifyRequest, key: string, load: (call: EndUserCall) => Promise<T>, refused: RefusedCall): Promise<T> {
    const call = callOf(request);
    try {
      // The same user's identical reads share one call, and its answer for a moment (RecentReads).
      return await this.recent.read(call.endUser, key, async () => {
        const value = await load(call);
        this.lastGood.remember(call.endUser, key, value);
        return value;
      });
    } catch (error) {
      if (!(error instanceof DownstreamUnavailable)) throw this.translate(error, refused);
      const last = this.lastGood.recall<T>(call.endUser, key);
      if (!last) throw this.unavailable(error);
      request.log.warn({ reason: error.message, ageMs: last.ageMs }, 'Process API unavailable: serving the last good answer, marked stale');
      markStale(request, last.ageMs);
      return last.value;
    }
  }

  /** A 404 of the Process API (not the user's, or gone) as `undefined`, for the route to answer in its own words. */
  private async unlessNotFound<T>(answer: Promise<T>): Promise<T | undefined> {
    try {
      return await answer;
    } catch (error) {
      if (error instanceof Error && (error as { statusCode?: number }).statusCode === 404) return undefined;
      throw error;
    }
  }

  private translate(error: unknown, call: RefusedCall): unknown {
    if (error instanceof DownstreamUnavailable) return this.unavailable(error);
    if (error instanceof DownstreamRejected) return translateRefusal(error, call);
    return error;
  }
}

function callOf(request: FastifyRequest): EndUserCall {
  return { endUser: request.endUser.subject, requestId: request.id };
}
