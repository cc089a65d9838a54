/**
 * How the core-banking gateway reports an outcome, the way IBM systems do: a return code in
 * MSG-RETURN-CODE that says how bad it is, and a reason code in MSG-REASON-CODE that says what
 * happened. Return codes climb in steps of four; each reason code belongs to one return code (its
 * first digits are that return code: 0801 goes with 8, 1201 with 12).
 */

export const ReturnCode = {
  /** Done as asked. */
  OK: 0,
  /** Done, with something worth knowing in the reason (e.g. the status was already the one asked for). */
  WARNING: 4,
  /**
   * Not done, for a business reason or the state of the system: not found, refused by a rule,
   * or refused for now (batch window, all sessions in use; MSG-RETRY-SECONDS says when to retry).
   * The request itself was well formed. Nothing was changed.
   */
  REFUSED: 8,
  /** Not done: the request is wrong (unknown transaction, a bad record, the wrong sequence number). Nothing was changed. */
  ERROR: 12,
  /**
   * Not done: the gateway failed (its database, an abend). The unit of work was backed out, so
   * nothing was changed, and the same request may succeed later.
   */
  SEVERE: 16,
} as const;
export type ReturnCode = (typeof ReturnCode)[keyof typeof ReturnCode];

export const ReasonCode = {
  /** With RC 0. */
  NONE: 0,

  /** RC 4: ACCTSTS asked for the status the account already has; the account is answered unchanged. */
  NO_CHANGE: 401,

  /** RC 8: no customer with this customer number (or tax id, on CUSTINQ by tax id; on ACCTOPN, the owner). */
  CUSTOMER_NOT_FOUND: 801,
  /** RC 8: no account with this account key. */
  ACCOUNT_NOT_FOUND: 802,
  /** RC 8: CUSTADD for a tax id another customer already has. */
  DUPLICATE_TAX_ID: 803,
  /** RC 8: the account is closed: nothing posts to it and its status cannot change. */
  ACCOUNT_CLOSED: 811,
  /** RC 8: the account is frozen: it takes credits only. */
  ACCOUNT_FROZEN: 812,
  /** RC 8: an account closes only at a zero balance. */
  BALANCE_NOT_ZERO: 813,
  /** RC 8: the debit is more than the available balance (there is no overdraft). */
  INSUFFICIENT_FUNDS: 814,
  /** RC 8: the posting's currency is not the account's. */
  CURRENCY_MISMATCH: 815,
  /** RC 8: the credit would take the balance beyond what the ledger holds. */
  BALANCE_LIMIT: 816,
  /** RC 8: the nightly batch window is open: updates are refused until it closes (MSG-RETRY-SECONDS); inquiries still run. */
  BATCH_WINDOW: 821,
  /** RC 8: every session of the gateway is in use; the connection is closed after this answer (MSG-RETRY-SECONDS). */
  SESSION_LIMIT: 822,

  /** RC 12: MSG-SEQUENCE-NO is not the one the gateway expects next on this session; the answer carries the expected one. */
  SEQUENCE_MISMATCH: 1201,
  /** RC 12: MSG-TRAN-CODE is not a transaction of the gateway. */
  UNKNOWN_TRANSACTION: 1202,
  /** RC 12: the message is not a valid record: a wrong length, or a field that does not decode (non-numeric, bad sign). */
  INVALID_RECORD: 1203,
  /** RC 12: the continue key is not one this listing can continue from. */
  INVALID_CONTINUE_KEY: 1204,
  /** RC 12: a field decodes but holds a value the transaction does not take (an unknown code, a row count out of range, an impossible date). */
  INVALID_FIELD: 1205,
  /** RC 12: MSG-VERSION is not a layout version the gateway speaks. */
  UNSUPPORTED_VERSION: 1206,

  /** RC 16: the transaction failed inside the gateway (an abend); backed out. */
  SYSTEM_ERROR: 1601,
  /** RC 16: the gateway's database is unavailable; backed out. */
  DATABASE_UNAVAILABLE: 1602,
} as const;
export type ReasonCode = (typeof ReasonCode)[keyof typeof ReasonCode];

const REASON_NAMES = new Map<number, keyof typeof ReasonCode>(
  Object.entries(ReasonCode).map(([name, code]) => [code, name as keyof typeof ReasonCode]),
);

/** Whether `code` is one of the gateway's reason codes. */
export function isReasonCode(code: number): code is ReasonCode {
  return REASON_NAMES.has(code);
}

/** The name of a reason code (`801` → `CUSTOMER_NOT_FOUND`), or undefined for a code the gateway does not use. */
export function reasonName(code: number): keyof typeof ReasonCode | undefined {
  return REASON_NAMES.get(code);
}

/** The return code a reason goes with: its leading digits (`1201` → 12; `NONE` → 0). */
export function returnCodeOf(reason: ReasonCode): ReturnCode {
  return Math.floor(reason / 100) as ReturnCode;
}
