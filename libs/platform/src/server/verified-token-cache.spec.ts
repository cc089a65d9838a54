import { TokenRefused, VerifiedTokenCache, type VerifiedToken } from './verified-token-cache';

/** A verifier that accepts tokens starting with `good` (valid until `exp` ms) and counts its calls. */
function countingVerifier(exp = 10 * 60_000) {
  const calls: string[] = [];
  const verify = async (token: string): Promise<VerifiedToken<string>> => {
    calls.push(token);
    if (token.startsWith('good')) return { identity: `subject-of-${token}`, expiresAt: exp };
    if (token.startsWith('unreachable')) throw new TokenRefused('key set unavailable', false);
    throw new TokenRefused('signature');
  };
  return { verify, calls };
}

describe('VerifiedTokenCache', () => {
  let now: number;
  const clock = () => now;
  beforeEach(() => {
    now = 0;
  });

  it('verifies a token once, then answers it from memory until the TTL runs out', async () => {
    const { verify, calls } = countingVerifier();
    const cache = new VerifiedTokenCache(verify, {
      ttlMs: 60_000,
      maxEntries: 10,
      now: clock,
    });
    expect(await cache.check('good-1')).toBe('subject-of-good-1');
    now = 59_999;
    expect(await cache.check('good-1')).toBe('subject-of-good-1');
    expect(calls).toEqual(['good-1']);
    now = 60_000;
    await cache.check('good-1');
    expect(calls).toEqual(['good-1', 'good-1']);
  });

  it('never trusts a token past its own exp, even within the TTL', async () => {
    const { verify, calls } = countingVerifier(5_000);
    const cache = new VerifiedTokenCache(verify, {
      ttlMs: 60_000,
      maxEntries: 10,
      now: clock,
    });
    await cache.check('good-1');
    now = 5_000;
    await cache.check('good-1');
    expect(calls).toHaveLength(2);
  });

  it('answers a recently refused token without verifying it again, with the same reason', async () => {
    const { verify, calls } = countingVerifier();
    const cache = new VerifiedTokenCache(verify, {
      ttlMs: 60_000,
      maxEntries: 10,
      refusedTtlMs: 10_000,
      now: clock,
    });
    for (let i = 0; i < 3; i += 1) await expect(cache.check('forged')).rejects.toEqual(new TokenRefused('signature'));
    expect(calls).toEqual(['forged']);
    now = 10_000;
    await expect(cache.check('forged')).rejects.toBeInstanceOf(TokenRefused);
    expect(calls).toEqual(['forged', 'forged']);
  });

  it('does not remember refusals that say nothing about the token (key set unreachable)', async () => {
    const { verify, calls } = countingVerifier();
    const cache = new VerifiedTokenCache(verify, {
      ttlMs: 60_000,
      maxEntries: 10,
      now: clock,
    });
    await expect(cache.check('unreachable')).rejects.toBeInstanceOf(TokenRefused);
    await expect(cache.check('unreachable')).rejects.toBeInstanceOf(TokenRefused);
    expect(calls).toHaveLength(2);
  });

  it('holds at most maxEntries tokens, dropping the least recently used', async () => {
    const { verify, calls } = countingVerifier();
    const cache = new VerifiedTokenCache(verify, {
      ttlMs: 60_000,
      maxEntries: 2,
      refusedMaxEntries: 1,
      now: clock,
    });
    await cache.check('good-a');
    await cache.check('good-b');
    await cache.check('good-a'); // a is now the most recent
    await cache.check('good-c'); // evicts b
    expect(cache.sizes.accepted).toBe(2);
    calls.length = 0;
    await cache.check('good-a');
    await cache.check('good-b');
    expect(calls).toEqual(['good-b']);
    await expect(cache.check('forged-1')).rejects.toBeInstanceOf(TokenRefused);
    await expect(cache.check('forged-2')).rejects.toBeInstanceOf(TokenRefused);
    expect(cache.sizes.refused).toBe(1);
  });

  it('verifies every time when the TTL is 0', async () => {
    const { verify, calls } = countingVerifier();
    const cache = new VerifiedTokenCache(verify, {
      ttlMs: 0,
      maxEntries: 10,
      now: clock,
    });
    await cache.check('good-1');
    await cache.check('good-1');
    await expect(cache.check('forged')).rejects.toBeInstanceOf(TokenRefused);
    await expect(cache.check('forged')).rejects.toBeInstanceOf(TokenRefused);
    expect(calls).toHaveLength(4);
  });
});
