/**
 * What the mainframe adapter raises besides the API's own refusals (`src/errors.ts`): the gateway's
 * unavailability in the platform's `DownstreamUnavailable` shape (so the error handler answers 503
 * with Retry-After, as for every downstream), the batch window and a write whose outcome is
 * unknown (503s with the contract's codes). Messages name the gateway and the reason only.
 */
import { AccountSystemProblemCode } from '@bartholomew/contracts-account-system';
import { DownstreamUnavailable, type BreakerState, type UnavailableReason } from '@bartholomew/platform/http-client';

/** The downstream's name in `/health/ready`, `/metrics` and errors. */
export const GATEWAY_NAME = 'core-banking-gateway';

/** The gateway could not be reached, did not answer, or failed inside (RC 16); its breaker may be open. */
export class CoreBankingGatewayUnavailable extends DownstreamUnavailable {
  /**
   * The request reached the socket and no answer came back: the gateway may have run it. Only
   * such a failure leaves an idempotent write in doubt; every other one changed nothing.
   */
  readonly requestSent: boolean;

  constructor(
    details: { reason: UnavailableReason; breakerState: BreakerState; status?: number; retryAfterMs?: number; requestSent: boolean },
    message?: string,
  ) {
    super(GATEWAY_NAME, details, message);
    this.requestSent = details.requestSent;
  }
}

/**
 * RC 8, reason 0821: the nightly batch window is open and the core refuses updates until it
 * closes. A 503 with Retry-After = the seconds the gateway said (MSG-RETRY-SECONDS), so a caller
 * (the onboarding Process API) schedules its retry after the window. Raised outside the breaker:
 * the gateway is healthy, it answered.
 */
export class CoreBankingBatchWindow extends DownstreamUnavailable {
  override readonly code = AccountSystemProblemCode.CORE_BANKING_BATCH_WINDOW;

  constructor(retryAfterMs: number, breakerState: BreakerState) {
    super(
      GATEWAY_NAME,
      { reason: 'status', status: 503, breakerState, retryAfterMs },
      'Core banking is in its batch window and takes no updates until it closes; retry after Retry-After',
    );
  }
}

/** How long a caller should wait before asking again about a write in doubt. */
const IN_DOUBT_RETRY_AFTER_MS = 60_000;

/**
 * A write with this idempotency key reached the core but its answer was lost (timeout, broken
 * connection, a crash of this service mid-call): it may have happened. The key stays "in doubt"
 * and every retry with it is answered this 503 instead of posting again; an operator settles it
 * against the core (see the README).
 */
export class CoreBankingWriteInDoubt extends DownstreamUnavailable {
  override readonly code = AccountSystemProblemCode.CORE_BANKING_WRITE_IN_DOUBT;

  constructor(breakerState: BreakerState) {
    super(
      GATEWAY_NAME,
      { reason: 'status', status: 503, breakerState, retryAfterMs: IN_DOUBT_RETRY_AFTER_MS },
      'The outcome of an earlier request with this Idempotency-Key is unknown; it is not sent again until it is settled',
    );
  }
}
