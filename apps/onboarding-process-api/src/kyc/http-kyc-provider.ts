import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { Pool, type Dispatcher } from 'undici';
import {
  KycProviderAnswerInvalid,
  KycProviderRejected,
  KycProviderUnavailable,
  type KycProviderError,
} from './kyc-errors';
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
 *   Authorization: Bearer <api key>; Idempotency-Key: <optional>; X-Request-Id: <optional>
 *   { "reference"?: string,
 *     "person": { "full_name", "date_of_birth": "YYYY-MM-DD", "ssn": "123456789",
 *                 "address"?: { "line1", "line2"?, "city", "state", "postal_code", "country": "US" } } }
 *
 *   200/201 { "id": "chk_…", "decision": "clear" | "review" | "decline",
 *             "reasons": [{ "code": "age_below_minimum", "message"?: "…" }] }
 *   4xx     { "error": { "code": "invalid_request", "message": "…" } }
 *
 * Mapping: `clear` → approved; `review` → manual_review; `decline` → rejected; the first known
 * reason code picks our reason code (unknown ones → REJECTED_BY_PROVIDER / REVIEW_REQUESTED_BY_PROVIDER).
 * Connection failures, timeouts, 5xx, 408 and 429 → `KycProviderUnavailable` (transient); other
 * 4xx → `KycProviderRejected` (permanent); anything else → `KycProviderAnswerInvalid` (permanent).
 * No retries here: the workflow retries the step with backoff and the same idempotency key.
 *
 * Human reasons are ours, not the vendor's `message`, which may quote the applicant's data.
 */

export interface HttpKycProviderOptions {
  /** `https://host[:port][/prefix]`: the vendor API's root. */
  baseUrl: string;
  apiKey: string;
  /** Name in logs and errors. Default `http-kyc`. */
  name?: string;
  /** Budget of one whole check: connect, send, wait, read. Default 10 000 ms. */
  timeoutMs?: number;
  /** Budget of the TCP/TLS connect. Default: the smaller of `timeoutMs` and 3 000 ms. */
  connectTimeoutMs?: number;
  /** Most sockets to the vendor; further checks queue within their time budget. Default 8. */
  connections?: number;
  /** Larger answers are refused as invalid instead of filling memory. Default 64 KiB. */
  maxResponseBytes?: number;
  /** Replaces the owned Pool (e.g. a shared Agent or a proxy); not closed by `close()`. */
  dispatcher?: Dispatcher;
}

const VendorReasonSchema = Type.Object({
  code: Type.String({ pattern: '^[a-z0-9_.-]{1,64}$' }),
  message: Type.Optional(Type.String()),
});

/** What the vendor answers to a check; extra fields are allowed (vendors add fields over time). */
const VendorCheckSchema = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 128 }),
  decision: Type.Union([
    Type.Literal('clear'),
    Type.Literal('review'),
    Type.Literal('decline'),
  ]),
  reasons: Type.Optional(Type.Array(VendorReasonSchema, { maxItems: 50 })),
});
type VendorCheck = Static<typeof VendorCheckSchema>;

const REJECTION_BY_VENDOR_CODE: Record<
  string,
  { code: KycRejectionCode; reason: string }
