/**
 * The last good answer of each read, per end user, kept in memory so that while the Process API
 * is unavailable a read can still show what the user saw a moment ago — marked stale — instead of
 * an error screen. Bounded twice: by count (least recently used go first) and by age (an answer
 * older than `maxAgeMs` is never served). Keys always include the end user, so one customer can
 * never be served another's answer.
 */
export class LastGoodAnswers {
  private readonly entries = new Map<string, { value: unknown; storedAt: number }>();

  constructor(private readonly options: { maxAgeMs: number; maxEntries: number; now?: () => number }) {}

  private now(): number {
    return this.options.now ? this.options.now() : Date.now();
  }

  remember(endUser: string, key: string, value: unknown): void {
    if (this.options.maxEntries === 0 || this.options.maxAgeMs === 0) return;
    const id = entryId(endUser, key);
    this.entries.delete(id);
    this.entries.set(id, { value, storedAt: this.now() });
    while (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  /** The last good answer and its age, when one is young enough to serve. */
  recall<T>(endUser: string, key: string): { value: T; ageMs: number } | undefined {
    const id = entryId(endUser, key);
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    const ageMs = Math.max(0, this.now() - entry.storedAt);
    if (ageMs > this.options.maxAgeMs) {
      this.entries.delete(id);
      return undefined;
    }
    return { value: entry.value as T, ageMs };
  }

  get size(): number {
    return this.entries.size;
  }
}

// A separator that cannot occur in a token subject (visible ASCII only), so keys cannot collide.
const entryId = (endUser: string, key: string) => `${endUser}\u0000${key}`;
