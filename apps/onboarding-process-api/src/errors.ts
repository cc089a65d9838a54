/**
 * The onboarding Process API's refusals, with the stable codes of its contract
 * (`OnboardingProblemCode`) plus the few this service adds. The platform error handler turns them
 * into problem+json. Messages name ids only — never an SSN, a bank account number or an amount.
 */
import createError from '@fastify/error';
import { OnboardingProblemCode as Code } from '@bartholomew/contracts-onboarding-process';

/** Also answered for an onboarding that exists but belongs to another end user: no object-level leak. */
export const OnboardingNotFound = createError<typeof Code.ONBOARDING_NOT_FOUND, [string]>(
  Code.ONBOARDING_NOT_FOUND,
  'Onboarding %s was not found',
  404,
);

export const CustomerNotFound = createError<typeof Code.CUSTOMER_NOT_FOUND, [string]>(Code.CUSTOMER_NOT_FOUND, 'Customer %s was not found', 404);

/** Also answered for an account of another customer: no object-level leak. */
export const AccountNotFound = createError<typeof Code.ACCOUNT_NOT_FOUND, [string]>(Code.ACCOUNT_NOT_FOUND, 'Account %s was not found', 404);

export const InvalidCursor = createError<typeof Code.INVALID_CURSOR, []>(
  Code.INVALID_CURSOR,
  'The cursor was not issued for this account and date filter; start again without a cursor',
  400,
);

export const InvalidDateRange = createError<typeof Code.INVALID_DATE_RANGE, []>(Code.INVALID_DATE_RANGE, '`from` must not be after `to`', 400);

/** Rules that need no vendor refused the application; the answer's `errors` name the fields. */
export const ApplicationFieldsInvalid = createError<typeof Code.APPLICATION_FIELDS_INVALID, [number]>(
  Code.APPLICATION_FIELDS_INVALID,
  'The application was not accepted: %s field(s) need correcting (see errors)',
  422,
);

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
  'The amounts do not match the micro-deposits; %s attempt(s) remain',
  422,
);

export const OnboardingNotInReview = createError<typeof Code.ONBOARDING_NOT_IN_REVIEW, [string]>(
  Code.ONBOARDING_NOT_IN_REVIEW,
  'Onboarding %s is not held for review',
  409,
);

/** POST /v1/onboardings and the experience layer's reads need to know who the end user is. */
export const EndUserRequired = createError<'END_USER_REQUIRED', []>(
  'END_USER_REQUIRED',
  'The x-end-user-subject header is required for callers of the experience layer',
  400,
);

/** An experience caller asked for another end user's onboardings. */
export const OwnerMismatch = createError<'OWNER_MISMATCH', []>('OWNER_MISMATCH', 'An end user may list only their own onboardings', 403);

/** Only operators decide on a review. */
export const OperatorOnly = createError<'OPERATOR_ONLY', []>('OPERATOR_ONLY', 'Only operator callers may do this', 403);
