import { randomUUID } from 'node:crypto';
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

  it('counts hits per key in a fixed window and says when it ends', async () => {
    const store = new MemoryRateLimitStore(100, clock);
    expect(await store.hit('a', 60_000)).toEqual({
      count: 1,
      resetInMs: 60_000,
    });
    now += 15_000;
    expect(await store.hit('a', 60_000)).toEqual({
      count: 2,
      resetInMs: 45_000,
    });
    expect(await store.hit('b', 60_000)).toEqual({
      count: 1,
      resetInMs: 60_000,
    });
  });

  it('starts a fresh window once the old one has ended', async () => {
    const store = new MemoryRateLimitStore(100, clock);
    await store.hit('a', 60_000);
    await store.hit('a', 60_000);
    now += 60_000;
    expect(await store.hit('a', 60_000)).toEqual({
      count: 1,
      resetInMs: 60_000,
    });
  });

  it('keeps at most maxKeys windows, forgetting the oldest first', async () => {
    const store = new MemoryRateLimitStore(2, clock);
    await store.hit('a', 60_000);
    await store.hit('a', 60_000);
    await store.hit('b', 60_000);
    await store.hit('c', 60_000); // a is forgotten
    expect((await store.hit('a', 60_000)).count).toBe(1);
    expect((await store.hit('c', 60_000)).count).toBe(2);
  });
});

/** A shared store that fails while `down` is set. */
class FlakyStore extends MemoryRateLimitStore {
  down = false;

  override async hit(key: string, windowMs: number) {
    if (this.down)
      throw Object.assign(new Error('Connection is closed.'), {
        code: 'ECONNREFUSED',
      });
    return super.hit(key, windowMs);
  }
}

describe('FallbackRateLimitStore', () => {
  it('counts in the shared store while it answers, in memory while it does not, warning once per outage', async () => {
    const logs = captureLogs();
    const shared = new FlakyStore();
    const store = new FallbackRateLimitStore(shared, pino({ level: 'info' }, logs.stream));
    expect((await store.hit('k', 60_000)).count).toBe(1);
    shared.down = true;
    expect((await store.hit('k', 60_000)).count).toBe(1); // memory starts its own window
    expect((await store.hit('k', 60_000)).count).toBe(2);
    shared.down = false;
    expect((await store.hit('k', 60_000)).count).toBe(2);
    shared.down = true;
    await store.hit('k', 60_000);
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

  it('counts hits in one Redis key that expires with the window', async () => {
    expect(await store.hit(`${prefix}a`, 60_000)).toEqual({
      count: 1,
      resetInMs: expect.any(Number),
    });
    const second = await store.hit(`${prefix}a`, 60_000);
    expect(second.count).toBe(2);
    expect(second.resetInMs).toBeGreaterThan(0);
    expect(second.resetInMs).toBeLessThanOrEqual(60_000);
    expect(await redis.get(`${prefix}a`)).toBe('2');
    const ttl = await redis.pttl(`${prefix}a`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('shares the count with every other client of the same Redis', async () => {
    const other = await RedisRateLimitStore.create(REDIS_URL, pino({ level: 'silent' }));
    try {
      expect(await other.connected()).toBe(true);
      await store.hit(`${prefix}b`, 60_000);
      expect((await other.hit(`${prefix}b`, 60_000)).count).toBe(2);
    } finally {
      await other.close();
    }
  });

  it('fails a hit at once, instead of queueing it, while Redis cannot be reached', async () => {
    const unreachable = await RedisRateLimitStore.create('redis://127.0.0.1:1', pino({ level: 'silent' }));
    try {
      expect(await unreachable.connected()).toBe(false);
      await expect(unreachable.hit(`${prefix}c`, 60_000)).rejects.toThrow();
    } finally {
      await unreachable.close();
    }
  });
});
