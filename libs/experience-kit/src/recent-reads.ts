/**
 * Reads of the Process API shared for a moment, per end user: while one read is on its way, the
 * same user's identical reads wait for it instead of asking again (coalescing), and its answer
 * serves that user's next identical reads for `freshForMs` (a micro-cache). A user who reloads
 * a screen in a loop — an app retrying too eagerly, or someone hostile inside their quota — then
 * costs the layers below one read per `freshForMs`, not one per request, and cannot crowd out
 * other customers.
 *
 * Never across users (every key includes the end user). A user's own write through this API
 * (`forget`) drops what was read before it, including reads still in flight, so the next read
 * sees the write. Changes made elsewhere (the onboarding worker moving a step on) show within
 * `freshForMs`. Failures are never kept: the next read asks again.
 */
export class RecentReads {
  /** Per end user, least recently used first: their answers and reads in flight by key. */
  private readonly users = new Map<string, UserReads>();

  constructor(private readonly options: { freshForMs: number; maxUsers: number; now?: () => number }) {}

  private now(): number {
    return this.options.now ? this.options.now() : Date.now();
  }

  /** The user's answer to `key`: a fresh one kept from before, the one in flight, or `load()`'s. */
  read<T>(endUser: string, key: string, load: () => Promise<T>): Promise<T> {
    if (this.options.freshForMs === 0 || this.options.maxUsers === 0) return load();
    const reads = this.readsOf(endUser);
    const kept = reads.entries.get(key);
    if (kept?.inFlight) return kept.inFlight as Promise<T>;
    if (kept && this.now() - kept.answeredAt <= this.options.freshForMs) return Promise.resolve(kept.value as T);
    const generation = reads.generation;
    const inFlight = load().then(
      (value) => {
        // A write of the user's since this read began (`forget`) makes the answer too old to keep.
        if (reads.generation === generation) reads.entries.set(key, { value, answeredAt: this.now() });
        return value;
      },
      (error: unknown) => {
        if (reads.entries.get(key)?.inFlight === inFlight) reads.entries.delete(key);
        throw error;
      },
    );
    reads.entries.delete(key);
    reads.entries.set(key, { inFlight, answeredAt: 0 });
    // A user paging through history has many keys: keep their most recent reads only.
    while (reads.entries.size > KEYS_PER_USER) reads.entries.delete(reads.entries.keys().next().value as string);
    return inFlight;
  }

  /** Everything read for this user so far: their own write has just changed it. */
  forget(endUser: string): void {
    const reads = this.users.get(endUser);
    if (!reads) return;
    reads.generation += 1;
    reads.entries.clear();
  }

  /** Users with something kept (for tests and metrics). */
  get size(): number {
    return this.users.size;
  }

  private readsOf(endUser: string): UserReads {
    let reads = this.users.get(endUser);
    if (reads) {
      this.users.delete(endUser);
    } else {
      reads = { entries: new Map(), generation: 0 };
    }
    this.users.set(endUser, reads);
    while (this.users.size > this.options.maxUsers) this.users.delete(this.users.keys().next().value as string);
    return reads;
  }
}

const KEYS_PER_USER = 32;

interface UserReads {
  entries: Map<string, { value?: unknown; inFlight?: Promise<unknown>; answeredAt: number }>;
  /** Counts the user's writes: a read that began before one is not kept. */
  generation: number;
}
