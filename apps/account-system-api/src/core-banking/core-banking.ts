import type {
  Account,
  AccountBalance,
  ChangeAccountStatusRequest,
  CreateCustomerRequest,
  Customer,
  OpenAccountRequest,
  PostTransactionRequest,
  Transaction,
  TransactionPage,
} from '@bartholomew/contracts-account-system';

/**
 * The port between the account System API's HTTP contract and the core-banking backend.
 * Routes talk only to this interface (as `fastify.coreBanking`), so the Postgres ledger used
 * today can be replaced by the legacy mainframe gateway without touching the contract.
 *
 * Every implementation must pass the behavioural contract suite in
 * `test/core-banking/core-banking-contract.ts`. In short:
 * - values are the contract's own types (`Customer`, `Account`, …); the SSN and the account
 *   number never come back, only their last four digits;
 * - refusals are the coded errors of `src/errors.ts` (`CustomerNotFound`, `AccountClosed`, …);
 * - writes taking an `IdempotencyToken` happen at most once per (scope, key): the same key with
 *   the same request answers the first result again (`replayed: true`), even when twenty arrive at
 *   once; the same key with another request is refused with `IDEMPOTENCY_KEY_REUSED`; a refused
 *   write leaves nothing behind, so it may be retried;
 * - balance changes of one account are serialized: concurrent debits never overdraw it.
 */
export interface CoreBanking {
  createCustomer(request: CreateCustomerRequest, idempotency: IdempotencyToken): Promise<Idempotent<Customer>>;
  getCustomer(customerId: string): Promise<Customer>;
  /** The customer holding this SSN (dashed or bare: the same person), or undefined. */
  findCustomerByTaxId(taxId: string): Promise<Customer | undefined>;

  openAccount(request: OpenAccountRequest, idempotency: IdempotencyToken): Promise<Idempotent<Account>>;
  getAccount(accountId: string): Promise<Account>;
  /** The customer's accounts, oldest first; an empty list when they have none. */
  listCustomerAccounts(customerId: string): Promise<Account[]>;
  changeAccountStatus(accountId: string, change: AccountStatusChange): Promise<Account>;
  getBalance(accountId: string): Promise<AccountBalance>;

  postTransaction(accountId: string, request: PostTransactionRequest, idempotency: IdempotencyToken): Promise<Idempotent<Transaction>>;
  /**
   * Newest first, optionally only postings on UTC days `from`..`to` (inclusive; the caller has
   * checked `from <= to`). The cursor is opaque to callers, belongs to the backend that issued it
   * and is valid only with the filter it was issued for (else `InvalidCursor`).
   */
  listTransactions(accountId: string, page: TransactionPageRequest): Promise<TransactionPage>;
}

/** Identifies one logical write across retries. */
export interface IdempotencyToken {
  /** Who asked for what, e.g. `onboarding-process-api:open-account`: keys of different callers never collide. */
  scope: string;
  /** The caller's `Idempotency-Key`. */
  key: string;
  /** A keyed fingerprint of the whole request (path ids included), to tell a replay from a reuse. */
  requestHash: string;
}

export interface Idempotent<T> {
  value: T;
  /** True when `value` is the stored result of an earlier request with the same key. */
  replayed: boolean;
}

export interface AccountStatusChange extends ChangeAccountStatusRequest {
  /** The caller that asked, kept in the status history. */
  changedBy: string;
}

/** Calendar days `YYYY-MM-DD`, read in UTC, both inclusive; either may be absent. */
export interface TransactionDateFilter {
  from?: string;
  to?: string;
}

export interface TransactionPageRequest extends TransactionDateFilter {
  limit: number;
  cursor?: string;
}
