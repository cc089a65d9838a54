/**
 * Who is waiting for which onboarding to change, and the one PostgreSQL session that tells them.
 * Every change of an onboarding or of one of its steps is announced on the `onboarding_changed`
 * channel by a trigger (migration 004), whichever replica made it, when its transaction commits.
 * One LISTEN connection per replica, outside the pool; while it is down (the database restarted)
 * nobody is made to wait — a read answers at once, as it did before long polls — and it is
 * reopened with capped backoff.
 */
import pg from 'pg';
import type { FastifyBaseLogger } from 'fastify';

export const ONBOARDING_CHANGED_CHANNEL = 'onboarding_changed';

/** At most this many reads wait at once per replica; more answer at once (memory stays bounded). */
const MAX_WAITERS = 10_000;
const RECONNECT_BACKOFF_MS = { first: 500, max: 10_000 };

export interface ChangeSubscription {
  /** Resolves true when the onboarding changed since `subscribe`, false after `ms` or when nobody can tell. */
  changed(ms: number): Promise<boolean>;
  /** Stops waiting (always call it: `finally`). */
  end(): void;
}

export class OnboardingChanges {
  private client: pg.Client | undefined;
  private listening = false;
  private closed = false;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private attempt = 0;
  private waiterCount = 0;
  /** Per onboarding id, what to call when it changes. */
  private readonly waiters = new Map<string, Set<() => void>>();

  constructor(private readonly options: { connection: pg.ClientConfig; log: FastifyBaseLogger }) {}

  /** Opens the LISTEN session (resolves once it listens or has failed; failures are retried in the background). */
  async start(): Promise<void> {
    await this.connect();
  }

  /**
   * Starts watching one onboarding — before reading it, so that a change committed between the
   * read and the wait is not missed.
   */
  subscribe(onboardingId: string): ChangeSubscription {
    let fired = false;
    let wake: (() => void) | undefined;
    const listener = () => {
      fired = true;
      wake?.();
    };
    const set = this.waiters.get(onboardingId) ?? new Set<() => void>();
    const admitted = this.listening && this.waiterCount < MAX_WAITERS;
    if (admitted) {
      set.add(listener);
      this.waiters.set(onboardingId, set);
      this.waiterCount += 1;
    }
    let ended = false;
    const end = () => {
      if (ended || !admitted) return;
      ended = true;
      set.delete(listener);
      if (set.size === 0 && this.waiters.get(onboardingId) === set) this.waiters.delete(onboardingId);
      this.waiterCount -= 1;
    };
    return {
      changed: (ms) => {
        if (fired) return Promise.resolve(true);
        if (!admitted || !this.listening || ms <= 0) return Promise.resolve(false);
        return new Promise<boolean>((resolve) => {
          const timer = setTimeout(() => resolve(fired), ms);
          wake = () => {
            clearTimeout(timer);
            resolve(fired);
          };
        });
      },
      end,
    };
  }

  /** Stops listening; whoever waits is answered now. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    this.releaseAll();
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private notify(onboardingId: string): void {
    const set = this.waiters.get(onboardingId);
    if (!set) return;
    for (const listener of [...set]) listener();
  }

  /** The session is gone: nobody can be told of changes any more, so every waiter answers now. */
  private releaseAll(): void {
    for (const set of this.waiters.values()) for (const listener of [...set]) listener();
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client({ ...this.options.connection, keepAlive: true, application_name: 'onboarding-changes' });
    this.client = client;
    const lost = (reason: string, error?: unknown) => {
      if (this.client !== client) return;
      this.client = undefined;
      const wasListening = this.listening;
      this.listening = false;
      this.releaseAll();
      client.end().catch(() => undefined);
      if (this.closed) return;
      if (wasListening)
        this.options.log.warn(
          { err: error, reason },
          'the onboarding change feed lost its PostgreSQL session; reads answer at once until it is back',
        );
      this.scheduleReconnect();
    };
    client.on('error', (error) => lost('error', error));
    client.on('end', () => lost('end'));
    client.on('notification', (message) => {
      if (message.channel === ONBOARDING_CHANGED_CHANNEL && message.payload) this.notify(message.payload);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${ONBOARDING_CHANGED_CHANNEL}`);
      if (this.client !== client) return;
      this.listening = true;
      this.attempt = 0;
    } catch (error) {
      lost('connect', error);
    }
  }

  private scheduleReconnect(): void {
    this.attempt += 1;
    const ms = Math.min(RECONNECT_BACKOFF_MS.max, RECONNECT_BACKOFF_MS.first * 2 ** (this.attempt - 1));
    this.reconnectTimer = setTimeout(() => void this.connect(), ms);
    this.reconnectTimer.unref();
  }
}
