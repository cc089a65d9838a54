import {
  AccountTransactionPageSchema,
  CustomerListSchema,
  CustomerOverviewSchema,
  OnboardingCatalogueSchema,
  OnboardingListSchema,
  OnboardingSchema,
  onboardingProcessSchemas,
  ref,
  type AccountTransactionPage,
  type AdditionalAccountRequest,
  type AccountTransactionsQuery,
  type ConfirmMicroDepositsRequest,
  type CustomerList,
  type CustomerOverview,
  type ListCustomersQuery,
  type ListOnboardingsQuery,
  type Onboarding,
  type OnboardingCatalogue,
  type OnboardingList,
  type StartOnboardingRequest,
} from '@bartholomew/contracts-onboarding-process';
import { TypedServiceClient, urlPath, type DownstreamHealth, type ServiceClientCoreOptions } from '@bartholomew/platform/http-client';

/** The name the onboarding Process API goes by in breakers, errors, health and metrics. */
export const ONBOARDING_PROCESS_API = 'onboarding-process-api';

/** The header that names the end user an experience-layer caller acts for. */
export const END_USER_HEADER = 'x-end-user-subject';

/** Every call is made for one end user (the subject of their verified token) within some request of ours. */
export interface EndUserCallOptions {
  requestId: string;
  /** The end user's identity, e.g. the `sub` of their verified JWT. Never taken from the request body. */
  endUser: string;
}

/** What a follower of one onboarding has seen, and how long it will wait for the next change. */
export interface FollowOnboarding {
  /** The ETag of the last answer; absent: answer at once. */
  whileEtag?: string;
  /** At most ONBOARDING_WAIT_MAX_MS. */
  waitMs: number;
}

export interface FollowedOnboarding {
  onboarding: Onboarding;
  etag: string | undefined;
}

export interface StartOnboardingOptions extends EndUserCallOptions {
  /** The end user's own Idempotency-Key (from their app), so a retried tap never starts two onboardings. */
  idempotencyKey: string;
}

/**
 * The onboarding Process API as an experience-layer service sees it. Refusals arrive as
 * `DownstreamRejected` with the problem `code` (see `OnboardingProblemCode`, e.g.
 * MICRO_DEPOSIT_AMOUNTS_MISMATCH with `problem.attemptsRemaining`); an unreachable or failing
 * service as `DownstreamUnavailable` / `DownstreamTimeout`.
 */
export interface OnboardingProcessClient extends DownstreamHealth {
  /** 202: accepted; the workflow runs in the background. Retried safely (keyed). */
  startOnboarding(request: StartOnboardingRequest, options: StartOnboardingOptions): Promise<Onboarding>;
  /**
   * 202: another account for one of the end user's customers, from only the product, plan and
   * funding; the onboarding that opens it runs in the background. Retried safely (keyed). A
   * customer that is not the end user's: `DownstreamRejected` 404 CUSTOMER_NOT_FOUND.
   */
  openAdditionalAccount(customerId: string, request: AdditionalAccountRequest, options: StartOnboardingOptions): Promise<Onboarding>;
  getOnboarding(onboardingId: string, options: EndUserCallOptions): Promise<Onboarding>;
  /**
   * The onboarding with its `etag`; with `whileEtag`, a long poll: the Process API holds the answer
   * while the onboarding still has that ETag, until it changes or `waitMs` pass (within the
   * caller's time budget). Nothing is cached or shared: each call asks.
   */
  followOnboarding(onboardingId: string, follow: FollowOnboarding, options: EndUserCallOptions): Promise<FollowedOnboarding>;
  /** The end user's own onboardings (`owner` is always `options.endUser`). */
  listOnboardings(query: Omit<ListOnboardingsQuery, 'owner'>, options: EndUserCallOptions): Promise<OnboardingList>;
  /** Not retried: each call counts as an attempt. */
  confirmMicroDeposits(onboardingId: string, request: ConfirmMicroDepositsRequest, options: EndUserCallOptions): Promise<Onboarding>;
  getCustomerOverview(customerId: string, options: EndUserCallOptions): Promise<CustomerOverview>;
  /**
   * One page of the end user's own customers (the owner is always `options.endUser`), newest
   * first, each with its whole overview: a home screen in one call. Pass `nextCursor` back as
   * `cursor`; a cursor this listing did not issue: `DownstreamRejected` 400 INVALID_CURSOR.
   */
  listCustomers(query: ListCustomersQuery, options: EndUserCallOptions): Promise<CustomerList>;
  /**
   * One page of an account of the customer, newest first; `from`/`to` keep postings on those UTC
   * days (inclusive). Pass `nextCursor` back with the same filter. Another user's customer or
   * account: `DownstreamRejected` 404 (CUSTOMER_NOT_FOUND / ACCOUNT_NOT_FOUND).
   */
  listAccountTransactions(
    customerId: string,
    accountId: string,
    query: AccountTransactionsQuery,
    options: EndUserCallOptions,
  ): Promise<AccountTransactionPage>;
  /**
   * The products an application may ask for, each plan with billing's name, description and
   * monthly fee; the same for every end user. `stale: true` when the Process API served the last
   * fee plans it read because billing did not answer.
   */
  listProducts(options: EndUserCallOptions): Promise<OnboardingCatalogue>;
  close(): Promise<void>;
}

