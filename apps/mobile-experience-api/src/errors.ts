/**
 * The mobile Experience API's refusals, with the stable codes of its contract
 * (`MobileProblemCode`). The platform error handler turns them into problem+json; `headers` and
 * `problemExtensions` set on an error are added to the answer.
 */
import createError from '@fastify/error';
import { MobileProblemCode as Code } from '@bartholomew/contracts-mobile-experience';

/** Also the answer for someone else's onboarding: no object-level leak, one answer for both. */
export const OnboardingNotFound = createError<typeof Code.ONBOARDING_NOT_FOUND, [string]>(
  Code.ONBOARDING_NOT_FOUND,
  'Onboarding %s was not found',
  404,
);

/** Also the answer for someone else's account. */
export const AccountNotFound = createError<typeof Code.ACCOUNT_NOT_FOUND, [string]>(Code.ACCOUNT_NOT_FOUND, 'Account %s was not found', 404);

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
  'This Idempotency-Key was already used for a different form; use a new key for a new submission',
  422,
);

export const IdempotentRequestInProgress = createError<typeof Code.IDEMPOTENT_REQUEST_IN_PROGRESS, []>(
  Code.IDEMPOTENT_REQUEST_IN_PROGRESS,
  'The first submission with this Idempotency-Key is still being accepted; retry shortly',
  409,
);

export const ApplicationInvalid = createError<typeof Code.APPLICATION_INVALID, []>(
  Code.APPLICATION_INVALID,
  'The application was not accepted as entered; check the form',
  400,
);

export const InvalidCursor = createError<typeof Code.INVALID_CURSOR, []>(
  Code.INVALID_CURSOR,
  'The cursor is not one this API issued; start again without a cursor',
  400,
);

/** The Process API is down or its breaker is open, and there is no last good answer: come back later. */
export const ServiceUnavailable = createError<typeof Code.SERVICE_UNAVAILABLE, []>(
  Code.SERVICE_UNAVAILABLE,
  'Our systems are temporarily unavailable; try again shortly',
  503,
);

/** The token's subject cannot name an owner downstream (control characters, too long). */
export const SubjectNotAccepted = createError<'UNAUTHENTICATED', []>('UNAUTHENTICATED', "The token's sub claim is not accepted", 401);
