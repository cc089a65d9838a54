import { backoffDelayMs, isRepeatable, parseRetryAfterMs } from './retry-policy';

describe('retry policy', () => {
  const options = { baseDelayMs: 100, maxDelayMs: 1_000 };

  it('repeats reads and keyed writes, never unkeyed writes', () => {
    expect(isRepeatable('GET', undefined)).toBe(true);
    expect(isRepeatable('HEAD', undefined)).toBe(true);
    expect(isRepeatable('POST', undefined)).toBe(false);
    expect(isRepeatable('PUT', undefined)).toBe(false);
    expect(isRepeatable('DELETE', undefined)).toBe(false);
    expect(isRepeatable('POST', 'onboarding-1:open-account')).toBe(true);
  });

  it('doubles the backoff ceiling with each retry and jitters below it', () => {
    const almostOne = () => 0.999_999;
    expect(backoffDelayMs(1, options, undefined, almostOne)).toBe(99);
    expect(backoffDelayMs(2, options, undefined, almostOne)).toBe(199);
    expect(backoffDelayMs(3, options, undefined, almostOne)).toBe(399);
    expect(backoffDelayMs(3, options, undefined, () => 0)).toBe(0);
    expect(backoffDelayMs(3, options, undefined, () => 0.5)).toBe(200);
  });

  it('never waits longer than the cap, however many retries', () => {
    for (let retry = 1; retry <= 40; retry++) {
      expect(backoffDelayMs(retry, options, undefined, () => 0.999_999)).toBeLessThan(1_000);
    }
  });

  it('honours Retry-After within the cap', () => {
    expect(backoffDelayMs(1, options, 500, () => 0)).toBe(500);
    expect(backoffDelayMs(1, options, 60_000, () => 0)).toBe(1_000);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfterMs('3', now)).toBe(3_000);
    expect(parseRetryAfterMs('Wed, 01 Jan 2025 00:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfterMs('soon', now)).toBeUndefined();
    expect(parseRetryAfterMs(undefined, now)).toBeUndefined();
  });
});