export type OnboardingProcessClientOptions = Omit<ServiceClientCoreOptions, 'name' | 'schemas'>;

const ONBOARDING_ACCEPTED = { 202: ref(OnboardingSchema) } as const;
const ONBOARDING = { 200: ref(OnboardingSchema) } as const;
const ONBOARDING_LIST = { 200: ref(OnboardingListSchema) } as const;
const CUSTOMER_OVERVIEW = { 200: ref(CustomerOverviewSchema) } as const;
const CUSTOMER_LIST = { 200: ref(CustomerListSchema) } as const;
const ONBOARDING_CATALOGUE = { 200: ref(OnboardingCatalogueSchema) } as const;
const ACCOUNT_TRANSACTION_PAGE = {
  200: ref(AccountTransactionPageSchema),
} as const;

/**
 * `OnboardingProcessClient` over the platform's `ServiceClientCore` (breaker, timeouts, retries of
 * reads and keyed writes, contract validation, typed errors all come from the core). Every call
 * acts for one end user, named in the `x-end-user-subject` header.
 */
export class HttpOnboardingProcessClient extends TypedServiceClient implements OnboardingProcessClient {
  constructor(options: OnboardingProcessClientOptions) {
    super(ONBOARDING_PROCESS_API, {
      ...options,
      schemas: onboardingProcessSchemas,
    });
  }

  startOnboarding(request: StartOnboardingRequest, options: StartOnboardingOptions): Promise<Onboarding> {
    const { endUser, ...call } = options;
    return this.asEndUser(endUser, async (headers) => {
      const answer = await this.core.request({
        method: 'POST',
        path: '/v1/onboardings',
        body: request,
        responses: ONBOARDING_ACCEPTED,
        ...call,
        headers,
      });
      return answer.body;
    });
  }

  openAdditionalAccount(customerId: string, request: AdditionalAccountRequest, options: StartOnboardingOptions): Promise<Onboarding> {
    const { endUser, ...call } = options;
    return this.asEndUser(endUser, async (headers) => {
      const answer = await this.core.request({
        method: 'POST',
        path: urlPath`/v1/customers/${customerId}/onboardings`,
        body: request,
        responses: ONBOARDING_ACCEPTED,
        ...call,
        headers,
      });
      return answer.body;
    });
  }

  getOnboarding(onboardingId: string, { endUser, requestId }: EndUserCallOptions): Promise<Onboarding> {
    return this.asEndUser(endUser, async (headers) => {
      const answer = await this.core.request({
        method: 'GET',
        path: urlPath`/v1/onboardings/${onboardingId}`,
        responses: ONBOARDING,
        requestId,
        headers,
      });
      return answer.body;
    });
  }

