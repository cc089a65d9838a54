import type { FastifyBaseLogger } from 'fastify';
import type { BillingSystemClient } from '@bartholomew/clients-billing-system';
import type { FeePlan } from '@bartholomew/contracts-billing-system';
import { DownstreamUnavailable } from '@bartholomew/platform/http-client';

/** Fee plans change with billing's releases, not per request: read them at most this often. */
export const FEE_PLANS_FRESH_FOR_MS = 5 * 60_000;

/** Retry-After of a 503 when billing (or its breaker) gave no estimate of its own. */
const DEFAULT_RETRY_AFTER_MS = 5_000;

export interface FeePlansAnswer {
  plans: FeePlan[];
  /** When these plans were read from billing. */
  readAt: Date;
  /** True when billing did not answer and these are the last plans read from it. */
  stale: boolean;
}

/**
 * The billing System API's fee-plan catalogue (its system of record), kept in memory for a short
 * while so a product list costs billing one call every few minutes, not one per screen. While
 * billing does not answer, the last plans read are served marked stale; with none read yet the
 * caller gets billing's unavailability (a 503 with Retry-After).
 */
export class FeePlanCache {
  private last: { plans: FeePlan[]; readAt: number } | undefined;
  // Concurrent requests after expiry share one call to billing instead of each making one.
  private reading: Promise<{ plans: FeePlan[]; readAt: number }> | undefined;

  constructor(
    private readonly options: {
      billingSystem: BillingSystemClient;
      log: FastifyBaseLogger;
      freshForMs?: number;
      now?: () => number;
    },
  ) {}

  async feePlans(requestId: string): Promise<FeePlansAnswer> {
    const now = this.now();
    const freshForMs = this.options.freshForMs ?? FEE_PLANS_FRESH_FOR_MS;
    if (this.last && now - this.last.readAt < freshForMs) return answer(this.last, false);
    try {
      return answer(await this.read(requestId), false);
    } catch (error) {
      if (!(error instanceof DownstreamUnavailable)) throw error;
      if (!this.last) throw withRetryAfter(error);
      this.options.log.warn(
        { reason: error.message, ageMs: now - this.last.readAt },
        'billing System API unavailable: serving the last fee plans read, marked stale',
      );
      return answer(this.last, true);
    }
  }

  private read(requestId: string): Promise<{ plans: FeePlan[]; readAt: number }> {
    this.reading ??= this.options.billingSystem
      .listFeePlans({ requestId })
      .then((plans) => {
        this.last = { plans, readAt: this.now() };
        return this.last;
      })
      .finally(() => {
        this.reading = undefined;
      });
    return this.reading;
  }

  private now(): number {
    return this.options.now ? this.options.now() : Date.now();
  }
}

const answer = (entry: { plans: FeePlan[]; readAt: number }, stale: boolean): FeePlansAnswer => ({
  plans: entry.plans,
  readAt: new Date(entry.readAt),
  stale,
});

/** Billing's unavailability as this service's 503, always with a Retry-After (billing's own estimate when it gave one). */
function withRetryAfter(error: DownstreamUnavailable): DownstreamUnavailable {
  if (error.retryAfterMs !== undefined) return error;
  return new DownstreamUnavailable(
    error.downstream,
    { reason: error.reason, breakerState: error.breakerState, status: error.status, retryAfterMs: DEFAULT_RETRY_AFTER_MS, cause: error },
    error.message,
  );
}
