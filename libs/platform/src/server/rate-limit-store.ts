import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';

/** One request counted against a fixed window: how many so far, and when the window ends. */
export interface RateLimitHit {
  count: number;
  resetInMs: number;
}

/**
 * Fixed-window request counters, by key. In memory each process counts alone; in Redis every
 * replica (and every service using the same key prefix) counts against the same quota.
 */
export interface RateLimitStore {
  hit(key: string, windowMs: number): Promise<RateLimitHit>;
  close(): Promise<void>;
}

/**
 * Counters in this process. Bounded: when more keys are live than `maxKeys` (a flood from very
 * many addresses), the oldest windows are forgotten — those clients start a fresh window.
 */
export class MemoryRateLimitStore implements RateLimitStore {
  // Insertion order is window-start order (a key is re-inserted when its window restarts), so
  // expired windows are always at the front and the oldest is the first to go.
  private readonly windows = new Map<string, { count: number; resetAt: number }>();

  constructor(
    private readonly maxKeys = 100_000,
    private readonly now: () => number = Date.now,
  ) {}

  async hit(key: string, windowMs: number): Promise<RateLimitHit> {
    const now = this.now();
    this.dropExpired(now);
    let window = this.windows.get(key);
    if (!window || window.resetAt <= now) {
      this.windows.delete(key);
      window = { count: 0, resetAt: now + windowMs };
      this.windows.set(key, window);
      if (this.windows.size > this.maxKeys) this.windows.delete(this.windows.keys().next().value as string);
    }
    window.count += 1;
    return { count: window.count, resetInMs: window.resetAt - now };
  }

  async close(): Promise<void> {
    this.windows.clear();
  }

  private dropExpired(now: number): void {
    for (const [key, window] of this.windows) {
      if (window.resetAt > now) return;
      this.windows.delete(key);
    }
  }
}

/** INCR and start the window on the first hit, atomically; PTTL is what the client waits. */
const HIT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return { count, ttl }
`;

type RedisWithHit = Redis & {
  rateLimitHit(key: string, windowMs: number): Promise<[number, number]>;
};

/** How long a rate-limit check may wait for Redis before this process counts alone. */
const REDIS_COMMAND_TIMEOUT_MS = 250;

/**
 * Counters shared through Redis. Built to never hold a request up: commands are not queued
 * while disconnected and time out quickly; the caller decides what to do when a hit fails.
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
    }) as RedisWithHit;
    redis.defineCommand('rateLimitHit', {
      numberOfKeys: 1,
      lua: HIT_SCRIPT,
    });
    // ioredis reports every failed reconnect attempt; FallbackRateLimitStore warns once per outage.
    // Never log the URL: it may hold a password.
    redis.on('error', (error: Error & { code?: string }) => log.debug({ reason: error.code ?? error.message }, 'rate-limit store (Redis) error'));
    return new RedisRateLimitStore(redis);
  }

  private constructor(private readonly redis: RedisWithHit) {}

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

  async hit(key: string, windowMs: number): Promise<RateLimitHit> {
    const [count, resetInMs] = await this.redis.rateLimitHit(key, windowMs);
    return { count, resetInMs };
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

  async hit(key: string, windowMs: number): Promise<RateLimitHit> {
    try {
      const hit = await this.shared.hit(key, windowMs);
      if (this.failing) {
        this.failing = false;
        this.log.info('rate-limit store (Redis) answers again: quotas are shared again');
      }
      return hit;
    } catch (error) {
      this.sharedUnavailable(error);
      return this.local.hit(key, windowMs);
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
