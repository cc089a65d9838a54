import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { Redis } from 'ioredis';
import pino from 'pino';
import { captureLogs } from '@bartholomew/testing';
import { FallbackRateLimitStore, MemoryRateLimitStore, RedisRateLimitStore } from './rate-limit-store';

const REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

describe('MemoryRateLimitStore', () => {
  let now: number;
  const clock = () => now;
  beforeEach(() => {
    now = 1_000;
  });

  it('lets a client with its quota unused send the whole quota at once, then refuses without spending', async () => {
    const store = new MemoryRateLimitStore(100, clock);
    const first = await store.take('a', 3, 60_000);
    expect(first).toEqual({ allowed: true, remaining: 2, retryInMs: 0, resetInMs: 20_000 });
    expect(await store.take('a', 3, 60_000)).toEqual({ allowed: true, remaining: 1, retryInMs: 0, resetInMs: 40_000 });
    expect(await store.take('a', 3, 60_000)).toEqual({ allowed: true, remaining: 0, retryInMs: 0, resetInMs: 60_000 });
    // A refusal says when the next request would go through, and spends nothing: asking again
    // and again does not push that moment back.
    for (let i = 0; i < 5; i += 1) {
      expect(await store.take('a', 3, 60_000)).toEqual({ allowed: false, remaining: 0, retryInMs: 20_000, resetInMs: 60_000 });
    }
    expect((await store.take('b', 3, 60_000)).remaining).toBe(2);
  });

  it('lets a client that keeps asking through one request every window / limit, evenly, never in a burst', async () => {
    const store = new MemoryRateLimitStore(100, clock);
    for (let i = 0; i < 10; i += 1) await store.take('a', 10, 1_000);
    const admitted: number[] = [];
    // Someone asking every millisecond for two seconds: a fixed window would let ten through at
    // once at each window's start; here they come one every 100 ms.
    for (let step = 0; step < 2_000; step += 1) {
      now += 1;
      if ((await store.take('a', 10, 1_000)).allowed) admitted.push(now);
    }
    expect(admitted).toHaveLength(20);
    const gaps = admitted.slice(1).map((at, i) => at - admitted[i]);
    expect(new Set(gaps)).toEqual(new Set([100]));
  });

  it('refills with time: a quiet client gets its whole quota back, a little quiet a little of it', async () => {
    const store = new MemoryRateLimitStore(100, clock);
    for (let i = 0; i < 4; i += 1) await store.take('a', 4, 60_000);
    now += 30_000;
    expect(await store.take('a', 4, 60_000)).toMatchObject({ allowed: true, remaining: 1 });
    now += 60_000;
    expect(await store.take('a', 4, 60_000)).toMatchObject({ allowed: true, remaining: 3 });
  });

  it('does not refuse the last request of a burst over float arithmetic (1000 ms / 3)', async () => {
    const store = new MemoryRateLimitStore(100, clock);
    const decisions = [];
    for (let i = 0; i < 4; i += 1) decisions.push(await store.take('a', 3, 1_000));
    expect(decisions.map((decision) => [decision.allowed, decision.remaining])).toEqual([
      [true, 2],
      [true, 1],
      [true, 0],
      [false, 0],
    ]);
  });

  it('keeps at most maxKeys quotas, forgetting the least recently used first', async () => {
    const store = new MemoryRateLimitStore(2, clock);
    await store.take('a', 5, 60_000);
    await store.take('a', 5, 60_000);
    await store.take('b', 5, 60_000);
    await store.take('c', 5, 60_000); // a is forgotten
    expect((await store.take('a', 5, 60_000)).remaining).toBe(4);
    expect((await store.take('c', 5, 60_000)).remaining).toBe(3);
  });
});

/** A shared store that fails while `down` is set. */
class FlakyStore extends MemoryRateLimitStore {
  down = false;

  override async take(key: string, limit: number, windowMs: number) {
    if (this.down)
      throw Object.assign(new Error('Connection is closed.'), {
        code: 'ECONNREFUSED',
      });
    return super.take(key, limit, windowMs);
  }
}