  followOnboarding(
    onboardingId: string,
    { whileEtag, waitMs }: FollowOnboarding,
    { endUser, requestId }: EndUserCallOptions,
  ): Promise<FollowedOnboarding> {
    return this.asEndUser(endUser, async (headers) => {
      const answer = await this.core.request({
        method: 'GET',
        path: urlPath`/v1/onboardings/${onboardingId}`,
        query: whileEtag === undefined ? {} : { waitWhileEtag: whileEtag, waitMs },
        holdMs: whileEtag === undefined ? 0 : waitMs,
        responses: ONBOARDING,
        requestId,
        headers,
      });
      const etag = answer.headers.etag;
      return { onboarding: answer.body, etag: typeof etag === 'string' ? etag : undefined };
    });
  }

  listOnboardings(query: Omit<ListOnboardingsQuery, 'owner'>, { endUser, requestId }: EndUserCallOptions): Promise<OnboardingList> {
    return this.asEndUser(endUser, async (headers) => {
      const answer = await this.core.request({
        method: 'GET',
        path: '/v1/onboardings',
        query: {
          owner: endUser,
          status: query.status,
          limit: query.limit,
          cursor: query.cursor,
        },
        responses: ONBOARDING_LIST,
        requestId,
        headers,
      });
      return answer.body;
    });
  }

  confirmMicroDeposits(onboardingId: string, request: ConfirmMicroDepositsRequest, { endUser, requestId }: EndUserCallOptions): Promise<Onboarding> {
    return this.asEndUser(endUser, async (headers) => {
      const answer = await this.core.request({
        method: 'POST',
        path: urlPath`/v1/onboardings/${onboardingId}/ach-confirmation`,
        body: request,
        responses: ONBOARDING,
        requestId,
        headers,
      });
      return answer.body;
    });
  }

  getCustomerOverview(customerId: string, { endUser, requestId }: EndUserCallOptions): Promise<CustomerOverview> {
    return this.asEndUser(endUser, async (headers) => {
      const answer = await this.core.request({
        method: 'GET',
        path: urlPath`/v1/customers/${customerId}/overview`,
        responses: CUSTOMER_OVERVIEW,
        requestId,
        headers,
      });
      return answer.body;
    });
  }

  listCustomers(query: ListCustomersQuery, { endUser, requestId }: EndUserCallOptions): Promise<CustomerList> {
    return this.asEndUser(endUser, async (headers) => {
      const answer = await this.core.request({
        method: 'GET',
        path: '/v1/customers',
        query: { limit: query.limit, cursor: query.cursor },
        responses: CUSTOMER_LIST,
        requestId,
        headers,
      });
      return answer.body;
    });
  }

  listAccountTransactions(
    customerId: string,
    accountId: string,
    query: AccountTransactionsQuery,
    { endUser, requestId }: EndUserCallOptions,
  ): Promise<AccountTransactionPage> {
    return this.asEndUser(endUser, async (headers) => {
      const answer = await this.core.request({
        method: 'GET',
        path: urlPath`/v1/customers/${customerId}/accounts/${accountId}/transactions`,
        query: {
          limit: query.limit,
          cursor: query.cursor,
          from: query.from,
          to: query.to,
        },
        responses: ACCOUNT_TRANSACTION_PAGE,
        requestId,
        headers,
      });
      return answer.body;
    });
  }

  listProducts({ endUser, requestId }: EndUserCallOptions): Promise<OnboardingCatalogue> {
    return this.asEndUser(endUser, async (headers) => {
      const answer = await this.core.request({ method: 'GET', path: '/v1/products', responses: ONBOARDING_CATALOGUE, requestId, headers });
      return answer.body;
    });
  }

  /** The header naming the end user; refuses a subject that could not be a header value. */
  private asEndUser<T>(endUser: string, call: (headers: Record<string, string>) => Promise<T>): Promise<T> {
    if (!/^[\x21-\x7E]{1,200}$/.test(endUser)) {
      return Promise.reject(new TypeError(`${ONBOARDING_PROCESS_API}: endUser must be 1–200 visible ASCII characters`));
    }
    return call({ [END_USER_HEADER]: endUser });
  }
}
