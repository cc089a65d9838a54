import { ACCOUNT_SYSTEM_API } from '@bartholomew/clients-account-system';
import { AccountSystemProblemCode } from '@bartholomew/contracts-account-system';
import { DownstreamContractViolation, DownstreamRejected, DownstreamUnavailable } from '@bartholomew/platform/http-client';

/**
 * How the workflow treats an error thrown by a step:
 * - `transient`: the world may answer differently later (downstream down, breaker open, 5xx,
 *   429, timeout, a provider outage) → the step is retried with backoff, the onboarding waits;
 * - `permanent`: asking again gets the same answer (4xx, an answer outside the contract, a
 *   provider refusing our request) → the step fails for good;
 * - `unknown`: not a downstream's answer at all (our bug, the database) → rethrown, so
 *   graphile-worker retries the job and the error is logged loudly.
 */
export type FaultKind = 'transient' | 'permanent' | 'unknown';

export function classifyFault(error: unknown): FaultKind {
  if (error instanceof DownstreamUnavailable) return 'transient';
  if (error instanceof DownstreamRejected || error instanceof DownstreamContractViolation) return 'permanent';
  // Provider ports (KYC, ACH) raise errors that say themselves whether they are transient.
  const transient = (error as { transient?: unknown } | null)?.transient;
  if (typeof transient === 'boolean') return transient ? 'transient' : 'permanent';
  return 'unknown';
}

/** The account System API's 503 with this problem code (see `AccountSystemProblemCode`). */
function coreBankingUnavailable(error: unknown, code: AccountSystemProblemCode): error is DownstreamUnavailable {
  return error instanceof DownstreamUnavailable && error.downstream === ACCOUNT_SYSTEM_API && error.problem?.code === code;
}

/**
 * Core banking is in its nightly batch window and refuses writes: not an outage but a wait of
 * known length. How long until it closes (the account System API's Retry-After), or undefined
 * for any other fault.
 */
export function coreBankingBatchWindowClosesInMs(error: unknown): number | undefined {
  return coreBankingUnavailable(error, AccountSystemProblemCode.CORE_BANKING_BATCH_WINDOW) ? error.retryAfterMs : undefined;
}

/**
 * A write of ours reached core banking but its answer was lost: it may have happened, and the
 * account System API refuses to send it again until an operator settles it.
 */
export function isCoreBankingWriteInDoubt(error: unknown): boolean {
  return coreBankingUnavailable(error, AccountSystemProblemCode.CORE_BANKING_WRITE_IN_DOUBT);
}

/** The problem code a downstream gave with its refusal, if any. */
export function rejectionCode(error: unknown): string | undefined {
  if (error instanceof DownstreamRejected && typeof error.problem?.code === 'string') return error.problem.code;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** A caller-safe one-line description: our typed errors' messages name services and codes only. */
export function describeFault(error: unknown): string {
  if (error instanceof Error && classifyFault(error) !== 'unknown') return error.message.slice(0, 500);
  return 'unexpected error';
}
