/**
 * Typed errors of outbound calls. Callers map the ones they expect (e.g. a `DownstreamRejected`
 * with `problem.code === 'ACCOUNT_NOT_FOUND'`) and let the rest reach the platform error handler,
 * which reads `code` + `statusCode`: unavailability answers 503 with `Retry-After` when known,
 * everything else a neutral 500.
 *
 * Messages name the downstream, the status and the problem code only — never request or response
 * bodies, which may carry SSNs or account numbers.
 */

import type { BreakerState } from '../shared/downstream-health';

export type { BreakerState };

/** RFC 9457 problem details as another service of ours answers them; read leniently. */
export interface DownstreamProblem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  instance?: string;
  code?: string;
  [extension: string]: unknown;
}

/** Why a downstream counts as unavailable. */
export type UnavailableReason =
  | 'circuit-open' // failed fast: the breaker refused the call, nothing was sent
  | 'client-closed' // `close()` was called on the client
  | 'status' // the downstream answered 5xx or 429
  | 'connection' // refused, reset, DNS, socket errors
  | 'timeout'; // no complete answer within the call's time budget

/** Base class of every error this client raises, so callers can tell them from their own bugs. */
export abstract class DownstreamError extends Error {
  abstract readonly code: string;
  abstract readonly statusCode: number;
  /** Name of the downstream API, e.g. `account-system-api`. */
  readonly downstream: string;

  protected constructor(downstream: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.downstream = downstream;
  }
}

/**
 * The downstream could not answer (5xx, 429, connection failure, timeout) or the breaker is open.
 * Retryable for idempotent calls. The breaker counts only outages among them (see
 * `signalsOutage`): a plain 500 is about one request and never opens it for everyone.
 */
export class DownstreamUnavailable extends DownstreamError {
  readonly code: string = 'DOWNSTREAM_UNAVAILABLE';
  readonly statusCode = 503;
  readonly reason: UnavailableReason;
  /** State of the breaker when the error was raised. */
  readonly breakerState: BreakerState;
  /** HTTP status when the downstream answered (5xx or 429). */
  readonly status: number | undefined;
  /** Milliseconds the downstream asked us to wait (`Retry-After`), when it said so. */
  readonly retryAfterMs: number | undefined;
  /** The downstream's `application/problem+json` body, when it answered 5xx/429 with one. */
  readonly problem: DownstreamProblem | undefined;
  /** Read by the platform error handler: tells our own caller when to come back. */
  readonly headers: Record<string, string> | undefined;

  constructor(
    downstream: string,
    details: {
      reason: UnavailableReason;
      breakerState: BreakerState;
      status?: number;
      retryAfterMs?: number;
      problem?: DownstreamProblem;
      cause?: unknown;
    },
    message = unavailableMessage(downstream, details.reason, details.status, details.problem),
  ) {
    super(downstream, message, { cause: details.cause });
    this.reason = details.reason;
    this.breakerState = details.breakerState;
    this.status = details.status;
    this.retryAfterMs = details.retryAfterMs;
    this.problem = details.problem;
    this.headers =
      details.retryAfterMs === undefined
        ? undefined
        : {
            'retry-after': String(Math.max(1, Math.ceil(details.retryAfterMs / 1000))),
          };
  }
}

/** The call got no complete answer within its time budget; the request was aborted. */
export class DownstreamTimeout extends DownstreamUnavailable {
  override readonly code = 'DOWNSTREAM_TIMEOUT';
  readonly timeoutMs: number;
  /**
   * The wait was cut short by our caller's time budget, not by this downstream's own timeout: it
   * says nothing about the downstream's health (the breaker does not count it).
   */
  readonly callerBudget: boolean;

  constructor(
    downstream: string,
    details: {
      timeoutMs: number;
      breakerState: BreakerState;
      cause?: unknown;
      callerBudget?: boolean;
    },
  ) {
    super(
      downstream,
      {
        reason: 'timeout',
        breakerState: details.breakerState,
        cause: details.cause,
      },
      `${downstream} did not answer within ${details.timeoutMs} ms`,
    );
    this.timeoutMs = details.timeoutMs;
    this.callerBudget = details.callerBudget ?? false;
  }
}

/**
 * The downstream refused the request with a 4xx. Not retried, not counted by the breaker: the
 * downstream is healthy, the request was wrong (or the resource absent). `statusCode` is 502
 * because an unmapped rejection is our bug, not our caller's.
 */
export class DownstreamRejected extends DownstreamError {
  readonly code = 'DOWNSTREAM_REJECTED';
  readonly statusCode = 502;
  /** The downstream's HTTP status (4xx). */
  readonly status: number;
  /** The parsed `application/problem+json` body, when the downstream sent one. */
  readonly problem: DownstreamProblem | undefined;

  constructor(downstream: string, status: number, problem: DownstreamProblem | undefined) {
    const code = typeof problem?.code === 'string' ? ` (${problem.code})` : '';
    super(downstream, `${downstream} rejected the request with ${status}${code}`);
    this.status = status;
    this.problem = problem;
  }
}

/** One schema violation in a response; the offending value is deliberately left out. */
export interface ContractIssue {
  path: string;
  message: string;
}

/**
 * A successful answer that does not match the contract (undeclared status, not JSON, schema
 * violation, too large). Not retried — asking again gets the same answer — and not counted by the
 * breaker: the downstream is up, it is the wrong version or has a bug.
 */
export class DownstreamContractViolation extends DownstreamError {
  readonly code = 'DOWNSTREAM_CONTRACT_VIOLATION';
  readonly statusCode = 502;
  /** The downstream's HTTP status; undefined when the answer broke off before it was known. */
  readonly status: number | undefined;
  readonly issues: readonly ContractIssue[];

  constructor(downstream: string, status: number | undefined, what: string, issues: readonly ContractIssue[] = []) {
    const listed = issues
      .slice(0, 5)
      .map((issue) => `${issue.path || '/'} ${issue.message}`)
      .join('; ');
    super(
      downstream,
      `${downstream} answered ${status === undefined ? '' : `${status} `}outside its contract: ${what}${listed ? ` (${listed})` : ''}`,
    );
    this.status = status;
    this.issues = issues;
  }
}

function unavailableMessage(downstream: string, reason: UnavailableReason, status: number | undefined, problem?: DownstreamProblem): string {
  switch (reason) {
    case 'circuit-open':
      return `${downstream} is unavailable: circuit breaker open, call not attempted`;
    case 'client-closed':
      return `${downstream} client is closed`;
    case 'status':
      return `${downstream} is unavailable: answered ${status}${typeof problem?.code === 'string' ? ` (${problem.code})` : ''}`;
    case 'connection':
      return `${downstream} is unavailable: connection failed`;
    case 'timeout':
      return `${downstream} is unavailable: timed out`;
  }
}
