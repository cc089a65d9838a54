import { LastGoodAnswers } from './last-good-answers';

describe('LastGoodAnswers', () => {
  let now = 0;
  const answers = (maxAgeMs = 1_000, maxEntries = 3) => new LastGoodAnswers({ maxAgeMs, maxEntries, now: () => now });
  beforeEach(() => (now = 1_000_000));

  it('gives back the last answer remembered for the same user and key, with its age', () => {
    const store = answers();
    store.remember('alice', 'home', { v: 1 });
    store.remember('alice', 'home', { v: 2 });
    now += 250;
    expect(store.recall('alice', 'home')).toEqual({ value: { v: 2 }, ageMs: 250 });
  });

  it("never serves one user's answer to another", () => {
    const store = answers();
    store.remember('alice', 'home', { accounts: ['alice-checking'] });
    expect(store.recall('bob', 'home')).toBeUndefined();
  });

  it('does not confuse users whose subject and key would concatenate alike', () => {
    const store = answers();
    store.remember('a', 'bhome', 'first');
    expect(store.recall('ab', 'home')).toBeUndefined();
  });

  it('refuses an answer older than the maximum age', () => {
    const store = answers(1_000);
    store.remember('alice', 'home', 'old');
    now += 1_001;
    expect(store.recall('alice', 'home')).toBeUndefined();
  });

  it('forgets the least recently remembered answers beyond the maximum count', () => {
    const store = answers(1_000, 2);
    store.remember('a', 'k', 1);
    store.remember('b', 'k', 2);
    store.remember('c', 'k', 3);
    expect(store.size).toBe(2);
    expect(store.recall('a', 'k')).toBeUndefined();
    expect(store.recall('c', 'k')?.value).toBe(3);
  });

  it('keeps nothing when stale serving is switched off', () => {
    const store = answers(0);
    store.remember('alice', 'home', 'x');
    expect(store.recall('alice', 'home')).toBeUndefined();
  });
});
