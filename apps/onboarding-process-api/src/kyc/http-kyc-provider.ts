import { randomUUID } from 'node:crypto';
import { Type, type Static } from '@sinclair/typebox';
import type { Dispatcher } from 'undici';
import {
  DownstreamContractViolation,
  DownstreamRejected,
  DownstreamUnavailable,
  ServiceClientCore,
  type BreakerOptions,
  type BreakerState,
  type DownstreamHealth,
} from '@bartholomew/platform/http-client';
import { KycProviderAnswerInvalid, KycProviderRejected, KycProviderUnavailable } from './kyc-errors';
import {
  KycOutcome,
  KycRejectionCode,
  KycReviewCode,
  type KycApplicant,
  type KycCheckOptions,
  type KycDecision,
  type KycProvider,
} from './kyc-provider';

/**
 * The KYC port over a vendor's HTTP API. The vendor API this adapter speaks:
 *
 *   POST {baseUrl}/v1/checks
 *   Authorization: Bearer <api key>; Idempotency-Key: <optional>; X-Request-Id
 *   { "reference"?: string,
 *     "person": { "full_name", "date_of_birth": "YYYY-MM-DD", "ssn": "123456789",
 *                 "address"?: { "line1", "line2"?, "city", "state", "postal_code", "country": "US" } } }
 *
 *   200/201 { "id": "chk_…", "decision": "clear" | "review" | "decline",
 *             "reasons": [{ "code": "age_below_minimum", "message"?: "…" }] }
 *   4xx     application/problem+json { "code": "invalid_request", … } (RFC 9457)
 *
 * Mapping: `clear` → approved; `review` → manual_review; `decline` → rejected; the first known
 * reason code picks our reason code (unknown ones → REJECTED_BY_PROVIDER / REVIEW_REQUESTED_BY_PROVIDER).
 * Connection failures, timeouts, 5xx, 408, 429 and an open breaker → `KycProviderUnavailable`
 * (transient, with the vendor's `Retry-After` or the breaker's remaining time); other 4xx →
 * `KycProviderRejected` (permanent); an answer outside the above → `KycProviderAnswerInvalid`
 * (permanent). No retries here: the workflow retries the step with backoff and the same key.
 *
 * The transport is the platform's client core (libs/platform/src/http-client): its keep-alive
 * pool, per-call abort on timeout, body size limit, `Retry-After` parsing, answer validation and
 * a circuit breaker, shown with the other downstreams in /health/ready and /metrics.
 *
 * Human reasons are ours, not the vendor's `message`, which may quote the applicant's data.
 */

export interface HttpKycProviderOptions {
  /** `https://host[:port][/prefix]`: the vendor API's root. */
  baseUrl: string;
  apiKey: string;
  /** Name in logs, errors, /health/ready and /metrics. Default `kyc-provider`. */
  name?: string;
  /** Budget of one whole check: connect, send, wait, read. Default 10 000 ms. */
  timeoutMs?: number;
  /** Budget of the TCP/TLS connect. Default: the smaller of `timeoutMs` and 3 000 ms. */
  connectTimeoutMs?: number;
  /** Most sockets to the vendor; further checks queue within their time budget. Default 8. */
  connections?: number;
  /** Larger answers are refused as invalid instead of filling memory. Default 64 KiB. */
  maxResponseBytes?: number;
  /** The circuit breaker around the vendor (the platform's defaults otherwise). */
  breaker?: Partial<BreakerOptions>;
  /** Replaces the owned connection pool (undici `MockAgent`, a proxy); not closed by `close()`. */
  dispatcher?: Dispatcher;
}

const VendorReasonSchema = Type.Object({
  code: Type.String({ pattern: '^[a-z0-9_.-]{1,64}$' }),
  message: Type.Optional(Type.String()),
});

/** What the vendor answers to a check; extra fields are allowed (vendors add fields over time). */
const VendorCheckSchema = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 128 }),
  decision: Type.Union([Type.Literal('clear'), Type.Literal('review'), Type.Literal('decline')]),
  reasons: Type.Optional(Type.Array(VendorReasonSchema, { maxItems: 50 })),
});
type VendorCheck = Static<typeof VendorCheckSchema>;

const REJECTION_BY_VENDOR_CODE: Record<string, { code: KycRejectionCode; reason: string }> = {
  age_below_minimum: {
    code: KycRejectionCode.UNDERAGE,
    reason: 'Applicant is younger than the age of majority',
  },
  ssn_invalid: {
    code: KycRejectionCode.INVALID_SSN,
    reason: 'SSN is not a valid, issued number',
  },
  date_of_birth_invalid: {
    code: KycRejectionCode.INVALID_DATE_OF_BIRTH,
    reason: 'Date of birth is not valid',
  },
  watchlist_match: {
    code: KycRejectionCode.WATCHLIST_MATCH,
    reason: 'Name matches a watch-list entry',
  },
  identity_not_found: {
    code: KycRejectionCode.IDENTITY_NOT_VERIFIED,
    reason: 'No record of this person was found',
  },
  identity_mismatch: {
    code: KycRejectionCode.IDENTITY_NOT_VERIFIED,
    reason: 'Name, date of birth and SSN do not match one person on record',
  },
  ssn_deceased: {
    code: KycRejectionCode.SSN_REPORTED_DECEASED,
    reason: 'SSN is reported as belonging to a deceased person',
  },
};

const REVIEW_BY_VENDOR_CODE: Record<string, { code: KycReviewCode; reason: string }> = {
  watchlist_potential_match: {
    code: KycReviewCode.POSSIBLE_WATCHLIST_MATCH,
    reason: 'Name resembles a watch-list entry',
  },
  identity_partial_match: {
    code: KycReviewCode.IDENTITY_PARTIAL_MATCH,
    reason: 'Identity records match only in part',
  },
};

