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
