/** What the orchestrator asks of the load process, and what it answers (over the IPC channel of `fork`). */
import type { JWK } from 'jose';
import type { LatencySummary } from '../stats';

export interface HttpCall {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** Send a fresh Idempotency-Key with every request (writes). */
  freshIdempotencyKey?: boolean;
}

/** As many requests as `connections` keep in flight for `durationMs` (closed loop), cycling through `calls`. */
export interface ClosedLoopJob {
  kind: 'closed';
  origin: string;
  calls: HttpCall[];
  connections: number;
  durationMs: number;
}

/** `ratePerSecond` requests started on schedule whatever the answers (open loop), every one recorded. */
export interface FixedRateJob {
  kind: 'rate';
  origin: string;
  calls: HttpCall[];
  ratePerSecond: number;
  durationMs: number;
}

/** Sign-ups through the mobile Experience API, each followed (polled) until it ends. */
export interface OnboardingJob {
  kind: 'onboard';
  mobileOrigin: string;
  key: { kid: string; privateJwk: JWK };
  connections: number;
  /** Exactly this many… */
  count?: number;
  /** …or as many as fit in this time (onboardings started after it are not counted). */
  durationMs?: number;
  pollIntervalMs: number;
  /**
   * Follow each onboarding with long polls (`Prefer: wait=<seconds>` and the last ETag as
   * `If-None-Match`), as an app following it with one request in flight; pollIntervalMs is then
   * only the pause when the server did not hold an answer.
   */
  waitSeconds?: number;
  /** First number of this job's users, so SSNs and subjects never repeat within a run. */
  firstIndex: number;
}

export type LoadJob = ClosedLoopJob | FixedRateJob | OnboardingJob;

export interface ClosedLoopResult {
  requests: number;
  seconds: number;
  /** Answers by status code; "error" counts requests that got no answer. */
  statuses: Record<string, number>;
  latency: LatencySummary;
}

export interface FixedRateResult {
  /** [start (epoch ms), latency (ms), status (0: no answer)] of every request. */
  samples: Array<[number, number, number]>;
}

export interface OnboardedUser {
  sub: string;
  token: string;
  onboardingId: string;
  accountId: string;
  /** From POST until "welcome" was seen. */
  latencyMs: number;
}

export interface OnboardingResult {
  completed: OnboardedUser[];
  /** Started within the time box, finished after it: not in the rate, but their work was done. */
  finishedLate: number;
  seconds: number;
  /** Onboardings that ended otherwise, or calls that failed; the first few reasons. */
  failed: number;
  failures: string[];
}

export type LoadResult = ClosedLoopResult | FixedRateResult | OnboardingResult;

export type LoadReply = { id: number; result: LoadResult } | { id: number; error: string };
