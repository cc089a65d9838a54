/**
 * The stable `code`s of the onboarding Process API's own problem answers. Callers branch on
 * these, never on titles or details.
 */
export const OnboardingProblemCode = {
  ONBOARDING_NOT_FOUND: 'ONBOARDING_NOT_FOUND',
  CUSTOMER_NOT_FOUND: 'CUSTOMER_NOT_FOUND',
  /** The account does not exist or is not the customer's (404: the same answer for both). */
  ACCOUNT_NOT_FOUND: 'ACCOUNT_NOT_FOUND',
  /** A `cursor` this API did not issue, or issued for another query (400). */
  INVALID_CURSOR: 'INVALID_CURSOR',
  /** A transaction filter's `from` is after its `to` (400). */
  INVALID_DATE_RANGE: 'INVALID_DATE_RANGE',
  /**
   * The application breaks rules checked when it arrives — SSN issuing rules, the ABA routing
   * number, age of majority, the product and plan, deposit limits, printable text, a real date of
   * birth (422). `errors` names each field with a JSON Pointer and a code; nothing was stored.
   */
  APPLICATION_FIELDS_INVALID: 'APPLICATION_FIELDS_INVALID',
  /** Micro-deposit amounts were sent while none are pending (409). */
  NO_MICRO_DEPOSITS_PENDING: 'NO_MICRO_DEPOSITS_PENDING',
  /** The confirmation window of the micro-deposits has passed (409). */
  MICRO_DEPOSITS_EXPIRED: 'MICRO_DEPOSITS_EXPIRED',
  /** The amounts do not match; the answer says how many attempts remain (422). */
  MICRO_DEPOSIT_AMOUNTS_MISMATCH: 'MICRO_DEPOSIT_AMOUNTS_MISMATCH',
  /** A review decision was sent for an onboarding that is not held for review (409). */
  ONBOARDING_NOT_IN_REVIEW: 'ONBOARDING_NOT_IN_REVIEW',
  /** An experience-layer caller did not name the end user it acts for (400). */
  END_USER_REQUIRED: 'END_USER_REQUIRED',
  /** An experience-layer caller asked for another end user's onboardings (403). */
  OWNER_MISMATCH: 'OWNER_MISMATCH',
  /** Only operator callers may do this, e.g. decide a review (403). */
  OPERATOR_ONLY: 'OPERATOR_ONLY',
} as const;
export type OnboardingProblemCode = (typeof OnboardingProblemCode)[keyof typeof OnboardingProblemCode];

/**
 * The platform's refusals, which this API answers like every service of ours: bad input, no or
 * wrong service credential, a reused or busy Idempotency-Key, an unknown route. (429 is left out:
 * clients treat it as "unavailable", with the 5xx answers, not as a refusal.)
 */
export const PlatformRefusalCode = {
  VALIDATION_FAILED: 'VALIDATION_FAILED',
  /** A value the schema let through but the database cannot store (e.g. a NUL byte, year 0). */
  INVALID_PARAMETER: 'INVALID_PARAMETER',
  MALFORMED_JSON: 'MALFORMED_JSON',
  BAD_REQUEST: 'BAD_REQUEST',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  ROUTE_NOT_FOUND: 'ROUTE_NOT_FOUND',
  UNAUTHENTICATED_CALLER: 'UNAUTHENTICATED_CALLER',
  CALLER_NOT_ALLOWED: 'CALLER_NOT_ALLOWED',
  IDEMPOTENCY_KEY_REUSED: 'IDEMPOTENCY_KEY_REUSED',
  IDEMPOTENT_REQUEST_IN_PROGRESS: 'IDEMPOTENT_REQUEST_IN_PROGRESS',
} as const;
export type PlatformRefusalCode = (typeof PlatformRefusalCode)[keyof typeof PlatformRefusalCode];

/**
 * Every `code` a 4xx answer of this API can carry: what a caller must be ready to translate.
 * The Experience APIs keep one translation per code (libs/experience-kit), checked against this list.
 */
export const OnboardingRefusalCode = {
  ...OnboardingProblemCode,
  ...PlatformRefusalCode,
} as const;
export type OnboardingRefusalCode = OnboardingProblemCode | PlatformRefusalCode;
