import {
  AccountBalanceSchema,
  AccountListSchema,
  AccountSummaryListSchema,
  AccountSchema,
  AccountSystemProblemCode,
  accountSystemSchemas,
  CustomerRelationshipSchema,
  CustomerSchema,
  CustomerSearchResultSchema,
  ref,
  TransactionPageSchema,
  TransactionSchema,
  type Account,
  type AccountBalance,
  type AccountSummary,
  type ChangeAccountStatusRequest,
  type CreateCustomerRequest,
  type Customer,
  type CustomerRelationship,
  type OpenAccountRequest,
  type PostTransactionRequest,
  type Transaction,
  type TransactionPage,
  type TransactionPageQuery,
} from '@bartholomew/contracts-account-system';
import { TypedServiceClient, urlPath, type DownstreamHealth, type ServiceClientCoreOptions } from '@bartholomew/platform/http-client';

/** The name the account System API goes by in breakers, errors, health and metrics. */
export const ACCOUNT_SYSTEM_API = 'account-system-api';

/** Every call belongs to some work of the caller; its request id travels with the call. */
export interface CallOptions {
  requestId: string;
}

/**
 * Writes that create something carry the caller's idempotency key, chosen by the caller so a
 * retry after a crash (not only a network retry) reuses it — e.g. derived from the onboarding id.
 */
export interface IdempotentCallOptions extends CallOptions {
  idempotencyKey: string;
}

/**
 * The account System API as a process-layer service sees it. Refusals arrive as
 * `DownstreamRejected` with the problem `code` (see `AccountSystemProblemCode`); an unreachable or
 * failing service as `DownstreamUnavailable` / `DownstreamTimeout`.
 */
export interface AccountSystemClient extends DownstreamHealth {
  createCustomer(request: CreateCustomerRequest, options: IdempotentCallOptions): Promise<Customer>;
  getCustomer(customerId: string, options: CallOptions): Promise<Customer>;
  /**
   * The customer holding this SSN, or undefined. The SSN goes in the body of a POST, never in a URL.
   * REVIEW: not retried by the client core (an unkeyed POST) although it only reads; the workflow
   * step that calls it is retried as a whole.
   */
  findCustomerByTaxId(taxId: string, options: CallOptions): Promise<Customer | undefined>;
  openAccount(request: OpenAccountRequest, options: IdempotentCallOptions): Promise<Account>;
  getAccount(accountId: string, options: CallOptions): Promise<Account>;
  listCustomerAccounts(customerId: string, options: CallOptions): Promise<Account[]>;
  /** The customer's accounts with their balances and latest `recentTransactions` postings, in one call. */
  listCustomerAccountSummaries(customerId: string, recentTransactions: number, options: CallOptions): Promise<AccountSummary[]>;
  /** The customer and their account summaries together: one call for what an overview needs from core banking. */
  getCustomerRelationship(customerId: string, recentTransactions: number, options: CallOptions): Promise<CustomerRelationship>;
  /** Not retried: it carries no idempotency key (the same status again is a harmless no-op on the server). */
  changeAccountStatus(accountId: string, change: ChangeAccountStatusRequest, options: CallOptions): Promise<Account>;
  getBalance(accountId: string, options: CallOptions): Promise<AccountBalance>;
  postTransaction(accountId: string, request: PostTransactionRequest, options: IdempotentCallOptions): Promise<Transaction>;
  /** Newest first; `from`/`to` keep postings on those UTC days (inclusive). Pass `nextCursor` back with the same filter. */
  listTransactions(accountId: string, page: TransactionPageQuery, options: CallOptions): Promise<TransactionPage>;
  /** Stops the breaker and closes the connection pool. */
  close(): Promise<void>;
}

export type AccountSystemClientOptions = Omit<ServiceClientCoreOptions, 'name' | 'schemas' | 'refusalsWhileHealthy'>;

/**
 * 503s with which the account System API says core banking is up but refuses this one request for
 * a while: writes in the mainframe's batch window, a keyed write in doubt. Its reads keep
 * answering, so these never open the breaker for everyone.
 */
const ACCOUNT_SYSTEM_REFUSALS_WHILE_HEALTHY: readonly string[] = [
  AccountSystemProblemCode.CORE_BANKING_BATCH_WINDOW,
  AccountSystemProblemCode.CORE_BANKING_WRITE_IN_DOUBT,
];

// Built once per schema: the client core caches compiled validators per schema object, so a
// fresh `{ 200: ref(...) }` on every call would recompile (and grow Ajv's cache) on every call.
const responseMaps = new Map<string, unknown>();
function once<R>(key: string, build: () => R): R {
  if (!responseMaps.has(key)) responseMaps.set(key, build());
  return responseMaps.get(key) as R;
}
const created = <T extends Parameters<typeof ref>[0]>(schema: T) => once(`201 ${schema.$id}`, () => ({ 201: ref(schema) }) as const);
const ok = <T extends Parameters<typeof ref>[0]>(schema: T) => once(`200 ${schema.$id}`, () => ({ 200: ref(schema) }) as const);

