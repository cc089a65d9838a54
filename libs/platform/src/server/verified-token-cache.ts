import { createHash } from 'node:crypto';

/** A map of at most `maxEntries`, least recently used dropped first, each entry valid until its own time. */
class ExpiringLru<V> {
  private readonly entries = new Map<string, { value: V; expiresAt: number }>();

  constructor(private readonly maxEntries: number) {}

  get(key: string, now: number): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (entry.expiresAt <= now) return undefined;
    this.entries.set(key, entry); // most recently used goes last
    return entry.value;
  }

  set(key: string, value: V, expiresAt: number): void {
    if (this.maxEntries <= 0) return;
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }

  get size(): number {
    return this.entries.size;
  }
}

/** A token that passed every check, with when it stops being valid. */
export interface VerifiedToken<T> {
  identity: T;
  /** The token's `exp`, in milliseconds since the epoch. */
  expiresAt: number;
}

/** A refusal, with why (for the log — never for the caller). */
export class TokenRefused extends Error {
  constructor(
    readonly reason: string,
    /** False when the refusal says nothing about the token (e.g. the key set could not be fetched): not remembered. */
    readonly remember = true,
  ) {
    super(`token refused: ${reason}`);
    this.name = 'TokenRefused';
  }
}

export interface VerifiedTokenCacheOptions {
  /** Longest a verified token is trusted without checking it again (0: verify every time). */
  ttlMs: number;
  maxEntries: number;
  /** Refusals are remembered more briefly, in a smaller map: only to absorb a flood of the same bad token. */
  refusedTtlMs?: number;
  refusedMaxEntries?: number;
  now?: () => number;
}

/**
 * Signature checks cost real CPU, so verified tokens are remembered — by the SHA-256 of the
 * token, never the token — until the sooner of their `exp` and a short TTL (which bounds how long
 * a key removed from the issuer's key set is still honoured). Recently refused tokens are answered
 * from a small negative cache, so replaying one forged token costs a hash, not a verification.
 */
export class VerifiedTokenCache<T> {
  private readonly accepted: ExpiringLru<T>;
  private readonly refused: ExpiringLru<string>;
  private readonly now: () => number;

  constructor(
    private readonly verify: (token: string) => Promise<VerifiedToken<T>>,
    private readonly options: VerifiedTokenCacheOptions,
  ) {
    this.accepted = new ExpiringLru(options.ttlMs > 0 ? options.maxEntries : 0);
    this.refused = new ExpiringLru(options.ttlMs > 0 ? (options.refusedMaxEntries ?? Math.ceil(options.maxEntries / 10)) : 0);
    this.now = options.now ?? Date.now;
  }

  /** The token's identity, or TokenRefused with the reason it was (perhaps recently) refused. */
  async check(token: string): Promise<T> {
    const key = createHash('sha256').update(token).digest('base64url');
    const now = this.now();
    const identity = this.accepted.get(key, now);
    if (identity !== undefined) return identity;
    const reason = this.refused.get(key, now);
    if (reason !== undefined) throw new TokenRefused(reason);
    try {
      const verified = await this.verify(token);
      this.accepted.set(key, verified.identity, Math.min(verified.expiresAt, this.now() + this.options.ttlMs));
      return verified.identity;
    } catch (error) {
      if (error instanceof TokenRefused && error.remember) {
        this.refused.set(key, error.reason, this.now() + Math.min(this.options.refusedTtlMs ?? 10_000, this.options.ttlMs));
      }
      throw error;
    }
  }

  /** Entries held, for tests of the bounds. */
  get sizes(): { accepted: number; refused: number } {
    return { accepted: this.accepted.size, refused: this.refused.size };
  }
}
