/**
 * The stable `code`s of the mobile Experience API's problem answers, besides the platform's
 * (VALIDATION_FAILED, UNAUTHENTICATED, RATE_LIMITED, ROUTE_NOT_FOUND, ...). The app branches on
 * these, never on titles or details. Codes the Process API defines pass through unchanged.
 */
export const MobileProblemCode = {
  ONBOARDING_NOT_FOUND: 'ONBOARDING_NOT_FOUND',
  /** Another account was asked for by someone who is not a customer yet (404): the sign-up form is the way in. */
  CUSTOMER_NOT_FOUND: 'CUSTOMER_NOT_FOUND',
  ACCOUNT_NOT_FOUND: 'ACCOUNT_NOT_FOUND',
  /** The micro-deposit amounts were sent while none are pending (409). */
  NO_MICRO_DEPOSITS_PENDING: 'NO_MICRO_DEPOSITS_PENDING',
  MICRO_DEPOSITS_EXPIRED: 'MICRO_DEPOSITS_EXPIRED',
  /** Wrong amounts (422); the problem carries `attemptsLeft`. */
  MICRO_DEPOSIT_AMOUNTS_MISMATCH: 'MICRO_DEPOSIT_AMOUNTS_MISMATCH',
  /** The same Idempotency-Key was sent with a different form (422). */
  IDEMPOTENCY_KEY_REUSED: 'IDEMPOTENCY_KEY_REUSED',
  /** The first submission with this Idempotency-Key is still being accepted (409, Retry-After). */
  IDEMPOTENT_REQUEST_IN_PROGRESS: 'IDEMPOTENT_REQUEST_IN_PROGRESS',
  /** The Process API refused the application's content (400). */
  APPLICATION_INVALID: 'APPLICATION_INVALID',
  INVALID_CURSOR: 'INVALID_CURSOR',
  /** The bank's systems do not answer and there is no last good answer to show (503, Retry-After). */
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
} as const;
export type MobileProblemCode = (typeof MobileProblemCode)[keyof typeof MobileProblemCode];
