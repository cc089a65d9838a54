import type { Problem } from '@bartholomew/contracts-shared';
import type { MobileProblemCode } from '@bartholomew/contracts-mobile-experience';

/** Codes the app may meet: this API's own, and the platform's (auth, rate limit, validation, ...). */
export type ProblemCode =
  | MobileProblemCode
  | 'VALIDATION_FAILED'
  | 'UNAUTHENTICATED'
  | 'RATE_LIMITED'
  | 'ROUTE_NOT_FOUND'
  | 'PAYLOAD_TOO_LARGE'
  | 'INTERNAL_ERROR'
  | (string & {});

/**
 * The API answered with a problem (RFC 9457). Branch on `code`, never on `title` or `detail`.
 * `retryAfterSeconds` is set when the API said when to come back (503, 429, 409 in progress).
 */
export class MobileApiError extends Error {
  readonly status: number;
  readonly code: ProblemCode;
  readonly problem: Problem & Record<string, unknown>;
  readonly retryAfterSeconds: number | undefined;
  readonly requestId: string | undefined;

  constructor(problem: Problem & Record<string, unknown>, retryAfterSeconds: number | undefined, requestId: string | undefined) {
    super(problem.detail ?? problem.title);
    this.name = 'MobileApiError';
    this.status = problem.status;
    this.code = problem.code;
    this.problem = problem;
    this.retryAfterSeconds = retryAfterSeconds;
    this.requestId = requestId;
  }

  /** The user should sign in again (no, expired or refused token). */
  get isUnauthenticated(): boolean {
    return this.status === 401;
  }

  /** Worth trying again later (service unavailable, rate limited, in progress). */
  get isRetryable(): boolean {
    return this.retryAfterSeconds !== undefined || this.status === 503 || this.status === 429;
  }
}

/** No usable answer: offline, DNS, connection reset, timed out, or not the API's JSON. */
export class MobileNetworkError extends Error {
  readonly timedOut: boolean;

  constructor(message: string, options: { cause?: unknown; timedOut?: boolean } = {}) {
    super(message, { cause: options.cause });
    this.name = 'MobileNetworkError';
    this.timedOut = options.timedOut ?? false;
  }
}