describe('FallbackRateLimitStore', () => {
  it('counts in the shared store while it answers, in memory while it does not, warning once per outage', async () => {
    const logs = captureLogs();
    const shared = new FlakyStore();
    const store = new FallbackRateLimitStore(shared, pino({ level: 'info' }, logs.stream));
    expect((await store.take('k', 10, 60_000)).remaining).toBe(9);
    shared.down = true;
    expect((await store.take('k', 10, 60_000)).remaining).toBe(9); // memory keeps a quota of its own
    expect((await store.take('k', 10, 60_000)).remaining).toBe(8);
    shared.down = false;
    expect((await store.take('k', 10, 60_000)).remaining).toBe(8);
    shared.down = true;
    await store.take('k', 10, 60_000);
    const said = logs.records().map((record) => [record['level'], record['msg']]);
    expect(said).toEqual([
      [40, expect.stringMatching(/unavailable/)],
      [30, expect.stringMatching(/answers again/)],
      [40, expect.stringMatching(/unavailable/)],
    ]);
    expect(logs.records()[0]).toMatchObject({ reason: 'ECONNREFUSED' });
  });
});

describe('RedisRateLimitStore', () => {
  const prefix = `test:${randomUUID()}:`;
  let redis: Redis;
  let store: RedisRateLimitStore;
  beforeAll(async () => {
    redis = new Redis(REDIS_URL);
    store = await RedisRateLimitStore.create(REDIS_URL, pino({ level: 'silent' }));
    expect(await store.connected()).toBe(true);
  });
  afterAll(async () => {
    await store.close();
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it('keeps a quota in one Redis key that expires when the quota has refilled', async () => {
    expect(await store.take(`${prefix}a`, 2, 60_000)).toEqual({ allowed: true, remaining: 1, retryInMs: 0, resetInMs: 30_000 });
    expect(await store.take(`${prefix}a`, 2, 60_000)).toMatchObject({ allowed: true, remaining: 0 });
    const refused = await store.take(`${prefix}a`, 2, 60_000);
    expect(refused).toMatchObject({ allowed: false, remaining: 0 });
    expect(refused.retryInMs).toBeGreaterThan(29_000);
    expect(refused.retryInMs).toBeLessThanOrEqual(30_000);
    const ttl = await redis.pttl(`${prefix}a`);
    expect(ttl).toBeGreaterThan(59_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it("refills one request every window / limit, not a whole window at once, on Redis' clock", async () => {
    const key = `${prefix}paced`;
    const burst = [];
    for (let i = 0; i < 6; i += 1) burst.push(await store.take(key, 5, 500));
    expect(burst.map((decision) => decision.allowed)).toEqual([true, true, true, true, true, false]);
    const { retryInMs } = burst[5];
    expect(retryInMs).toBeGreaterThan(0);
    expect(retryInMs).toBeLessThanOrEqual(100);
    await delay(retryInMs + 5);
    expect((await store.take(key, 5, 500)).allowed).toBe(true);
    expect((await store.take(key, 5, 500)).allowed).toBe(false);
  });

  it('shares the quota with every other client of the same Redis', async () => {
    const other = await RedisRateLimitStore.create(REDIS_URL, pino({ level: 'silent' }));
    try {
      expect(await other.connected()).toBe(true);
      await store.take(`${prefix}b`, 5, 60_000);
      expect((await other.take(`${prefix}b`, 5, 60_000)).remaining).toBe(3);
    } finally {
      await other.close();
    }
  });

  it('treats a key it cannot read (left by an older release) as an unused quota', async () => {
    await redis.set(`${prefix}old`, 'not a time');
    expect(await store.take(`${prefix}old`, 5, 60_000)).toMatchObject({ allowed: true, remaining: 4 });
  });

  it('fails a check at once, instead of queueing it, while Redis cannot be reached', async () => {
    const unreachable = await RedisRateLimitStore.create('redis://127.0.0.1:1', pino({ level: 'silent' }));
    try {
      expect(await unreachable.connected()).toBe(false);
      await expect(unreachable.take(`${prefix}c`, 5, 60_000)).rejects.toThrow();
    } finally {
      await unreachable.close();
    }
  });
});
