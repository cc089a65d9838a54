import type { IncomingHttpHeaders } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Static, TSchema } from '@sinclair/typebox';
import CircuitBreaker from 'opossum';
import { Pool, type Dispatcher } from 'undici';
import type { DownstreamHealth } from '../shared/downstream-health';
import { TIME_BUDGET_HEADER, currentDeadline } from '../shared/request-deadline';
import { SERVICE_CREDENTIAL_HEADER, serviceCredential } from '../shared/service-credential';
import {
  DownstreamContractViolation,
  DownstreamRejected,
  DownstreamTimeout,
  DownstreamUnavailable,
  type BreakerState,
  type ContractIssue,
  type DownstreamProblem,
} from './errors';
import { ResponseValidator } from './response-validation';
import { DEFAULT_RETRY, backoffDelayMs, isRepeatable, parseRetryAfterMs, type RetryOptions } from './retry-policy';

/**
 * The one place where calls between our services get their resilience: a keep-alive undici
 * `Pool` per downstream, an opossum circuit breaker per downstream, a per-attempt timeout that
 * really aborts the request, retries of repeatable calls only, contract validation of answers,
 * typed errors, and propagation of the request id and the caller's service credential.
 * Typed clients in `libs/clients/*` wrap one `ServiceClientCore` each and never add any of this.
 */

export interface ServiceCredentialOptions {
  /** Our own service name, as the downstream knows it in its `ACCEPTED_CALLERS`. */
  callerName: string;
  secret: string;
}

export interface BreakerOptions {
  /** How long the breaker stays open before letting one trial call through. */
  resetTimeoutMs: number;
  /** Calls needed in the rolling window before the breaker may open (> 0: one failure is no trend). */
  volumeThreshold: number;
  /** Failure percentage in the rolling window above which the breaker opens. */
  errorThresholdPercentage: number;
  /** Length of the rolling statistics window. */
  rollingWindowMs: number;
  /**
   * Outages in a row that open the breaker at once, whatever the window says: a downstream that
   * stops answering after a busy, healthy minute must not keep every caller waiting while earlier
   * successes outweigh the new failures.
   */
  consecutiveFailures: number;
  /**
   * A downstream that stops answering (frozen, its host gone) is known long before the first
   * timeout: when `stalledCalls` attempts are waiting and none of its attempts has had any answer
   * for `stalledAfterMs`, the breaker opens at once. A slow answer now and then does not count: any
   * answer resets the clock. Default: 5 calls, 500 ms (or half the timeout when that is shorter).
   */
  stalledCalls: number;
  stalledAfterMs?: number;
}

export interface ServiceClientCoreOptions {
  /** Downstream API name, e.g. `account-system-api`: names the breaker, errors and metrics. */
  name: string;
  /** `http(s)://host:port`, optionally with a path prefix. */
  baseUrl: string;
  credential: ServiceCredentialOptions;
  /** Time budget of one attempt, connection, queueing and body included. Default 2000. */
  timeoutMs?: number;
  /** Time budget of a TCP/TLS connect. Default: `timeoutMs`. */
  connectTimeoutMs?: number;
  /** Idle keep-alive sockets are dropped after this. Default 10 s — below Fastify's 72 s, so we close first. */
  keepAliveTimeoutMs?: number;
  /** Maximum sockets to the downstream; further calls queue (within their timeout). Default 16. */
  connections?: number;
  /** Larger answers are refused as contract violations instead of filling memory. Default 5 MiB. */
  maxResponseBytes?: number;
  breaker?: Partial<BreakerOptions>;
  /**
   * Problem codes with which this downstream answers a 5xx/429 while it is healthy: it refuses one
   * kind of request for a while (e.g. writes during core banking's batch window) and still answers
   * others. The caller gets the `DownstreamUnavailable` as usual; the breaker does not count it,
   * so the other requests keep going through.
   */
  refusalsWhileHealthy?: readonly string[];
  retry?: Partial<RetryOptions>;
  /** Shared schemas (with `$id`) that response schemas reference through `Type.Ref`. */
  schemas?: readonly TSchema[];
  /** Replaces the owned `Pool` (e.g. undici `MockAgent` in unit tests); not closed by `close()`. */
  dispatcher?: Dispatcher;
}

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Statuses a call may declare as success; anything 4xx/5xx becomes a typed error instead. */
export type SuccessStatus = 200 | 201 | 202 | 203 | 204 | 205 | 206;

