/**
 * The refusals every Experience API answers, with stable codes. The Process API's codes pass
 * through unchanged (both Experience contracts say so), each with a message written for the end
 * user; SERVICE_UNAVAILABLE and APPLICATION_INVALID are the experience layer's own. The platform
 * error handler turns them into problem+json; `headers` and `problemExtensions` set on an error
 * are added to the answer.
 */
import createError from '@fastify/error';
import { OnboardingRefusalCode as Code } from '@bartholomew/contracts-onboarding-process';

/** Codes the experience layer adds to the Process API's. */
export const ExperienceProblemCode = {
  /** The bank's systems do not answer and there is no last good answer to show (503, Retry-After). */
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  /** The Process API refused the application's content (400). */
  APPLICATION_INVALID: 'APPLICATION_INVALID',
  /** The token's subject cannot name an owner downstream (401, like any other bad token). */
  UNAUTHENTICATED: 'UNAUTHENTICATED',
} as const;

/** Also the answer for someone else's onboarding: no object-level leak, one answer for both. */
export const OnboardingNotFound = createError<typeof Code.ONBOARDING_NOT_FOUND, [string]>(
  Code.ONBOARDING_NOT_FOUND,
  'Onboarding %s was not found',
  404,
);

/** Also the answer for someone else's account. */
export const AccountNotFound = createError<typeof Code.ACCOUNT_NOT_FOUND, [string]>(Code.ACCOUNT_NOT_FOUND, 'Account %s was not found', 404);

export const CustomerNotFound = createError<typeof Code.CUSTOMER_NOT_FOUND, []>(
  Code.CUSTOMER_NOT_FOUND,
  'You are not a customer yet: the overview appears once an onboarding has completed',
  404,
);

export const InvalidCursor = createError<typeof Code.INVALID_CURSOR, []>(
  Code.INVALID_CURSOR,
  'The cursor is not one this API issued for this query; start again without a cursor',
  400,
);

export const InvalidDateRange = createError<typeof Code.INVALID_DATE_RANGE, []>(Code.INVALID_DATE_RANGE, '`from` must not be after `to`', 400);

export const NoMicroDepositsPending = createError<typeof Code.NO_MICRO_DEPOSITS_PENDING, [string]>(
  Code.NO_MICRO_DEPOSITS_PENDING,
  'Onboarding %s is not waiting for micro-deposit amounts',
  409,
);

export const MicroDepositsExpired = createError<typeof Code.MICRO_DEPOSITS_EXPIRED, [string]>(
  Code.MICRO_DEPOSITS_EXPIRED,
  'The micro-deposits of onboarding %s have expired',
  409,
);

export const MicroDepositAmountsMismatch = createError<typeof Code.MICRO_DEPOSIT_AMOUNTS_MISMATCH, [number]>(
  Code.MICRO_DEPOSIT_AMOUNTS_MISMATCH,
  'The amounts do not match the deposits; %s attempt(s) left',
  422,
);

export const IdempotencyKeyReused = createError<typeof Code.IDEMPOTENCY_KEY_REUSED, []>(
  Code.IDEMPOTENCY_KEY_REUSED,
  'This Idempotency-Key was already used for a different request; use a new key for a new submission',
  422,
);

export const IdempotentRequestInProgress = createError<typeof Code.IDEMPOTENT_REQUEST_IN_PROGRESS, []>(
  Code.IDEMPOTENT_REQUEST_IN_PROGRESS,
  'The first submission with this Idempotency-Key is still being accepted; retry shortly',
  409,
);

export const RequestInvalid = createError<typeof Code.VALIDATION_FAILED, []>(
  Code.VALIDATION_FAILED,
  'The request was not accepted as sent; check its parameters',
  400,
);

/**
 * The Process API's rules refused fields of the application (422); `errors` names each field with a
 * JSON Pointer into the form this API's client sent, so the app can highlight it.
 */
export const ApplicationFieldsInvalid = createError<typeof Code.APPLICATION_FIELDS_INVALID, [number]>(
  Code.APPLICATION_FIELDS_INVALID,
  'The application was not accepted: %s field(s) need correcting (see errors)',
  422,
);

export const ApplicationInvalid = createError<typeof ExperienceProblemCode.APPLICATION_INVALID, []>(
  ExperienceProblemCode.APPLICATION_INVALID,
  'The application was not accepted as entered; check the form',
  400,
);

/** The Process API is down or its breaker is open, and there is no last good answer: come back later. */
export const ServiceUnavailable = createError<typeof ExperienceProblemCode.SERVICE_UNAVAILABLE, []>(
  ExperienceProblemCode.SERVICE_UNAVAILABLE,
  'Our systems are temporarily unavailable; try again shortly',
  503,
);

/** The token's subject cannot name an owner downstream (control characters, too long). */
export const SubjectNotAccepted = createError<typeof ExperienceProblemCode.UNAUTHENTICATED, []>(
  ExperienceProblemCode.UNAUTHENTICATED,
  "The token's sub claim is not accepted",
  401,
);

/**
 * The Process API refused a request this service built — its credential, a route, the shape of
 * a call, an operator-only action: a fault of ours or a deployment mismatch, never the end
 * user's. Answered as a neutral 500 and logged with the downstream's status and code.
 */
export const ProcessRefusedOurRequest = createError<'PROCESS_REFUSED_OUR_REQUEST', [number, string]>(
  'PROCESS_REFUSED_OUR_REQUEST',
  'The onboarding Process API refused a request of ours with %s %s',
  500,
);

/**
 * The Process API answered an onboarding in a state its workflow never produces (e.g. `completed`
 * without the account it opened): a fault below us, not the end user's. Answered as a neutral 500.
 */
export const ProcessAnswerIncomplete = createError<'PROCESS_ANSWER_INCOMPLETE', [string, string]>(
  'PROCESS_ANSWER_INCOMPLETE',
  'The onboarding Process API answered onboarding %s without %s',
  500,
);