export class HttpKycProvider implements KycProvider, DownstreamHealth {
  readonly name: string;
  private readonly core: ServiceClientCore;
  private readonly apiKey: string;

  constructor(options: HttpKycProviderOptions) {
    const url = new URL(options.baseUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError('KYC baseUrl must be http(s)');
    if (!options.apiKey) throw new TypeError('KYC apiKey is required');
    this.name = options.name ?? 'kyc-provider';
    this.apiKey = options.apiKey;
    const timeoutMs = options.timeoutMs ?? 10_000;
    this.core = new ServiceClientCore({
      name: this.name,
      baseUrl: options.baseUrl,
      // REVIEW: the core always sends our service credential header, made for our own services.
      // A vendor must never get a real secret of ours, so this is a marker that grants nothing;
      // the platform should let third-party downstreams go without the header.
      credential: {
        callerName: 'onboarding-process-api',
        secret: 'no-service-credential',
      },
      timeoutMs,
      connectTimeoutMs: options.connectTimeoutMs ?? Math.min(timeoutMs, 3_000),
      connections: options.connections ?? 8,
      maxResponseBytes: options.maxResponseBytes ?? 64 * 1024,
      // One attempt: the workflow retries the step with backoff (and the breaker still counts it).
      retry: { attempts: 1 },
      breaker: options.breaker,
      dispatcher: options.dispatcher,
    });
  }

  breakerState(): BreakerState {
    return this.core.breakerState();
  }

  async checkApplicant(applicant: KycApplicant, options: KycCheckOptions = {}): Promise<KycDecision> {
    try {
      const answer = await this.core.request({
        method: 'POST',
        path: '/v1/checks',
        requestId: options.requestId ?? randomUUID(),
        headers: { authorization: `Bearer ${this.apiKey}` },
        idempotencyKey: options.idempotencyKey,
        body: vendorRequest(applicant, options),
        responses: { 200: VendorCheckSchema, 201: VendorCheckSchema },
      });
      return mapVendorCheck(answer.body);
    } catch (error) {
      throw this.kycError(error);
    }
  }

  close(): Promise<void> {
    return this.core.close();
  }

  /** The core's typed errors in the KYC port's terms; anything else (our bug) passes unchanged. */
  private kycError(error: unknown): unknown {
    if (error instanceof DownstreamUnavailable) {
      return new KycProviderUnavailable(this.name, {
        reason: error.reason === 'client-closed' ? 'connection' : error.reason,
        status: error.status,
        retryAfterMs: error.retryAfterMs,
        cause: error,
      });
    }
    // 408: the vendor gave up waiting for our request — a slow moment, not a wrong request.
    if (error instanceof DownstreamRejected && error.status === 408) {
      return new KycProviderUnavailable(this.name, {
        reason: 'status',
        status: 408,
        cause: error,
      });
    }
    if (error instanceof DownstreamRejected) {
      const code = error.problem?.code;
      return new KycProviderRejected(this.name, error.status, typeof code === 'string' && /^[A-Za-z0-9_.-]{1,64}$/.test(code) ? code : undefined);
    }
    if (error instanceof DownstreamContractViolation) {
      // The core's message names the status, the rule and the fields, never their values.
      const what = error.message.split('outside its contract: ')[1] ?? 'unexpected answer';
      return new KycProviderAnswerInvalid(this.name, error.status, what);
    }
    return error;
  }
}

function vendorRequest(applicant: KycApplicant, options: KycCheckOptions) {
  const address = applicant.address;
  return {
    ...(options.idempotencyKey ? { reference: options.idempotencyKey } : {}),
    person: {
      full_name: applicant.legalName,
      date_of_birth: applicant.dateOfBirth,
      ssn: applicant.ssn.replace(/-/g, ''),
      ...(address
        ? {
            address: {
              line1: address.line1,
              ...(address.line2 ? { line2: address.line2 } : {}),
              city: address.city,
              state: address.state,
              postal_code: address.postalCode,
              country: 'US',
            },
          }
        : {}),
    },
  };
}

function mapVendorCheck(check: VendorCheck): KycDecision {
  const codes = (check.reasons ?? []).map((reason) => reason.code);
  const providerReference = check.id;
  switch (check.decision) {
    case 'clear':
      return { outcome: KycOutcome.approved, providerReference };
    case 'review': {
      const known = codes.map((code) => REVIEW_BY_VENDOR_CODE[code]).find((mapped) => mapped !== undefined);
      return known
        ? {
            outcome: KycOutcome.manual_review,
            reasonCode: known.code,
            reason: known.reason,
            providerReference,
          }
        : {
            outcome: KycOutcome.manual_review,
            reasonCode: KycReviewCode.REVIEW_REQUESTED_BY_PROVIDER,
            reason: withVendorCodes('The provider asked for a manual review', codes),
            providerReference,
          };
    }
    case 'decline': {
      const known = codes.map((code) => REJECTION_BY_VENDOR_CODE[code]).find((mapped) => mapped !== undefined);
      return known
        ? {
            outcome: KycOutcome.rejected,
            reasonCode: known.code,
            reason: known.reason,
            providerReference,
          }
        : {
            outcome: KycOutcome.rejected,
            reasonCode: KycRejectionCode.REJECTED_BY_PROVIDER,
            reason: withVendorCodes('The provider declined the applicant', codes),
            providerReference,
          };
    }
  }
}

function withVendorCodes(reason: string, codes: readonly string[]): string {
  return codes.length === 0 ? reason : `${reason} (vendor reason: ${codes.slice(0, 3).join(', ')})`;
}