/** The contract of one call: a TypeBox schema per success status. Use `Type.Null()` for an empty body. */
export type ResponseSchemas = { readonly [S in SuccessStatus]?: TSchema };

export type QueryValue = string | number | boolean;
export type Query = Readonly<Record<string, QueryValue | readonly QueryValue[] | undefined>>;

export interface DownstreamCall<R extends ResponseSchemas> {
  method: HttpMethod;
  /** Path below the base URL, starting with `/`; build it with `urlPath` so values are encoded. */
  path: string;
  /** The request id of the work this call belongs to, forwarded as `x-request-id`. */
  requestId: string;
  responses: R;
  query?: Query;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as `Idempotency-Key`; makes a write safe to retry. */
  idempotencyKey?: string;
  /** Overrides the client's per-attempt time budget for slow operations. */
  timeoutMs?: number;
  /**
   * The downstream may hold the answer this long by design (a long poll): each attempt's time
   * budget grows by it, and an attempt held that long is not taken for a downstream that stopped
   * answering (the stall watch counts it only once the hold is over).
   */
  holdMs?: number;
  /**
   * Epoch milliseconds after which nobody waits for the answer: attempts are cut at it, the
   * downstream is told what is left (`x-time-budget-ms`), and nothing is sent once it has passed.
   * Default: the deadline of the request being served (see server/time-budget.ts), if any.
   */
  deadline?: number;
  /**
   * Extra headers of this one call (e.g. the end user a Process API call acts for). They cannot
   * replace the ones the core owns: request id, credential, idempotency key, content negotiation.
   */
  headers?: Record<string, string>;
}

/** The validated answer, discriminated by status: `body` has the static type of that status's schema. */
export type DownstreamResponse<R extends ResponseSchemas> = {
  [S in keyof R & SuccessStatus]: {
    status: S;
    body: R[S] extends TSchema ? Static<R[S]> : never;
    headers: IncomingHttpHeaders;
  };
}[keyof R & SuccessStatus];

/** Attempt outcomes since start, for `/metrics`. */
export interface DownstreamCounters {
  /** `request()` calls. */
  calls: number;
  /** HTTP attempts actually sent (retries included, short circuits excluded). */
  attempts: number;
  retries: number;
  successes: number;
  /** 4xx answers. */
  rejections: number;
  /** 5xx/429 answers and connection failures. */
  failures: number;
  timeouts: number;
  /** Calls refused by the open breaker without touching the network. */
  shortCircuits: number;
  contractViolations: number;
}

export const DEFAULT_TIMEOUT_MS = 2_000;
export const DEFAULT_BREAKER: BreakerOptions = {
  resetTimeoutMs: 10_000,
  volumeThreshold: 10,
  errorThresholdPercentage: 50,
  rollingWindowMs: 10_000,
  consecutiveFailures: 5,
  stalledCalls: 5,
};
const STALLED_AFTER_MS = 500;

const REQUEST_ID_HEADER = 'x-request-id';
const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
const JSON_MEDIA_TYPE = /^application\/(?:[\w.-]+\+)?json\b/i;
const PROBLEM_MEDIA_TYPE = /^application\/problem\+json\b/i;
/** undici's own timers (connect/headers/body) are backstops to our abort; they mean the same. */
const UNDICI_TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

type Attempt = () => Promise<unknown>;

interface WaitingAttempt {
  startedAt: number;
  controller: AbortController;
}

interface AttemptContext {
  signal: AbortSignal;
  timeoutMs: number;
  /** The attempt's wait was shortened by the caller's deadline. */
  callerBudget: boolean;
}

