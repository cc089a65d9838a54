/**
 * When and how long to wait before asking a downstream again. Pure functions, so the policy is
 * tested without a network.
 */

export interface RetryOptions {
  /** Total attempts, the first one included (1 = never retry). */
  attempts: number;
  /** Backoff ceiling of the first retry; doubles with each further retry. */
  baseDelayMs: number;
  /** No wait is ever longer, not even when the downstream asks for more with `Retry-After`. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryOptions = {
  attempts: 3,
  baseDelayMs: 100,
  maxDelayMs: 2_000,
};

/**
 * Only calls that are safe to repeat: reads, and writes the downstream deduplicates by their
 * idempotency key. Repeating an unkeyed POST could open two accounts.
 */
export function isRepeatable(method: string, idempotencyKey: string | undefined): boolean {
  return method === 'GET' || method === 'HEAD' || idempotencyKey !== undefined;
}

/**
 * Wait before retry number `retry` (1-based): "full jitter" — uniform in [0, min(max, base·2^(retry-1))] —
 * so that many callers failing together do not come back together. A downstream's `Retry-After`
 * is honoured, within `maxDelayMs`.
 */
export function backoffDelayMs(
  retry: number,
  options: Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs'>,
  retryAfterMs?: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (retry - 1));
  const jittered = Math.floor(random() * ceiling);
  return retryAfterMs === undefined ? jittered : Math.min(options.maxDelayMs, Math.max(jittered, retryAfterMs));
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfterMs(value: string | string[] | undefined, now: number = Date.now()): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return undefined;
  if (/^\d+$/.test(text.trim())) return Number(text.trim()) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
