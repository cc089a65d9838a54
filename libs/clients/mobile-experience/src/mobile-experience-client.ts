import type {
  AccountDetail,
  Billing,
  ConfirmDepositsRequest,
  Home,
  NewAccountForm,
  NextStep,
  OnboardingForm,
  ProductCatalogue,
} from '@bartholomew/contracts-mobile-experience';
import type { Problem } from '@bartholomew/contracts-shared';
import { MobileApiError, MobileNetworkError } from './errors';

/** The fetch the app's platform provides (React Native's global, or a test's). */
export type Fetch = (input: string, init: RequestInit) => Promise<Response>;

export interface MobileExperienceClientOptions {
  /** Root of the mobile Experience API, e.g. `https://mobile-api.bartholomew.capital`. */
  baseUrl: string;
  /**
   * The signed-in user's access token, asked for before every call, so the app's auth SDK can
   * refresh it as needed. Sent as `Authorization: Bearer …`, never in a URL.
   */
  getToken: () => string | Promise<string>;
  /** Default: the global `fetch`. */
  fetch?: Fetch;
  /** Give up on a call after this long. Default 15 s (slow mobile networks). */
  timeoutMs?: number;
}

export interface PageOptions {
  cursor?: string;
  limit?: number;
}

/** How long `followNextStep` asks the API to hold an unchanged screen, by default and at most. */
const DEFAULT_WAIT_SECONDS = 10;
const MAX_WAIT_SECONDS = 60;
/** A held read may take its wait plus the answer's own time: the call's timeout leaves room for both. */
const WAIT_MARGIN_MS = 5_000;

interface CachedRead {
  etag: string;
  body: unknown;
}

/**
 * The mobile Experience API for the React Native app: one method per screen action, typed from
 * the API's contract. Built on the platform's `fetch` only. Reads are revalidated with the last
 * `ETag` (`If-None-Match`), so an unchanged screen costs a 304 and no body. Problems arrive as
 * `MobileApiError` (with `code`), no answer as `MobileNetworkError`.
 */
export class MobileExperienceClient {
  private readonly baseUrl: string;
  private readonly fetch: Fetch;
  private readonly timeoutMs: number;
  private readonly reads = new Map<string, CachedRead>();

  constructor(private readonly options: MobileExperienceClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    const platformFetch = options.fetch ?? (globalThis.fetch as Fetch | undefined);
    if (!platformFetch) throw new TypeError('No fetch available: pass one in the options');
    this.fetch = platformFetch;
    this.timeoutMs = options.timeoutMs ?? 15_000;
  }

  /**
   * What the forms may offer: the `account` values, the `plan`s of each and the `initialDepositCents`
   * bounds. The same for everyone; revalidated like every read (304 while unchanged).
   */
  listProducts(): Promise<ProductCatalogue> {
    return this.read('/v1/products');
  }

  /**
   * Submits the sign-up form. Reuse the same `idempotencyKey` when resubmitting after a failure.
   * Every "what next" answer comes from `/v2`: the same JSON as `/v1`, typed as a union on `next`,
   * so `switch (answer.next)` gives each screen exactly its fields.
   */
  startOnboarding(form: OnboardingForm, options: { idempotencyKey: string }): Promise<NextStep> {
    return this.send('POST', '/v2/onboardings', { body: form, headers: { 'idempotency-key': options.idempotencyKey } });
  }

  /** Another account for a signed-in customer: only what is new. Then poll `getNextStep` as after sign-up. */
  openAccount(form: NewAccountForm, options: { idempotencyKey: string }): Promise<NextStep> {
    return this.send('POST', '/v2/accounts', { body: form, headers: { 'idempotency-key': options.idempotencyKey } });
  }

  /** Where the application stands: the next screen to show. */
  getNextStep(onboardingId: string): Promise<NextStep> {
    return this.read(`/v2/onboardings/${encodeURIComponent(onboardingId)}`);
  }

