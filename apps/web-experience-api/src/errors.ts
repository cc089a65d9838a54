/**
 * The web Experience API's refusals, with the stable codes of its contract (`WebProblemCode`).
 * The platform error handler turns them into problem+json.
 */
import createError from '@fastify/error';
import { WebProblemCode as Code } from '@bartholomew/contracts-web-experience';

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

export const InvalidDateRange = createError<typeof Code.INVALID_DATE_RANGE, []>(Code.INVALID_DATE_RANGE, '`from` must not be after `to`', 400);

export const InvalidCursor = createError<typeof Code.INVALID_CURSOR, []>(
  Code.INVALID_CURSOR,
  'The cursor is not one this API issued for this query; start again without a cursor',
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
