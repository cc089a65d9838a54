/**
 * Why a KYC provider gave no decision. The workflow branches on `transient`: retry the step later
 * (vendor down, slow, overloaded) or fail it for good (our request or configuration is wrong, or the
 * vendor answers outside its documented API — asking again gets the same answer).
 *
 * Messages name the provider, the HTTP status and the vendor's error code only — never request or
 * response bodies, which carry SSNs and dates of birth.
 *
 * REVIEW: plain classes rather than `@fastify/error` constructors: these never reach an HTTP
 * answer directly (the workflow records them on the step), and `transient` is what callers need.
 * They still carry `code` + `statusCode`, so the platform error handler renders them sensibly.
 */
export abstract class KycProviderError extends Error {
  abstract readonly code: string;
  abstract readonly statusCode: number;
  /** True when the same check may succeed later. */
  abstract readonly transient: boolean;
  readonly provider: string;

  protected constructor(provider: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.provider = provider;
  }
}

export type KycUnavailableReason =
  | 'connection' // refused, reset, DNS, TLS, socket errors
  | 'timeout' // no complete answer within the time budget; the request was aborted
  | 'status' // the vendor answered 5xx, 429 or 408
  | 'circuit-open' // recent checks found the vendor down: failed fast, nothing was sent
  | 'sandbox'; // a sandbox test value that simulates an outage

/** The provider could not answer now. Retry later, with backoff. */
export class KycProviderUnavailable extends KycProviderError {
  readonly code = 'KYC_PROVIDER_UNAVAILABLE';
  readonly statusCode = 503;
  readonly transient = true;
  readonly reason: KycUnavailableReason;
  /** The vendor's HTTP status, when it answered. */
  readonly status: number | undefined;
  /** How long the vendor asked us to wait (`Retry-After`), when it said so. */
  readonly retryAfterMs: number | undefined;

  constructor(
    provider: string,
    details: {
      reason: KycUnavailableReason;
      status?: number;
      retryAfterMs?: number;
      cause?: unknown;
    },
  ) {
    const what = details.status === undefined ? details.reason : `answered ${details.status}`;
    super(provider, `KYC provider ${provider} is unavailable: ${what}`, {
      cause: details.cause,
    });
    this.reason = details.reason;
    this.status = details.status;
    this.retryAfterMs = details.retryAfterMs;
  }
}

/** The vendor refused our request (4xx other than 408/429): wrong input, key or configuration. */
export class KycProviderRejected extends KycProviderError {
  readonly code = 'KYC_PROVIDER_REJECTED';
  readonly statusCode = 502;
  readonly transient = false;
  readonly status: number;
  /** The vendor's machine-readable error code, when its answer had one. */
  readonly vendorCode: string | undefined;

  constructor(provider: string, status: number, vendorCode: string | undefined) {
    super(provider, `KYC provider ${provider} rejected the check with ${status}${vendorCode ? ` (${vendorCode})` : ''}`);
    this.status = status;
    this.vendorCode = vendorCode;
  }
}

/** The vendor answered outside its API: undeclared status, not JSON, unknown shape, too large. */
export class KycProviderAnswerInvalid extends KycProviderError {
  readonly code = 'KYC_PROVIDER_ANSWER_INVALID';
  readonly statusCode = 502;
  readonly transient = false;
  /** The vendor's HTTP status; undefined when the answer broke off before it was known. */
  readonly status: number | undefined;

  constructor(provider: string, status: number | undefined, what: string) {
    super(provider, `KYC provider ${provider} answered ${status === undefined ? '' : `${status} `}outside its API: ${what}`);
    this.status = status;
  }
}
