/**
 * The stable `code`s of the onboarding Process API's own problem answers, besides the platform's
 * (VALIDATION_FAILED, UNAUTHENTICATED_CALLER, IDEMPOTENCY_KEY_REUSED, ...). Callers branch on
 * these, never on titles or details.
 */
export const OnboardingProblemCode = {
  ONBOARDING_NOT_FOUND: 'ONBOARDING_NOT_FOUND',
  CUSTOMER_NOT_FOUND: 'CUSTOMER_NOT_FOUND',
  /** The account does not exist or is not the customer's (404: the same answer for both). */
  ACCOUNT_NOT_FOUND: 'ACCOUNT_NOT_FOUND',
  /** A transaction `cursor` this API did not issue, or issued for another date filter (400). */
  INVALID_CURSOR: 'INVALID_CURSOR',
  /** A transaction filter's `from` is after its `to` (400). */
  INVALID_DATE_RANGE: 'INVALID_DATE_RANGE',
  /** Micro-deposit amounts were sent while none are pending (409). */
  NO_MICRO_DEPOSITS_PENDING: 'NO_MICRO_DEPOSITS_PENDING',
  /** The confirmation window of the micro-deposits has passed (409). */
  MICRO_DEPOSITS_EXPIRED: 'MICRO_DEPOSITS_EXPIRED',
  /** The amounts do not match; the answer says how many attempts remain (422). */
  MICRO_DEPOSIT_AMOUNTS_MISMATCH: 'MICRO_DEPOSIT_AMOUNTS_MISMATCH',
  /** A review decision was sent for an onboarding that is not held for review (409). */
  ONBOARDING_NOT_IN_REVIEW: 'ONBOARDING_NOT_IN_REVIEW',
} as const;
export type OnboardingProblemCode =
  (typeof OnboardingProblemCode)[keyof typeof OnboardingProblemCode];