> = {
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

const REVIEW_BY_VENDOR_CODE: Record<
  string,
  { code: KycReviewCode; reason: string }
> = {
  watchlist_potential_match: {
    code: KycReviewCode.POSSIBLE_WATCHLIST_MATCH,
    reason: 'Name resembles a watch-list entry',
  },
  identity_partial_match: {
    code: KycReviewCode.IDENTITY_PARTIAL_MATCH,
    reason: 'Identity records match only in part',
  },
};

export class HttpKycProvider implements KycProvider {
  readonly name: string;
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly origin: string;
  private readonly checksPath: string;
  private readonly apiKey: string;
  private readonly timeoutMs: number;
  private readonly maxResponseBytes: number;

  constructor(options: HttpKycProviderOptions) {
    const url = new URL(options.baseUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new TypeError('KYC baseUrl must be http(s)');
    if (!options.apiKey) throw new TypeError('KYC apiKey is required');
    this.name = options.name ?? 'http-kyc';
    this.origin = url.origin;
    this.checksPath = `${url.pathname.replace(/\/+$/, '')}/v1/checks`;
    this.apiKey = options.apiKey;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.maxResponseBytes = options.maxResponseBytes ?? 64 * 1024;
    this.ownsDispatcher = options.dispatcher === undefined;
    this.dispatcher =
      options.dispatcher ??
      new Pool(url.origin, {
        connections: options.connections ?? 8,
        connect: {
          timeout: options.connectTimeoutMs ?? Math.min(this.timeoutMs, 3_000),
        },
        // Backstops; the per-check AbortSignal below is the real budget.
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
        keepAliveTimeout: 10_000,
      });
  }

  async checkApplicant(
    applicant: KycApplicant,
    options: KycCheckOptions = {},
  ): Promise<KycDecision> {
    const signal = AbortSignal.timeout(this.timeoutMs);
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.apiKey}`,
      'content-type': 'application/json',
      accept: 'application/json',
    };
    if (options.idempotencyKey)
      headers['idempotency-key'] = options.idempotencyKey;
    if (options.requestId) headers['x-request-id'] = options.requestId;

    let response: Dispatcher.ResponseData;
    try {
      response = await this.dispatcher.request({
        origin: this.origin,
        path: this.checksPath,
        method: 'POST',
        headers,
        body: JSON.stringify(vendorRequest(applicant, options)),
        signal,
      });
    } catch (error) {
      throw this.transportError(error, signal);
    }

    const { statusCode } = response;
    if (statusCode === 200 || statusCode === 201) {
      const text = await this.readBody(response, signal);
      return this.decisionFrom(statusCode, text);
    }
    if (statusCode >= 500 || statusCode === 429 || statusCode === 408) {
      await dump(response);
      throw new KycProviderUnavailable(this.name, {
        reason: 'status',
        status: statusCode,
        retryAfterMs: parseRetryAfterMs(
          response.headers['retry-after'],
          Date.now(),
        ),
      });
    }
    if (statusCode >= 400) {
      const text = await this.readBody(response, signal).catch(() => undefined);
      throw new KycProviderRejected(
        this.name,
        statusCode,
        vendorErrorCode(text),
      );
    }
    await dump(response);
    throw new KycProviderAnswerInvalid(
      this.name,
      statusCode,
      'undeclared status',
    );
  }

  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close();
  }

  private decisionFrom(status: number, text: string): KycDecision {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new KycProviderAnswerInvalid(this.name, status, 'body is not JSON');
    }
    if (!Value.Check(VendorCheckSchema, body)) {
      const first = Value.Errors(VendorCheckSchema, body).First();
      throw new KycProviderAnswerInvalid(
        this.name,
        status,
        `unexpected shape at ${first?.path || '/'}`,
      );
    }
    return mapVendorCheck(body);
  }

  /** Reads the whole body within the check's budget, refusing more than `maxResponseBytes`. */
  private async readBody(
    response: Dispatcher.ResponseData,
    signal: AbortSignal,
  ): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of response.body) {
        const buffer = chunk as Buffer;
        size += buffer.length;
        if (size > this.maxResponseBytes) {
          response.body.destroy();
          throw new KycProviderAnswerInvalid(
            this.name,
            response.statusCode,
            `answer larger than ${this.maxResponseBytes} bytes`,
          );
        }
        chunks.push(buffer);
      }
    } catch (error) {
      if (error instanceof KycProviderAnswerInvalid) throw error;
      throw this.transportError(error, signal);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  private transportError(
    error: unknown,
    signal: AbortSignal,
  ): KycProviderError {
    const timedOut =
      signal.aborted ||
      (error instanceof Error &&
        /timeout/i.test(
          `${error.name} ${(error as { code?: string }).code ?? ''}`,
        ));
    return new KycProviderUnavailable(this.name, {
      reason: timedOut ? 'timeout' : 'connection',
      cause: error,
    });
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
      const known = codes
        .map((code) => REVIEW_BY_VENDOR_CODE[code])
        .find((mapped) => mapped !== undefined);
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
            reason: withVendorCodes(
              'The provider asked for a manual review',
              codes,
            ),
            providerReference,
          };
    }
    case 'decline': {
      const known = codes
        .map((code) => REJECTION_BY_VENDOR_CODE[code])
        .find((mapped) => mapped !== undefined);
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
            reason: withVendorCodes(
              'The provider declined the applicant',
              codes,
            ),
            providerReference,
          };
    }
  }
}

function withVendorCodes(reason: string, codes: readonly string[]): string {
  return codes.length === 0
    ? reason
    : `${reason} (vendor reason: ${codes.slice(0, 3).join(', ')})`;
}

/** The vendor's `error.code`, when the 4xx body is JSON that has one of a sane shape. */
function vendorErrorCode(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  try {
    const code = (JSON.parse(text) as { error?: { code?: unknown } } | null)
      ?.error?.code;
    return typeof code === 'string' && /^[A-Za-z0-9_.-]{1,64}$/.test(code)
      ? code
      : undefined;
  } catch {
    return undefined;
  }
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfterMs(
  value: string | string[] | undefined,
  nowMs: number,
): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined || text.trim() === '') return undefined;
  if (/^\s*\d+\s*$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

async function dump(response: Dispatcher.ResponseData): Promise<void> {
  try {
    await response.body.dump();
  } catch {
    // The answer is already decided by its status; a broken body changes nothing.
  }
}
