/**
 * The stable `code`s of the web Experience API's problem answers, besides the platform's
 * (VALIDATION_FAILED, UNAUTHENTICATED, RATE_LIMITED, ...). Process API codes pass through unchanged.
 */
export const WebProblemCode = {
  ONBOARDING_NOT_FOUND: 'ONBOARDING_NOT_FOUND',
  ACCOUNT_NOT_FOUND: 'ACCOUNT_NOT_FOUND',
  /** The signed-in user has no completed onboarding yet, so no customer overview (404). */
  CUSTOMER_NOT_FOUND: 'CUSTOMER_NOT_FOUND',
  /** The Process API refused the account application's content as sent (400). */
  APPLICATION_INVALID: 'APPLICATION_INVALID',
  /** `from` is after `to` (400). */
  INVALID_DATE_RANGE: 'INVALID_DATE_RANGE',
  INVALID_CURSOR: 'INVALID_CURSOR',
  /** The bank's systems do not answer and there is no last good answer to show (503, Retry-After). */
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
} as const;
export type WebProblemCode = (typeof WebProblemCode)[keyof typeof WebProblemCode];