/**
 * `AccountSystemClient` over the platform's `ServiceClientCore`: one call per operation, answers
 * validated against the contract. Resilience (breaker, timeouts, retries of keyed writes and
 * reads) lives in the core, not here.
 */
export class HttpAccountSystemClient extends TypedServiceClient implements AccountSystemClient {
  constructor(options: AccountSystemClientOptions) {
    super(ACCOUNT_SYSTEM_API, { ...options, schemas: accountSystemSchemas, refusalsWhileHealthy: ACCOUNT_SYSTEM_REFUSALS_WHILE_HEALTHY });
  }

  async createCustomer(request: CreateCustomerRequest, options: IdempotentCallOptions): Promise<Customer> {
    const answer = await this.core.request({ method: 'POST', path: '/v1/customers', body: request, responses: created(CustomerSchema), ...options });
    return answer.body;
  }

  async getCustomer(customerId: string, options: CallOptions): Promise<Customer> {
    const answer = await this.core.request({ method: 'GET', path: urlPath`/v1/customers/${customerId}`, responses: ok(CustomerSchema), ...options });
    return answer.body;
  }

  async findCustomerByTaxId(taxId: string, options: CallOptions): Promise<Customer | undefined> {
    const answer = await this.core.request({
      method: 'POST',
      path: '/v1/customers/search',
      body: { taxId },
      responses: ok(CustomerSearchResultSchema),
      ...options,
    });
    return answer.body.items[0];
  }

  async openAccount(request: OpenAccountRequest, options: IdempotentCallOptions): Promise<Account> {
    const answer = await this.core.request({ method: 'POST', path: '/v1/accounts', body: request, responses: created(AccountSchema), ...options });
    return answer.body;
  }

  async getAccount(accountId: string, options: CallOptions): Promise<Account> {
    const answer = await this.core.request({ method: 'GET', path: urlPath`/v1/accounts/${accountId}`, responses: ok(AccountSchema), ...options });
    return answer.body;
  }

  async listCustomerAccounts(customerId: string, options: CallOptions): Promise<Account[]> {
    const answer = await this.core.request({
      method: 'GET',
      path: urlPath`/v1/customers/${customerId}/accounts`,
      responses: ok(AccountListSchema),
      ...options,
    });
    return answer.body.items;
  }

  async listCustomerAccountSummaries(customerId: string, recentTransactions: number, options: CallOptions): Promise<AccountSummary[]> {
    const answer = await this.core.request({
      method: 'GET',
      path: urlPath`/v1/customers/${customerId}/account-summaries`,
      query: { recentTransactions },
      responses: ok(AccountSummaryListSchema),
      ...options,
    });
    return answer.body.items;
  }

  async getCustomerRelationship(customerId: string, recentTransactions: number, options: CallOptions): Promise<CustomerRelationship> {
    const answer = await this.core.request({
      method: 'GET',
      path: urlPath`/v1/customers/${customerId}/relationship`,
      query: { recentTransactions },
      responses: ok(CustomerRelationshipSchema),
      ...options,
    });
    return answer.body;
  }

  async changeAccountStatus(accountId: string, change: ChangeAccountStatusRequest, options: CallOptions): Promise<Account> {
    const answer = await this.core.request({
      method: 'POST',
      path: urlPath`/v1/accounts/${accountId}/status`,
      body: change,
      responses: ok(AccountSchema),
      ...options,
    });
    return answer.body;
  }

  async getBalance(accountId: string, options: CallOptions): Promise<AccountBalance> {
    const answer = await this.core.request({
      method: 'GET',
      path: urlPath`/v1/accounts/${accountId}/balance`,
      responses: ok(AccountBalanceSchema),
      ...options,
    });
    return answer.body;
  }

  async postTransaction(accountId: string, request: PostTransactionRequest, options: IdempotentCallOptions): Promise<Transaction> {
    const answer = await this.core.request({
      method: 'POST',
      path: urlPath`/v1/accounts/${accountId}/transactions`,
      body: request,
      responses: created(TransactionSchema),
      ...options,
    });
    return answer.body;
  }

  async listTransactions(accountId: string, page: TransactionPageQuery, options: CallOptions): Promise<TransactionPage> {
    const answer = await this.core.request({
      method: 'GET',
      path: urlPath`/v1/accounts/${accountId}/transactions`,
      query: { limit: page.limit, cursor: page.cursor, from: page.from, to: page.to },
      responses: ok(TransactionPageSchema),
      ...options,
    });
    return answer.body;
  }
}
