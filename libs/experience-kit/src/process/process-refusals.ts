import { OnboardingRefusalCode as Code, type OnboardingRefusalCode } from '@bartholomew/contracts-onboarding-process';
import type { DownstreamRejected } from '@bartholomew/platform';
import {
  AccountNotFound,
  ApplicationFieldsInvalid,
  ApplicationInvalid,
  CustomerNotFound,
  IdempotencyKeyReused,
  IdempotentRequestInProgress,
  InvalidCursor,
  InvalidDateRange,
  MicroDepositAmountsMismatch,
  MicroDepositsExpired,
  NoMicroDepositsPending,
  OnboardingNotFound,
  ProcessRefusedOurRequest,
  RequestInvalid,
} from '../errors';
import type { ProcessOperation } from './onboarding-process';

/**
 * Where a field of the Process API's application is in an Experience API's own form: a JSON
 * Pointer in, a JSON Pointer out (`/applicant/address/line1` → `/address/street`). Undefined for a
 * field the form does not have: the error then points at the whole form (`""`).
 */
export type FieldPointerMap = (processPointer: string) => string | undefined;

/** What a refused call was about: the operation and the ids the end user sent, for the answer's wording. */
export interface RefusedCall {
  operation: ProcessOperation;
  onboardingId?: string;
  accountId?: string;
  /** How the caller's form names the application's fields; without it pointers pass unchanged. */
  fieldPointer?: FieldPointerMap;
}

type Translation = (refusal: DownstreamRejected, call: RefusedCall) => Error;

/** A refusal of something this service built, not something the end user sent: a 500, logged with the cause. */
const ours: Translation = (refusal) =>
  Object.assign(new ProcessRefusedOurRequest(refusal.status, refusal.problem?.code ?? 'without a code'), { cause: refusal });

/** The end user's form or query, as sent, was refused below us. */
const invalidInput: Translation = (refusal, call) =>
  Object.assign(isApplication(call.operation) ? new ApplicationInvalid() : new RequestInvalid(), { cause: refusal });

/** The operations that send an application the end user filled in: a new one, or another account for a customer. */
export function isApplication(operation: ProcessOperation): boolean {
  return operation === 'startOnboarding' || operation === 'openAdditionalAccount';
}

/** The field errors of a Process API problem, each re-pointed into the caller's form; malformed items are dropped. */
function fieldErrorsFor(refusal: DownstreamRejected, call: RefusedCall) {
  const items = Array.isArray(refusal.problem?.errors) ? (refusal.problem.errors as unknown[]) : [];
  return items.flatMap((item) => {
    const { pointer, code, detail } = (item ?? {}) as Record<string, unknown>;
    if (typeof pointer !== 'string' || typeof code !== 'string' || typeof detail !== 'string') return [];
    const formPointer = call.fieldPointer ? (call.fieldPointer(pointer) ?? '') : pointer;
    return [{ pointer: formPointer, code, detail, path: `body${formPointer}`, message: detail }];
  });
}

/**
 * Every refusal code of the Process API's contract, and what the Experience APIs answer for it —
 * one table for both. A code added to the contract without a translation fails the typecheck
 * here and the walk of every code through both Experience APIs (their process-refusals specs).
 *
 * Deliberate choices: another user's onboarding, customer or account is the same 404 as a missing
 * one (the Process API already answers so); refusals of what only this service controls (its
 * credential, routes, request shape, the end-user header, operator actions) are our fault — 500.
 */
export const PROCESS_REFUSALS: {
  readonly [C in OnboardingRefusalCode]: Translation;
} = {
  [Code.ONBOARDING_NOT_FOUND]: (_, call) => new OnboardingNotFound(call.onboardingId ?? ''),
  [Code.CUSTOMER_NOT_FOUND]: () => new CustomerNotFound(),
  [Code.ACCOUNT_NOT_FOUND]: (_, call) => new AccountNotFound(call.accountId ?? ''),
  [Code.INVALID_CURSOR]: () => new InvalidCursor(),
  [Code.INVALID_DATE_RANGE]: () => new InvalidDateRange(),
  // The applicant can fix these: the same code, the fields named in the form they filled in.
  [Code.APPLICATION_FIELDS_INVALID]: (refusal, call) => {
    if (!isApplication(call.operation)) return ours(refusal, call);
    const errors = fieldErrorsFor(refusal, call);
    return Object.assign(new ApplicationFieldsInvalid(errors.length), { problemExtensions: { errors } });
  },
  [Code.NO_MICRO_DEPOSITS_PENDING]: (_, call) => new NoMicroDepositsPending(call.onboardingId ?? ''),
  [Code.MICRO_DEPOSITS_EXPIRED]: (_, call) => new MicroDepositsExpired(call.onboardingId ?? ''),
  [Code.MICRO_DEPOSIT_AMOUNTS_MISMATCH]: (refusal) => {
    const left = typeof refusal.problem?.attemptsRemaining === 'number' ? refusal.problem.attemptsRemaining : 0;
    return Object.assign(new MicroDepositAmountsMismatch(left), {
      problemExtensions: { attemptsLeft: left },
    });
  },
  [Code.ONBOARDING_NOT_IN_REVIEW]: ours,
  [Code.END_USER_REQUIRED]: ours,
  [Code.OWNER_MISMATCH]: ours,
  [Code.OPERATOR_ONLY]: ours,
  // The end user's form and query reach the Process API; our schemas reuse its primitives, so this
  // means the two contracts drifted — still the request as sent that was refused, hence a 400.
  [Code.VALIDATION_FAILED]: invalidInput,
  // A value our schemas let through that the Process API's database cannot store: still the
  // end user's input — a 400, never a 500.
  [Code.INVALID_PARAMETER]: invalidInput,
  [Code.MALFORMED_JSON]: ours,
  [Code.BAD_REQUEST]: ours,
  [Code.UNSUPPORTED_MEDIA_TYPE]: ours,
  [Code.PAYLOAD_TOO_LARGE]: ours,
  [Code.ROUTE_NOT_FOUND]: ours,
  [Code.UNAUTHENTICATED_CALLER]: ours,
  [Code.CALLER_NOT_ALLOWED]: ours,
  [Code.IDEMPOTENCY_KEY_REUSED]: () => new IdempotencyKeyReused(),
  [Code.IDEMPOTENT_REQUEST_IN_PROGRESS]: () =>
    Object.assign(new IdempotentRequestInProgress(), {
      headers: { 'retry-after': '1' },
    }),
};

const isContractCode = (code: unknown): code is OnboardingRefusalCode => typeof code === 'string' && Object.hasOwn(PROCESS_REFUSALS, code);

/**
 * The Experience API's answer to a Process API refusal. A code outside the contract (a newer
 * Process API, or no problem body) stays a `DownstreamRejected`: a 500, logged as unmapped.
 */
export function translateRefusal(refusal: DownstreamRejected, call: RefusedCall): Error {
  const code = refusal.problem?.code;
  return isContractCode(code) ? PROCESS_REFUSALS[code](refusal, call) : refusal;
}
