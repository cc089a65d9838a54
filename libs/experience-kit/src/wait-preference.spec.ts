import type { FastifyRequest } from 'fastify';
import { holdUntil, preferredWaitSeconds, WAIT_ANSWER_MARGIN_MS } from './wait-preference';

describe('Prefer: wait (RFC 7240)', () => {
  it('reads wait= among other preferences, quoted or not, in any case', () => {
    expect(preferredWaitSeconds('wait=10')).toBe(10);
    expect(preferredWaitSeconds('respond-async, wait=5')).toBe(5);
    expect(preferredWaitSeconds('return=minimal; WAIT = "7"')).toBe(7);
    expect(preferredWaitSeconds(['handling=lenient', 'wait=3'])).toBe(3);
  });

  it('ignores what is not a wait in whole seconds', () => {
    for (const header of [undefined, '', 'wait', 'wait=', 'wait=-1', 'wait=1.5', 'wait=abc', 'wait=12345678', 'await=5', 'return=minimal']) {
      expect(preferredWaitSeconds(header)).toBeUndefined();
    }
  });

  describe('how long a read may hold its answer', () => {
    const request = (headers: Record<string, string>, deadlineInMs = 10_000) =>
      ({ headers, deadline: Date.now() + deadlineInMs }) as unknown as FastifyRequest;

    it('holds for the wait asked, when the client has an answer to compare', () => {
      const until = holdUntil(request({ prefer: 'wait=2', 'if-none-match': '"abc"' }));
      expect(until).toBeGreaterThan(Date.now() + 1_900);
      expect(until).toBeLessThanOrEqual(Date.now() + 2_000);
    });

    it('never past the request deadline, less the time to answer', () => {
      const until = holdUntil(request({ prefer: 'wait=60', 'if-none-match': '"abc"' }, 3_000));
      expect(until).toBeLessThanOrEqual(Date.now() + 3_000 - WAIT_ANSWER_MARGIN_MS);
      expect(holdUntil(request({ prefer: 'wait=60', 'if-none-match': '"abc"' }, WAIT_ANSWER_MARGIN_MS - 50))).toBeUndefined();
    });

    it('not at all without If-None-Match (nothing to wait for a change of), without a wait, or for wait=0', () => {
      expect(holdUntil(request({ prefer: 'wait=5' }))).toBeUndefined();
      expect(holdUntil(request({ 'if-none-match': '"abc"' }))).toBeUndefined();
      expect(holdUntil(request({ prefer: 'wait=0', 'if-none-match': '"abc"' }))).toBeUndefined();
    });
  });
});
