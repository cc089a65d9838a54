/**
 * The stable `code`s of this API's problem answers, for callers that act on a specific refusal
 * (e.g. the onboarding process treating CUSTOMER_ALREADY_EXISTS as "look the customer up").
 */
export const AccountSystemProblemCode = {
  /**
   * 400: a body, parameter or header does not match the schema; on the mainframe backend also a
   * text (name, address, description) holding a character core banking cannot store.
   */
  VALIDATION_FAILED: 'VALIDATION_FAILED',
  /** 400: the `cursor` is not one this API issued, or was issued for another filter. */
  INVALID_CURSOR: 'INVALID_CURSOR',
  /** 400: a transaction filter's `from` is after its `to`. */
  INVALID_DATE_RANGE: 'INVALID_DATE_RANGE',
  /** 404 on customer routes; 422 when opening an account for an unknown customer. */
  CUSTOMER_NOT_FOUND: 'CUSTOMER_NOT_FOUND',
  /** 404 */
  ACCOUNT_NOT_FOUND: 'ACCOUNT_NOT_FOUND',
  /** 409: a customer with this SSN already exists. */
  CUSTOMER_ALREADY_EXISTS: 'CUSTOMER_ALREADY_EXISTS',
  /** 409: the account is closed; nothing posts to it and it cannot be reopened. */
  ACCOUNT_CLOSED: 'ACCOUNT_CLOSED',
  /** 409: the account is frozen; it refuses debits. */
  ACCOUNT_FROZEN: 'ACCOUNT_FROZEN',
  /** 409: an account can only be closed at a zero balance. */
  ACCOUNT_BALANCE_NOT_ZERO: 'ACCOUNT_BALANCE_NOT_ZERO',
  /** 422: the debit exceeds the available balance. */
  INSUFFICIENT_FUNDS: 'INSUFFICIENT_FUNDS',
  /** 422: the posting's currency is not the account's. */
  CURRENCY_MISMATCH: 'CURRENCY_MISMATCH',
  /** 422: the credit would take the balance beyond what the ledger can hold. */
  BALANCE_LIMIT_EXCEEDED: 'BALANCE_LIMIT_EXCEEDED',
  /** 422: the Idempotency-Key was already used with a different request. */
  IDEMPOTENCY_KEY_REUSED: 'IDEMPOTENCY_KEY_REUSED',
  /**
   * 503 on writes, with Retry-After = the seconds until it closes: core banking is in its nightly
   * batch window and takes no updates. The service is up (reads answer): retry the same request,
   * with the same Idempotency-Key, after Retry-After.
   */
  CORE_BANKING_BATCH_WINDOW: 'CORE_BANKING_BATCH_WINDOW',
  /**
   * 503 on keyed writes, with Retry-After: an earlier request with this Idempotency-Key reached
   * core banking but its answer was lost, so it may have happened. It is not sent again until an
   * operator settles it; retry the same request later.
   */
  CORE_BANKING_WRITE_IN_DOUBT: 'CORE_BANKING_WRITE_IN_DOUBT',
} as const;
export type AccountSystemProblemCode = (typeof AccountSystemProblemCode)[keyof typeof AccountSystemProblemCode];