  /**
   * Where the application stands once it has moved on: the API holds the answer (RFC 7240
   * `Prefer: wait`, at most `waitSeconds`, 10 by default) until the screen differs from the one
   * this client last read, then answers at once — each step is seen as it happens, with one
   * request in flight instead of a poll every `pollAfterSeconds`. When nothing changed in time, the
   * screen held is answered again. The first call after `startOnboarding` answers at once.
   */
  followNextStep(onboardingId: string, options: { waitSeconds?: number } = {}): Promise<NextStep> {
    const waitSeconds = Math.max(1, Math.min(Math.floor(options.waitSeconds ?? DEFAULT_WAIT_SECONDS), MAX_WAIT_SECONDS));
    return this.read(`/v2/onboardings/${encodeURIComponent(onboardingId)}`, {
      headers: { prefer: `wait=${waitSeconds}` },
      timeoutMs: Math.max(this.timeoutMs, waitSeconds * 1000 + WAIT_MARGIN_MS),
    });
  }

  confirmDeposits(onboardingId: string, amounts: ConfirmDepositsRequest['amounts']): Promise<NextStep> {
    const body: ConfirmDepositsRequest = { amounts };
    return this.send('POST', `/v2/onboardings/${encodeURIComponent(onboardingId)}/deposits`, { body });
  }

  getHome(): Promise<Home> {
    return this.read('/v1/home');
  }

  getAccount(accountId: string, page: PageOptions = {}): Promise<AccountDetail> {
    return this.read(`/v1/accounts/${encodeURIComponent(accountId)}${queryString({ cursor: page.cursor, limit: page.limit })}`);
  }

  getBilling(): Promise<Billing> {
    return this.read('/v1/billing');
  }

  /** Forgets every cached read, e.g. when the user signs out. */
  clearCache(): void {
    this.reads.clear();
  }

  private async read<T>(path: string, options: { headers?: Record<string, string>; timeoutMs?: number } = {}): Promise<T> {
    const cached = this.reads.get(path);
    const response = await this.request('GET', path, {
      headers: { ...options.headers, ...(cached ? { 'if-none-match': cached.etag } : {}) },
      timeoutMs: options.timeoutMs,
    });
    if (response.status === 304 && cached) return cached.body as T;
    const body = await this.answer<T>(response);
    const etag = response.headers.get('etag');
    if (etag) this.reads.set(path, { etag, body });
    return body;
  }

  private async send<T>(method: 'POST', path: string, init: { body: unknown; headers?: Record<string, string> }): Promise<T> {
    const response = await this.request(method, path, {
      body: JSON.stringify(init.body),
      headers: { 'content-type': 'application/json', ...init.headers },
    });
    return this.answer<T>(response);
  }

  private async request(
    method: string,
    path: string,
    init: { body?: string; headers: Record<string, string>; timeoutMs?: number },
  ): Promise<Response> {
    const token = await this.options.getToken();
    const timeoutMs = init.timeoutMs ?? this.timeoutMs;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      return await this.fetch(`${this.baseUrl}${path}`, {
        method,
        headers: { accept: 'application/json', authorization: `Bearer ${token}`, ...init.headers },
        body: init.body,
        signal: controller.signal,
      });
    } catch (error) {
      const timedOut = controller.signal.aborted;
      throw new MobileNetworkError(timedOut ? `No answer within ${timeoutMs} ms` : 'The API could not be reached', { cause: error, timedOut });
    } finally {
      clearTimeout(timer);
    }
  }

  private async answer<T>(response: Response): Promise<T> {
    const type = response.headers.get('content-type') ?? '';
    let body: unknown;
    try {
      body = await response.json();
    } catch (error) {
      throw new MobileNetworkError(`Answer ${response.status} is not JSON`, { cause: error });
    }
    if (response.ok) return body as T;
    if (!/^application\/problem\+json/i.test(type) || !isProblem(body)) {
      throw new MobileNetworkError(`Answer ${response.status} is not a problem document`);
    }
    throw new MobileApiError(body, retryAfterSeconds(response.headers.get('retry-after')), response.headers.get('x-request-id') ?? undefined);
  }
}

function isProblem(value: unknown): value is Problem & Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return typeof candidate.status === 'number' && typeof candidate.code === 'string' && typeof candidate.title === 'string';
}

/** `Retry-After` in seconds: delta-seconds or an HTTP date. */
function retryAfterSeconds(header: string | null): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

function queryString(values: Record<string, string | number | undefined>): string {
  const parts = Object.entries(values)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`);
  return parts.length > 0 ? `?${parts.join('&')}` : '';
}
