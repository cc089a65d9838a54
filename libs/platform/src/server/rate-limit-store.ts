import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';

/** What a quota says about one request: let through or not, and what is left. */
export interface RateLimitDecision {
  allowed: boolean;
  /** Requests that could still be made at once, after this one. */
  remaining: number;
  /** How long until a refused request would be let through (0 when allowed). */
  retryInMs: number;
  /** How long until the whole quota is available again. */
  resetInMs: number;
}

/**
 * Quotas of `limit` requests per `windowMs`, by key, as a generic cell rate algorithm (a token
 * bucket kept as one timestamp, the "theoretical arrival time"): a client with its quota unused
 * may send `limit` requests at once, and one that keeps asking is let through one request every
 * `windowMs / limit`, evenly. A fixed window would let a flooder back in with a whole burst at
 * every window boundary, and everyone else's requests would queue behind it there. Refused
 * requests spend nothing. In memory each process counts alone; in Redis every replica (and every
 * service using the same key prefix) counts against the same quota.
 */
export interface RateLimitStore {
  take(key: string, limit: number, windowMs: number): Promise<RateLimitDecision>;
  close(): Promise<void>;
}

/** Float arithmetic on intervals such as 1000 / 3 must not refuse the last request of a burst. */
const EPSILON_MS = 1e-6;

/**
 * One step of the algorithm: the decision, and the arrival time to store when allowed. `tat` is
 * the stored arrival time (absent: a client with its whole quota); the Redis script is this, in Lua.
 */
function decide(tat: number | undefined, now: number, limit: number, windowMs: number): RateLimitDecision & { tat: number } {
  const interval = windowMs / limit;
  const from = Math.max(tat ?? now, now);
  const next = from + interval;
  const allowAt = next - windowMs;
  if (allowAt - now > EPSILON_MS) {
    return { allowed: false, remaining: 0, retryInMs: Math.ceil(allowAt - now), resetInMs: Math.ceil(from - now), tat: from };
  }
  return { allowed: true, remaining: Math.floor((now - allowAt) / interval + EPSILON_MS), retryInMs: 0, resetInMs: Math.ceil(next - now), tat: next };
}

/**
 * Quotas in this process. Bounded: when more keys are live than `maxKeys` (a flood from very many
 * addresses), the least recently admitted are forgotten — those clients get their whole quota back.
 */
export class MemoryRateLimitStore implements RateLimitStore {
  // Re-inserted on every admission, so the front holds the longest unused keys: the first to
  // have refilled, and the first to go when the map is full.
  private readonly arrivals = new Map<string, number>();

  constructor(
    private readonly maxKeys = 100_000,
    private readonly now: () => number = Date.now,
  ) {}

  async take(key: string, limit: number, windowMs: number): Promise<RateLimitDecision> {
    const now = this.now();
    this.dropRefilled(now);
    const { tat, ...decision } = decide(this.arrivals.get(key), now, limit, windowMs);
    if (decision.allowed) {
      this.arrivals.delete(key);
      this.arrivals.set(key, tat);
      if (this.arrivals.size > this.maxKeys) this.arrivals.delete(this.arrivals.keys().next().value as string);
    }
    return decision;
  }

  async close(): Promise<void> {
    this.arrivals.clear();
  }

  /** A key whose arrival time has passed holds its whole quota, as an absent one does. */
  private dropRefilled(now: number): void {
    for (const [key, tat] of this.arrivals) {
      if (tat > now) return;
      this.arrivals.delete(key);
    }
  }
}

/**
 * `decide` in Redis, atomically, on Redis' clock so that replicas whose clocks differ share one
 * quota. The key holds the arrival time and expires when the quota has refilled.
 */
const TAKE_SCRIPT = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local interval = window / limit
local from = tonumber(redis.call('GET', KEYS[1]) or '') or now
if from < now then from = now end
local nextAt = from + interval
local allowAt = nextAt - window
if allowAt - now > 1e-6 then
  return { 0, 0, math.ceil(allowAt - now), math.ceil(from - now) }
