import { RecentReads } from './recent-reads';

describe('RecentReads', () => {
  let now = 0;
  const reads = (freshForMs = 1_000, maxUsers = 3) => new RecentReads({ freshForMs, maxUsers, now: () => now });
  beforeEach(() => (now = 1_000_000));

  /** A load that counts its calls and answers when told to. */
  function pending<T>() {
    let calls = 0;
    const answers: Array<{ resolve: (value: T) => void; reject: (error: Error) => void }> = [];
    const load = () => {
      calls += 1;
      return new Promise<T>((resolve, reject) => answers.push({ resolve, reject }));
    };
    return { load, answers, calls: () => calls };
  }

  it("shares one call among the same user's identical reads while it is in flight", async () => {
    const store = reads();
    const home = pending<string>();
    const first = store.read('alice', 'home', home.load);
    const second = store.read('alice', 'home', home.load);
    home.answers[0].resolve('accounts');
    await expect(Promise.all([first, second])).resolves.toEqual(['accounts', 'accounts']);
    expect(home.calls()).toBe(1);
  });

  it('serves the answer again while it is fresh, then asks again', async () => {
    const store = reads(1_000);
    let calls = 0;
    const load = async () => `answer ${(calls += 1)}`;
    await expect(store.read('alice', 'home', load)).resolves.toBe('answer 1');
    now += 1_000;
    await expect(store.read('alice', 'home', load)).resolves.toBe('answer 1');
    now += 1;
    await expect(store.read('alice', 'home', load)).resolves.toBe('answer 2');
  });

  it("never serves one user's answer to another, nor one key's to another", async () => {
    const store = reads();
    await store.read('alice', 'home', async () => 'alice home');
    await expect(store.read('bob', 'home', async () => 'bob home')).resolves.toBe('bob home');
    await expect(store.read('alice', 'billing', async () => 'alice billing')).resolves.toBe('alice billing');
  });

  it('keeps no failure: the next read asks again', async () => {
    const store = reads();
    await expect(store.read('alice', 'home', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    await expect(store.read('alice', 'home', async () => 'back')).resolves.toBe('back');
  });

  it("drops the user's answers on their own write, and a read begun before it is not kept", async () => {
    const store = reads();
    await store.read('alice', 'home', async () => 'before');
    const slow = pending<string>();
    store.forget('alice');
    const begunBefore = store.read('alice', 'onboarding', slow.load);
    store.forget('alice'); // a second write while that read is on its way
    slow.answers[0].resolve('read before the write');
    await begunBefore;
    await expect(store.read('alice', 'home', async () => 'after')).resolves.toBe('after');
    await expect(store.read('alice', 'onboarding', async () => 'after the write')).resolves.toBe('after the write');
  });

  it('a read after a write does not join a read begun before it', async () => {
    const store = reads();
    const slow = pending<string>();
    const before = store.read('alice', 'home', slow.load);
    store.forget('alice');
    await expect(store.read('alice', 'home', async () => 'after')).resolves.toBe('after');
    slow.answers[0].resolve('before');
    await expect(before).resolves.toBe('before');
  });

  it('keeps at most maxUsers users, least recently active going first', async () => {
    const store = reads(1_000, 2);
    let calls = 0;
    const load = async () => (calls += 1);
    await store.read('alice', 'home', load);
    await store.read('bob', 'home', load);
    await store.read('alice', 'home', load); // alice is the most recent again
    await store.read('carol', 'home', load); // bob goes
    expect(store.size).toBe(2);
    expect(calls).toBe(3);
    await store.read('alice', 'home', load);
    expect(calls).toBe(3);
    await store.read('bob', 'home', load);
    expect(calls).toBe(4);
  });

  it('with freshForMs 0, every read asks', async () => {
    const store = reads(0);
    let calls = 0;
    const load = async () => (calls += 1);
    await Promise.all([store.read('alice', 'home', load), store.read('alice', 'home', load)]);
    expect(calls).toBe(2);
    expect(store.size).toBe(0);
  });
});
