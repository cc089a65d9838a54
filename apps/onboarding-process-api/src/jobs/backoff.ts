/**
 * When to try again: the backoff shared by the onboarding steps and the email relay, and the
 * delay a fault asked for. Pure; the callers schedule the job (job-queue.ts).
 */

/**
 * Backoff before attempt `attempt + 1`: doubling from `baseMs` with ±25 % jitter (so onboardings
 * failing together do not come back together), at least what the downstream asked for
 * (`Retry-After`, an open breaker's remaining time), never more than `maxMs`.
 */
export function retryDelayMs(
  attempt: number,
  policy: { baseMs: number; maxMs: number },
  askedMs?: number,
  random: () => number = Math.random,
): number {
  const doubled = policy.baseMs * 2 ** Math.max(0, attempt - 1);
  const jittered = Math.round(doubled * (0.75 + random() * 0.5));
  return Math.max(1, Math.min(policy.maxMs, Math.max(jittered, askedMs ?? 0)));
}

/**
 * Wait for a refusal that says when it ends (core banking's batch window: `closesInMs`): all of
 * it, not capped at `maxMs` — the cap bounds waits on outages of unknown length, and asking again
 * before the window closes only meets the same refusal — plus up to `baseMs` of jitter, so the
 * onboardings the window held do not all come back in the same instant.
 */
export function untilClosedMs(closesInMs: number, policy: { baseMs: number }, random: () => number = Math.random): number {
  return Math.max(1, Math.round(closesInMs + random() * policy.baseMs));
}

/** What a transient fault asked us to wait, when it said. */
export function askedDelayMs(error: unknown): number | undefined {
  const value = (error as { retryAfterMs?: unknown } | null)?.retryAfterMs;
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