end
redis.call('SET', KEYS[1], string.format('%.3f', nextAt), 'PX', math.ceil(nextAt - now))
return { 1, math.floor((now - allowAt) / interval + 1e-6), 0, math.ceil(nextAt - now) }
`;

type RedisWithTake = Redis & {
  rateLimitTake(key: string, limit: number, windowMs: number): Promise<[number, number, number, number]>;
};

/** How long a rate-limit check may wait for Redis before this process counts alone. */
const REDIS_COMMAND_TIMEOUT_MS = 250;

/**
 * Quotas shared through Redis. Built to never hold a request up: commands are not queued
 * while disconnected and time out quickly; the caller decides what to do when a check fails.
 */
export class RedisRateLimitStore implements RateLimitStore {
  /**
   * `connectionName` shows in Redis' CLIENT LIST, so operators see who holds a connection.
   * ioredis is loaded here, not with this module: a service without REDIS_URL (every System and
   * Process API, and an Experience API on its embedded default) never holds it in memory.
   */
  static async create(url: string, log: FastifyBaseLogger, connectionName = 'rate-limit'): Promise<RedisRateLimitStore> {
    const { Redis } = await import('ioredis');
    const redis = new Redis(url, {
      connectionName,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
      connectTimeout: 2_000,
      // ioredis arms this timer on disconnect even for a socket that is already gone; keep shutdown short.
      disconnectTimeout: REDIS_COMMAND_TIMEOUT_MS,
      retryStrategy: (attempt) => Math.min(attempt * 250, 5_000),
    }) as RedisWithTake;
    redis.defineCommand('rateLimitTake', {
      numberOfKeys: 1,
      lua: TAKE_SCRIPT,
    });
    // ioredis reports every failed reconnect attempt; FallbackRateLimitStore warns once per outage.
    // Never log the URL: it may hold a password.
    redis.on('error', (error: Error & { code?: string }) => log.debug({ reason: error.code ?? error.message }, 'rate-limit store (Redis) error'));
    return new RedisRateLimitStore(redis);
  }

  private constructor(private readonly redis: RedisWithTake) {}

  /** Waits (at most `timeoutMs`) for the first connection, so a healthy Redis is used from the first request. */
  async connected(timeoutMs = 2_000): Promise<boolean> {
    if (this.redis.status === 'ready') return true;
    return new Promise((resolve) => {
      const finish = (ready: boolean) => {
        clearTimeout(timer);
        this.redis.off('ready', onReady);
        this.redis.off('error', onError);
        resolve(ready);
      };
      const onReady = () => finish(true);
      const onError = () => finish(false);
      const timer = setTimeout(() => finish(false), timeoutMs);
      this.redis.once('ready', onReady);
      this.redis.once('error', onError);
    });
  }

  async take(key: string, limit: number, windowMs: number): Promise<RateLimitDecision> {
    const [allowed, remaining, retryInMs, resetInMs] = await this.redis.rateLimitTake(key, limit, windowMs);
    return { allowed: allowed === 1, remaining, retryInMs, resetInMs };
  }

  async close(): Promise<void> {
    if (this.redis.status === 'ready') {
      await this.redis.quit().catch(() => this.redis.disconnect());
    } else {
      this.redis.disconnect();
    }
  }
}

/**
 * Redis while it answers, this process's memory while it does not: an outage of the shared store
 * weakens the limits (each replica counts alone) instead of lifting them or failing requests.
 * Warns once when the shared store stops answering and says when it is back.
 */
export class FallbackRateLimitStore implements RateLimitStore {
  private failing = false;

  constructor(
    private readonly shared: RateLimitStore,
    private readonly log: FastifyBaseLogger,
    private readonly local: RateLimitStore = new MemoryRateLimitStore(),
  ) {}

  async take(key: string, limit: number, windowMs: number): Promise<RateLimitDecision> {
    try {
      const decision = await this.shared.take(key, limit, windowMs);
      if (this.failing) {
        this.failing = false;
        this.log.info('rate-limit store (Redis) answers again: quotas are shared again');
      }
      return decision;
    } catch (error) {
      this.sharedUnavailable(error);
      return this.local.take(key, limit, windowMs);
    }
  }

  /** Records that the shared store does not answer (at most one warning per outage). */
  sharedUnavailable(error: unknown): void {
    if (this.failing) return;
    this.failing = true;
    const reason = (error as { code?: string } | undefined)?.code ?? (error instanceof Error ? error.message : String(error));
    this.log.warn({ reason }, 'rate-limit store (Redis) unavailable: each process counts alone until it answers');
  }

  async close(): Promise<void> {
    await Promise.all([this.shared.close(), this.local.close()]);
  }
}