export class ServiceClientCore implements DownstreamHealth {
  readonly name: string;
  private readonly origin: string;
  private readonly basePath: string;
  private readonly credential: string;
  private readonly timeoutMs: number;
  private readonly retry: RetryOptions;
  private readonly resetTimeoutMs: number;
  private readonly dispatcher: Dispatcher;
  private readonly ownedPool: Pool | undefined;
  private readonly breaker: CircuitBreaker<[Attempt], unknown>;
  private readonly validator: ResponseValidator;
  private readonly refusalsWhileHealthy: ReadonlySet<string>;
  private readonly count: DownstreamCounters = {
    calls: 0,
    attempts: 0,
    retries: 0,
    successes: 0,
    rejections: 0,
    failures: 0,
    timeouts: 0,
    shortCircuits: 0,
    contractViolations: 0,
  };
  private openedAt = 0;
  private closing: Promise<void> | undefined;
  /** Start times of the attempts waiting for an answer, and when the last answer of any kind came. */
  private readonly waiting = new Set<WaitingAttempt>();
  private lastAnswerAt = Date.now();
  private stallWatch: NodeJS.Timeout | undefined;
  private readonly stalledCalls: number;
  private readonly stalledAfterMs: number;

  constructor(options: ServiceClientCoreOptions) {
    if (!options.name) throw new TypeError('ServiceClientCore needs a downstream name');
    const url = new URL(options.baseUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new TypeError(`${options.name}: baseUrl must be http(s), got ${url.protocol}`);
    }
    const { callerName, secret } = options.credential;
    // The downstream splits the credential at the first dot.
    if (!callerName || callerName.includes('.') || !secret) {
      throw new TypeError(`${options.name}: credential needs a callerName without dots and a secret`);
    }
    const breaker = { ...DEFAULT_BREAKER, ...options.breaker };
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    requirePositiveInteger(options.name, 'timeoutMs', this.timeoutMs);
    requirePositiveInteger(options.name, 'breaker.volumeThreshold', breaker.volumeThreshold);
    requirePositiveInteger(options.name, 'retry.attempts', this.retry.attempts);
    requirePositiveInteger(options.name, 'breaker.consecutiveFailures', breaker.consecutiveFailures);
    requirePositiveInteger(options.name, 'breaker.stalledCalls', breaker.stalledCalls);
    this.stalledCalls = breaker.stalledCalls;
    this.stalledAfterMs = breaker.stalledAfterMs ?? Math.min(STALLED_AFTER_MS, Math.ceil(this.timeoutMs / 2));
    requirePositiveInteger(options.name, 'breaker.stalledAfterMs', this.stalledAfterMs);

    this.name = options.name;
    this.origin = url.origin;
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.credential = serviceCredential(callerName, secret);
    this.resetTimeoutMs = breaker.resetTimeoutMs;
    this.validator = new ResponseValidator(options.schemas);
    this.refusalsWhileHealthy = new Set(options.refusalsWhileHealthy);

    if (options.dispatcher) {
      this.dispatcher = options.dispatcher;
    } else {
      this.ownedPool = new Pool(this.origin, {
        connections: options.connections ?? 16,
        connectTimeout: options.connectTimeoutMs ?? this.timeoutMs,
        keepAliveTimeout: options.keepAliveTimeoutMs ?? 10_000,
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
        maxResponseSize: options.maxResponseBytes ?? 5 * 1024 * 1024,
      });
      this.dispatcher = this.ownedPool;
    }

    // The breaker runs one attempt at a time; retries happen outside it, so every attempt counts.
    this.breaker = new CircuitBreaker((attempt: Attempt) => attempt(), {
      name: options.name,
      // opossum's timeout only stops waiting, it cancels nothing: each attempt aborts itself.
      timeout: false,
      resetTimeout: breaker.resetTimeoutMs,
      volumeThreshold: breaker.volumeThreshold,
      errorThresholdPercentage: breaker.errorThresholdPercentage,
      rollingCountTimeout: breaker.rollingWindowMs,
      // Only an outage is the downstream's health problem. A 4xx, a contract violation or a
      // plain 500 is an answer about one request from a service that is up: counting them would
      // let one caller who keeps sending a request that fails open the breaker for everyone.
      errorFilter: (error: unknown) => !signalsOutage(error) || this.refusedWhileHealthy(error),
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

  /** A 5xx/429 whose problem code says the downstream is up and refuses only this for a while. */
  private refusedWhileHealthy(error: unknown): boolean {
    if (!(error instanceof DownstreamUnavailable) || error.reason !== 'status') return false;
    const code = error.problem?.code;
    return typeof code === 'string' && this.refusalsWhileHealthy.has(code);
  }

  breakerState(): BreakerState {
    if (this.breaker.opened) return 'open';
    if (this.breaker.halfOpen) return 'halfOpen';
    return 'closed';
  }

  /** A snapshot of the counters since start. */
  counters(): Readonly<DownstreamCounters> {
    return { ...this.count };
  }

  /**
   * Sends one call, retrying it (only when repeatable) on unavailability with jittered backoff.
   * Resolves with the validated answer; rejects with `DownstreamRejected` (4xx),
   * `DownstreamUnavailable` / `DownstreamTimeout` (5xx, 429, network, timeout, open breaker) or
   * `DownstreamContractViolation`.
   */
  async request<R extends ResponseSchemas>(call: DownstreamCall<R>): Promise<DownstreamResponse<R>> {
    this.count.calls++;
    const path = this.pathFor(call.path, call.query);
    const headers = this.headersFor(call);
    const payload = call.body === undefined ? undefined : JSON.stringify(call.body);
    const timeoutMs = (call.timeoutMs ?? this.timeoutMs) + (call.holdMs ?? 0);
    const attempts = isRepeatable(call.method, call.idempotencyKey) ? this.retry.attempts : 1;

    const deadline = call.deadline ?? currentDeadline();

    for (let attempt = 1; ; attempt++) {
      try {
        const budget = this.attemptBudget(timeoutMs, deadline);
        return await this.throughBreaker(() => this.send(call, path, headers, payload, budget));
      } catch (error) {
        // Retrying into an open breaker would only fail fast again: give the real error back.
        if (!isTransient(error) || attempt >= attempts || !this.breaker.closed) throw error;
        // The downstream asked for more time than we may wait: asking sooner is pointless, and
        // waiting would only keep our own caller hanging. Give its answer back now.
        if (error.retryAfterMs !== undefined && error.retryAfterMs > this.retry.maxDelayMs) throw error;
        const wait = backoffDelayMs(attempt, this.retry, error.retryAfterMs);
        if (deadline !== undefined && Date.now() + wait >= deadline) throw error;
        this.count.retries++;
        await sleep(wait);
      }
    }
  }

  /**
   * How long one attempt may wait: the client's timeout, or less when the caller's deadline comes
   * first. A spent budget is refused here, before the breaker: the downstream never saw it.
   */
  private attemptBudget(timeoutMs: number, deadline: number | undefined): { timeoutMs: number; callerBudget: boolean } {
    if (deadline === undefined) return { timeoutMs, callerBudget: false };
    const left = Math.floor(deadline - Date.now());
    if (left <= 0) {
      this.count.timeouts++;
      throw new DownstreamTimeout(this.name, {
        timeoutMs: 0,
        breakerState: this.breakerState(),
        callerBudget: true,
      });
    }
    if (left >= timeoutMs) return { timeoutMs, callerBudget: false };
    // Cut short by the caller: a wait of at least half our own timeout that still gets no answer
    // is an outage all the same; a much shorter one says nothing about the downstream.
    return { timeoutMs: left, callerBudget: left < timeoutMs / 2 };
  }

  /** Stops the breaker and closes the owned pool once in-flight calls are done. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      clearInterval(this.stallWatch);
      this.breaker.shutdown();
      await this.ownedPool?.close();
    })();
    return this.closing;
  }

  private async throughBreaker<T>(attempt: () => Promise<T>): Promise<T> {
    try {
      // The breaker's action returns whatever the attempt returns; only its typing is lost.
      return (await this.breaker.fire(attempt)) as T;
    } catch (error) {
      if (error instanceof Error && CircuitBreaker.isOurError(error)) {
        const code = (error as Error & { code?: string }).code;
        if (code === 'ESHUTDOWN') {
          throw new DownstreamUnavailable(this.name, {
            reason: 'client-closed',
            breakerState: this.breakerState(),
          });
        }
        this.count.shortCircuits++;
        throw new DownstreamUnavailable(this.name, {
          reason: 'circuit-open',
          breakerState: this.breakerState(),
          retryAfterMs: Math.max(0, this.openedAt + this.resetTimeoutMs - Date.now()),
        });
      }
      throw error;
    }
  }

  private async send<R extends ResponseSchemas>(
    call: DownstreamCall<R>,
    path: string,
    headers: Record<string, string>,
    payload: string | undefined,
    budget: { timeoutMs: number; callerBudget: boolean },
  ): Promise<DownstreamResponse<R>> {
    const { callerBudget } = budget;
    // The breaker's trial call only asks whether the downstream answers again. It waits as long as
    // the stall watch would, not the whole timeout: the one caller behind it would otherwise wait
    // that long, alone, for a downstream that is most likely still down (its siblings fail fast).
    const timeoutMs = this.breaker.halfOpen ? Math.min(budget.timeoutMs, this.stalledAfterMs + (call.holdMs ?? 0)) : budget.timeoutMs;
    this.count.attempts++;
    // A controller per attempt: aborting it cancels this request only, socket and body included.
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new Error(`attempt timed out after ${timeoutMs} ms`)), timeoutMs);
    const context: AttemptContext = {
      signal: controller.signal,
      timeoutMs,
      callerBudget,
    };
    let response: Dispatcher.ResponseData | undefined;
    const waiting = this.startWaiting(controller, call.holdMs ?? 0);
    try {
      try {
        response = await this.dispatcher.request({
          origin: this.origin,
          path,
          method: call.method,
          // What is left of this attempt's wait, so the downstream stops when we do.
          headers: { ...headers, [TIME_BUDGET_HEADER]: String(timeoutMs) },
          body: payload,
          signal: controller.signal,
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
        });
      } catch (error) {
        const failure = this.transportError(error, context);
        this.stopWaiting(waiting, !(failure instanceof DownstreamTimeout));
        throw failure;
      }
      this.stopWaiting(waiting, true);
      const result = await this.read(call, response, context);
      this.count.successes++;
      return result;
    } catch (error) {
      this.countFailure(error);
      throw error;
    } finally {
      clearTimeout(timer);
      // Whatever happened, leave nothing unread: an unread body pins its keep-alive socket.
      if (response) await response.body.dump().catch(() => undefined);
    }
  }

  /** Counts an attempt as waiting for its answer, and watches for a stall while any is. */
  private startWaiting(controller: AbortController, holdMs: number): WaitingAttempt {
    // A held attempt is waited for as from the end of its hold.
    const waiting = { startedAt: Date.now() + holdMs, controller };
    this.waiting.add(waiting);
    this.stallWatch ??= setInterval(() => this.openIfStalled(), Math.max(10, Math.floor(this.stalledAfterMs / 4))).unref();
    return waiting;
  }

  /** `answered`: its headers came, or it failed otherwise than by waiting too long. */
  private stopWaiting(waiting: WaitingAttempt, answered: boolean): void {
    this.waiting.delete(waiting);
    if (answered) this.lastAnswerAt = Date.now();
    if (this.waiting.size === 0) {
      clearInterval(this.stallWatch);
      this.stallWatch = undefined;
    }
  }

  private openIfStalled(): void {
    if (!this.isStalled()) return;
    // Timers run before I/O in Node's loop: after our own process was busy for a while, answers may
    // be waiting on the sockets. Decide once they have been read (setImmediate runs after I/O).
    setImmediate(() => {
      if (!this.isStalled()) return;
      this.breaker.open();
      // The calls already waiting would each hold their caller until the timeout, for an answer
      // that is not coming: they end now, as timeouts (a write among them is in doubt, as after any).
      for (const attempt of this.waiting) attempt.controller.abort(new Error('the downstream stopped answering'));
    });
  }

  private isStalled(): boolean {
    if (!this.breaker.closed || this.waiting.size < this.stalledCalls) return false;
    const now = Date.now();
    if (now - this.lastAnswerAt < this.stalledAfterMs) return false;
    let stalled = 0;
    for (const attempt of this.waiting) if (now - attempt.startedAt >= this.stalledAfterMs) stalled++;
    return stalled >= this.stalledCalls;
  }

  private async read<R extends ResponseSchemas>(
    call: DownstreamCall<R>,
    response: Dispatcher.ResponseData,
    context: AttemptContext,
  ): Promise<DownstreamResponse<R>> {
    const { statusCode: status, headers } = response;
    if (status === 429 || status >= 500) {
      // Its code may say why (e.g. a batch window, not an outage): read like a 4xx's, leniently.
      const problem = PROBLEM_MEDIA_TYPE.test(contentType(headers)) ? asProblem(await this.readText(response, context)) : undefined;
      throw new DownstreamUnavailable(this.name, {
        reason: 'status',
        status,
        breakerState: this.breakerState(),
        retryAfterMs: parseRetryAfterMs(headers['retry-after']),
        problem,
      });
    }
    if (status >= 400) {
      const problem = PROBLEM_MEDIA_TYPE.test(contentType(headers)) ? asProblem(await this.readText(response, context)) : undefined;
      throw new DownstreamRejected(this.name, status, problem);
    }
    const responses: ResponseSchemas = call.responses;
    const schema = status >= 200 && status < 300 ? responses[status as SuccessStatus] : undefined;
    if (!schema) throw this.violation(status, `status ${status} is not declared`);

    const text = await this.readText(response, context);
    const body = this.parseJson(status, headers, text);
    const issues = this.validator.issues(schema, body);
    if (issues.length > 0) throw this.violation(status, 'body does not match the schema', issues);
    return { status, body, headers } as DownstreamResponse<R>;
  }

  private async readText(response: Dispatcher.ResponseData, context: AttemptContext): Promise<string> {
    try {
      return await response.body.text();
    } catch (error) {
      throw this.transportError(error, context);
    }
  }

  private parseJson(status: number, headers: IncomingHttpHeaders, text: string): unknown {
    if (text.length === 0) return null;
    if (!JSON_MEDIA_TYPE.test(contentType(headers))) throw this.violation(status, 'body is not JSON');
    try {
      return JSON.parse(text);
    } catch {
      // No cause: V8's SyntaxError quotes part of the body, which may hold PII.
      throw this.violation(status, 'body is not valid JSON');
    }
  }

  /** Turns what undici throws into our typed errors; anything else (our own bug) passes unchanged. */
  private transportError(error: unknown, context: AttemptContext): unknown {
    const code = (error as { code?: unknown } | null)?.code;
    if (context.signal.aborted || (typeof code === 'string' && UNDICI_TIMEOUT_CODES.has(code))) {
      return new DownstreamTimeout(this.name, {
        timeoutMs: context.timeoutMs,
        breakerState: this.breakerState(),
        cause: error,
        callerBudget: context.callerBudget,
      });
    }
    if (code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE') return this.violation(undefined, 'answer is larger than maxResponseBytes');
    // Invalid headers or options: a bug on our side, not the downstream's health.
    if (code === 'UND_ERR_INVALID_ARG') return error;
    return new DownstreamUnavailable(this.name, {
      reason: 'connection',
      breakerState: this.breakerState(),
      cause: error,
    });
  }

  private violation(status: number | undefined, what: string, issues: ContractIssue[] = []): DownstreamContractViolation {
    return new DownstreamContractViolation(this.name, status, what, issues);
  }

  private countFailure(error: unknown): void {
    if (error instanceof DownstreamTimeout) this.count.timeouts++;
    else if (error instanceof DownstreamUnavailable) this.count.failures++;
    else if (error instanceof DownstreamRejected) this.count.rejections++;
    else if (error instanceof DownstreamContractViolation) this.count.contractViolations++;
  }

  private pathFor(path: string, query: Query | undefined): string {
    if (!path.startsWith('/')) throw new TypeError(`${this.name}: path must start with "/"`);
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value === undefined) continue;
      const values: readonly QueryValue[] = Array.isArray(value) ? value : [value as QueryValue];
      for (const item of values) params.append(key, String(item));
    }
    const search = params.toString();
    if (!search) return `${this.basePath}${path}`;
    return `${this.basePath}${path}${path.includes('?') ? '&' : '?'}${search}`;
  }

  private headersFor(call: DownstreamCall<ResponseSchemas>): Record<string, string> {
    const headers: Record<string, string> = {
      ...call.headers,
      accept: 'application/json, application/problem+json',
      [REQUEST_ID_HEADER]: call.requestId,
      [SERVICE_CREDENTIAL_HEADER]: this.credential,
    };
    if (call.body !== undefined) headers['content-type'] = 'application/json';
    if (call.idempotencyKey !== undefined) headers[IDEMPOTENCY_KEY_HEADER] = call.idempotencyKey;
    return headers;
  }
}

/**
 * Builds a path with every interpolated value percent-encoded, so an id can never add a segment:
 * urlPath`/v1/accounts/${id}`.
 */
export function urlPath(strings: TemplateStringsArray, ...values: ReadonlyArray<string | number>): string {
  return strings.reduce((path, literal, index) => path + literal + (index < values.length ? encodeURIComponent(String(values[index])) : ''), '');
}

/** Statuses with which a service of ours says it cannot serve anyone right now. */
const OUTAGE_STATUSES = new Set([429, 502, 503, 504]);

/**
 * What the breaker counts: no answer (connection failure, timeout) or an answer that says the
 * downstream as a whole is unavailable (503 — our services answer it when their database is
 * down or they are shutting down — 502, 504, 429). A 500 says this one request failed.
 */
export function signalsOutage(error: unknown): boolean {
  if (!(error instanceof DownstreamUnavailable)) return false;
  if (error instanceof DownstreamTimeout) return !error.callerBudget;
  if (error.reason !== 'status') return true;
  return error.status !== undefined && OUTAGE_STATUSES.has(error.status);
}

/** Worth another attempt: the downstream was unavailable, and the breaker did not refuse the call. */
function isTransient(error: unknown): error is DownstreamUnavailable {
  if (error instanceof DownstreamTimeout && error.callerBudget) return false;
  return error instanceof DownstreamUnavailable && error.reason !== 'circuit-open' && error.reason !== 'client-closed';
}

function contentType(headers: IncomingHttpHeaders): string {
  return headers['content-type'] ?? '';
}

/** A problem body is read leniently: a downstream's broken problem still leaves a status to act on. */
function asProblem(text: string): DownstreamProblem | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as DownstreamProblem) : undefined;
  } catch {
    return undefined;
  }
}

function requirePositiveInteger(name: string, option: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) throw new TypeError(`${name}: ${option} must be a positive integer`);
}

/**
 * Base of the typed clients in `libs/clients/*`: owns one `ServiceClientCore`, reports its breaker
 * to health and metrics, closes it. Subclasses add one method per operation of their API.
 */
export abstract class TypedServiceClient implements DownstreamHealth {
  protected readonly core: ServiceClientCore;

  constructor(
    readonly name: string,
    options: Omit<ServiceClientCoreOptions, 'name'>,
  ) {
    this.core = new ServiceClientCore({ ...options, name });
  }

  breakerState(): BreakerState {
    return this.core.breakerState();
  }

  /** Stops the breaker and closes the connection pool. */
  close(): Promise<void> {
    return this.core.close();
  }
}
