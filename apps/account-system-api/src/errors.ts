/**
 * The account System API's refusals, with the stable codes of its contract
 * (`AccountSystemProblemCode`). The platform error handler turns them into problem+json.
 * The core-banking port throws them too, so every backend refuses the same way.
 */
import createError from '@fastify/error';
import { AccountSystemProblemCode as Code } from '@bartholomew/contracts-account-system';

export const CustomerNotFound = createError<typeof Code.CUSTOMER_NOT_FOUND, [string]>(Code.CUSTOMER_NOT_FOUND, 'Customer %s was not found', 404);

/**
 * Opening an account for a customer that does not exist: 422, not 404 — the route
 * (`/v1/accounts`) exists; it is the body that names something unknown. Same code as a 404 on
 * the customer routes, so callers match one code.
 */
export const UnknownCustomer = createError<typeof Code.CUSTOMER_NOT_FOUND, [string]>(
  Code.CUSTOMER_NOT_FOUND,
  'Customer %s was not found; accounts are opened for existing customers only',
  422,
);

/** Says nothing about which customer holds the SSN: the SSN is the only thing the caller sent. */
export const CustomerAlreadyExists = createError<typeof Code.CUSTOMER_ALREADY_EXISTS, []>(
  Code.CUSTOMER_ALREADY_EXISTS,
  'A customer with this tax id already exists',
  409,
);

export const AccountNotFound = createError<typeof Code.ACCOUNT_NOT_FOUND, [string]>(Code.ACCOUNT_NOT_FOUND, 'Account %s was not found', 404);

export const AccountClosed = createError<typeof Code.ACCOUNT_CLOSED, [string]>(
  Code.ACCOUNT_CLOSED,
  'Account %s is closed: it cannot be reopened and nothing can be posted to it',
  409,
);

export const AccountFrozen = createError<typeof Code.ACCOUNT_FROZEN, [string]>(Code.ACCOUNT_FROZEN, 'Account %s is frozen and refuses debits', 409);

export const AccountBalanceNotZero = createError<typeof Code.ACCOUNT_BALANCE_NOT_ZERO, [string]>(
  Code.ACCOUNT_BALANCE_NOT_ZERO,
  'Account %s cannot be closed while its balance is not zero',
  409,
);

export const InsufficientFunds = createError<typeof Code.INSUFFICIENT_FUNDS, [string]>(
  Code.INSUFFICIENT_FUNDS,
  'The available balance of account %s does not cover this debit',
  422,
);

export const CurrencyMismatch = createError<typeof Code.CURRENCY_MISMATCH, [string, string, string]>(
  Code.CURRENCY_MISMATCH,
  'Account %s holds %s; a posting in %s cannot be applied to it',
  422,
);

export const BalanceLimitExceeded = createError<typeof Code.BALANCE_LIMIT_EXCEEDED, [string]>(
  Code.BALANCE_LIMIT_EXCEEDED,
  'This credit would take the balance of account %s beyond what the ledger can hold',
  422,
);

export const InvalidCursor = createError<typeof Code.INVALID_CURSOR, []>(
  Code.INVALID_CURSOR,
  'The cursor is not one this API issued for this filter; start again without a cursor',
  400,
);

export const InvalidDateRange = createError<typeof Code.INVALID_DATE_RANGE, []>(Code.INVALID_DATE_RANGE, '`from` must not be after `to`', 400);

/**
 * A text core banking cannot store: the mainframe's fixed-width EBCDIC records (code page 037)
 * hold Latin-1 letters only (not e.g. "Ł"), and each field has a width. The caller's request, not
 * our failure; says which rule, never the value. VALIDATION_FAILED, as a schema refusal: callers
 * already act on it.
 */
export const TextNotStorable = createError<typeof Code.VALIDATION_FAILED, []>(
  Code.VALIDATION_FAILED,
  'A text field holds a character core banking cannot store (Latin-1 letters only) or is longer than its record field',
  400,
);
