import CircuitBreaker from 'opossum';
import { ReasonCode, ReturnCode, type GatewayResponse, type RequestOf, type TranCode } from '@bartholomew/mainframe-codec';
import { DEFAULT_BREAKER, signalsOutage, type BreakerOptions, type BreakerState, type DownstreamHealth } from '@bartholomew/platform/http-client';
import { CoreBankingGatewayUnavailable, GATEWAY_NAME } from './gateway-errors';
import { GatewaySession, SessionFailure } from './gateway-session';

export interface CoreBankingGatewayOptions {
  host: string;
  port: number;
  /** Sessions kept at most; below the gateway's own cap (GATEWAY_MAX_SESSIONS), which it shares with other clients. */
  sessions: number;
  /** Time budget of one call: waiting for a session, connecting, sending and the answer. */
  timeoutMs: number;
  /** MSG-CLIENT-ID: our sign-on id, 8 characters at most. */
  clientId: string;
  breaker?: Partial<BreakerOptions>;
}

/**
 * The core-banking gateway as this service reaches it: a pool of at most `sessions` TCP sessions,
 * a time budget per call, and a circuit breaker built like the platform's HTTP client core
 * (`volumeThreshold`, `consecutiveFailures`, an error filter that counts outages only, no
 * fallbacks). It answers the gateway's records as they are — RC 0 to 12 — and raises
 * `CoreBankingGatewayUnavailable` when there is no usable answer (no connection, no answer in
 * time, the session limit, RC 16) or the breaker is open. Registered in `app.downstreams`, so it
 * shows in `/health/ready` and `/metrics` like every downstream.
 */
export class CoreBankingGateway implements DownstreamHealth {
  readonly name = GATEWAY_NAME;
  private readonly idle: GatewaySession[] = [];
  private readonly waiting: Array<() => void> = [];
  private permits: number;
  private readonly breaker: CircuitBreaker<[() => Promise<unknown>], unknown>;
  private readonly resetTimeoutMs: number;
  private openedAt = 0;
  private closed = false;

  constructor(private readonly options: CoreBankingGatewayOptions) {
    if (!Number.isInteger(options.sessions) || options.sessions < 1) throw new TypeError(`${GATEWAY_NAME}: sessions must be a positive integer`);
    this.permits = options.sessions;
    const breaker = { ...DEFAULT_BREAKER, ...options.breaker };
    this.resetTimeoutMs = breaker.resetTimeoutMs;
    this.breaker = new CircuitBreaker((attempt: () => Promise<unknown>) => attempt(), {
      name: GATEWAY_NAME,
      // Each call keeps its own deadline (and drops a session that missed it); opossum's timeout would cancel nothing.
      timeout: false,
      resetTimeout: breaker.resetTimeoutMs,
      volumeThreshold: breaker.volumeThreshold,
      errorThresholdPercentage: breaker.errorThresholdPercentage,
      rollingCountTimeout: breaker.rollingWindowMs,
      // Only an outage counts: a record that cannot be encoded or an abend of one transaction (RC 16, 1601) is about one request.
      errorFilter: (error: unknown) => !signalsOutage(error),
      enableSnapshots: false,
      rollingPercentilesEnabled: false,
    });
    this.breaker.on('open', () => {
      this.openedAt = Date.now();
    });
    let outagesInARow = 0;
    this.breaker.on('success', () => {
      outagesInARow = 0;
    });
    this.breaker.on('failure', () => {
      outagesInARow++;
      if (outagesInARow >= breaker.consecutiveFailures && this.breaker.closed) this.breaker.open();
    });
  }

  breakerState(): BreakerState {
    if (this.breaker.opened) return 'open';
    if (this.breaker.halfOpen) return 'halfOpen';
    return 'closed';
  }

  /**
   * Runs one transaction and answers its response (return codes 0, 4, 8 and 12 are answers to
   * map, not failures). Never retried here: an update sent twice is done twice.
   */
  async call<C extends TranCode>(tranCode: C, body: RequestOf<C>): Promise<GatewayResponse<C>> {
    try {
      return (await this.breaker.fire(() => this.attempt(tranCode, body))) as GatewayResponse<C>;
    } catch (error) {
      if (error instanceof Error && CircuitBreaker.isOurError(error)) {
        const shutDown = (error as Error & { code?: string }).code === 'ESHUTDOWN';
        throw new CoreBankingGatewayUnavailable({
          reason: shutDown ? 'client-closed' : 'circuit-open',
          breakerState: this.breakerState(),
          requestSent: false,
          ...(shutDown ? {} : { retryAfterMs: Math.max(0, this.openedAt + this.resetTimeoutMs - Date.now()) }),
        });
      }
      throw error;
    }
  }

  /** Closes every idle session and refuses further calls; a call in flight ends with its session. */
  close(): void {
    this.closed = true;
    this.breaker.shutdown();
    for (const session of this.idle.splice(0)) session.close();
  }

  private async attempt<C extends TranCode>(tranCode: C, body: RequestOf<C>): Promise<GatewayResponse<C>> {
    const deadline = Date.now() + this.options.timeoutMs;
    let session: GatewaySession | undefined;
    try {
      await this.takePermit(deadline);
      try {
        session =
          this.idleSession() ?? (await GatewaySession.open(this.options.host, this.options.port, this.options.clientId, deadline - Date.now()));
        const response = await session.call(tranCode, body, deadline - Date.now());
        if (response.returnCode === ReturnCode.SEVERE) {
          // Backed out by the core: nothing changed. 1602 (its database) is an outage; 1601 fails this request only.
          const outage = response.reasonCode === ReasonCode.DATABASE_UNAVAILABLE;
          throw new CoreBankingGatewayUnavailable({
            reason: 'status',
            status: outage ? 503 : 500,
            breakerState: this.breakerState(),
            requestSent: false,
          });
        }
        return response;
      } finally {
        this.givePermit(session);
      }
    } catch (error) {
      if (!(error instanceof SessionFailure)) throw error;
      throw new CoreBankingGatewayUnavailable(
        {
          reason: error.kind === 'timeout' ? 'timeout' : error.kind === 'session-limit' ? 'status' : 'connection',
          ...(error.kind === 'session-limit' ? { status: 503 } : {}),
          breakerState: this.breakerState(),
          requestSent: error.requestSent,
          ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
        },
        `${GATEWAY_NAME} is unavailable: ${error.message}`,
      );
    }
  }

  /** The most recently used idle session still connected; the gateway closes sessions idle too long (GATEWAY_IDLE_TIMEOUT_MS). */
  private idleSession(): GatewaySession | undefined {
    for (let session = this.idle.pop(); session; session = this.idle.pop()) {
      if (session.usable) return session;
      session.close();
    }
    return undefined;
  }

  /** Waits for one of the `sessions` permits until `deadline`. */
  private takePermit(deadline: number): Promise<void> {
    if (this.closed) return Promise.reject(new SessionFailure('connection', false, 'the client is closed'));
    if (this.permits > 0) {
      this.permits--;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const granted = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiting.splice(this.waiting.indexOf(granted), 1);
        reject(new SessionFailure('timeout', false, 'every session stayed busy for the whole time budget'));
      }, deadline - Date.now());
      this.waiting.push(granted);
    });
  }

  /** Returns the session to the pool if it is still in step, and the permit to the next waiter. */
  private givePermit(session: GatewaySession | undefined): void {
    if (session?.usable && !this.closed) this.idle.push(session);
    else session?.close();
    const next = this.waiting.shift();
    if (next) next();
    else this.permits++;
  }
}
