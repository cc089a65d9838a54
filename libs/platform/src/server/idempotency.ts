import createError from '@fastify/error';
import type { FastifyReply } from 'fastify';
import type { PoolClient } from 'pg';
import type { Database } from '../db';
import type { PiiVault } from './pii-vault';

/** The table `withIdempotency` keeps its keys in; include it in a service's migrations. */
export const IDEMPOTENCY_KEYS_TABLE_SQL = `
CREATE TABLE idempotency_keys (
  scope         text        NOT NULL,
  key           text        NOT NULL,
  request_hash  text        NOT NULL,
  status_code   integer,
  response_body jsonb,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (scope, key)
);`;

export const IdempotencyKeyReused = createError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used with a different request body', 422);

export const IdempotentRequestInProgress = createError(
  'IDEMPOTENT_REQUEST_IN_PROGRESS',
  'A request with this Idempotency-Key is still being processed; retry it shortly',
  409,
);

export interface IdempotencyOptions {
  /**
   * What a request meets while the first one with its key is still running: `wait` for it and
   * replay its answer (the default), or be refused at once with 409 `IDEMPOTENT_REQUEST_IN_PROGRESS`
   * (for slow acceptances a client should not hang on).
   */
  whileInFlight?: 'wait' | 'refuse';
}

export interface IdempotentResult<T> {
  statusCode: number;
  body: T;
  /** True when this answer is the stored answer of an earlier request with the same key. */
  replayed: boolean;
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, inner]) => inner !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${canonicalJson(inner)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * A keyed fingerprint of a request, for comparing replays. Keyed (HMAC), not a bare hash:
 * bodies carry SSNs, and a plain SHA-256 of a nine-digit number is trivially reversed.
 */
export function fingerprintRequest(pii: PiiVault, request: unknown): string {
  return pii.fingerprint(canonicalJson(request));
}

/**
 * Runs a write at most once per (scope, key). The key row is inserted in the same transaction as
 * the effect: a concurrent request with the same key blocks on that row until the first commits,
 * then replays its answer — so twenty simultaneous duplicates make exactly one effect.
 * The same key with a different request is refused (422). A failed effect stores nothing, so the
 * caller may retry it.
 *
 * With `whileInFlight: 'refuse'` the transaction first tries a transaction-scoped advisory lock on
 * (scope, key): held by another transaction means the first request is in flight → 409 at once.
 * REVIEW: the lock is keyed by two 32-bit hashes; two keys colliding on both get a spurious,
 * retryable 409.
 */
export async function withIdempotency<T>(
  db: Database,
  key: { scope: string; key: string; requestHash: string },
  effect: (client: PoolClient) => Promise<{ statusCode: number; body: T }>,
  options: IdempotencyOptions = {},
): Promise<IdempotentResult<T>> {
  return db.transaction(async (client) => {
    if (options.whileInFlight === 'refuse') {
      const lock = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock(hashtext($1), hashtext($2)) AS locked', [
        key.scope,
        key.key,
      ]);
      if (!lock.rows[0]?.locked) throw new IdempotentRequestInProgress();
    }
    const claimed = await client.query(
      `INSERT INTO idempotency_keys (scope, key, request_hash) VALUES ($1, $2, $3)
       ON CONFLICT (scope, key) DO NOTHING RETURNING 1`,
      [key.scope, key.key, key.requestHash],
    );
    if (claimed.rowCount === 1) {
      const result = await effect(client);
      await client.query(`UPDATE idempotency_keys SET status_code = $3, response_body = $4 WHERE scope = $1 AND key = $2`, [
        key.scope,
        key.key,
        result.statusCode,
        JSON.stringify(result.body),
      ]);
      return { ...result, replayed: false };
    }
    const stored = await client.query<{ request_hash: string; status_code: number; response_body: T }>(
      `SELECT request_hash, status_code, response_body FROM idempotency_keys WHERE scope = $1 AND key = $2`,
      [key.scope, key.key],
    );
    const row = stored.rows[0];
    if (row.request_hash !== key.requestHash) throw new IdempotencyKeyReused();
    return { statusCode: row.status_code, body: row.response_body, replayed: true };
  });
}

/** The header that says an answer is the stored answer of an earlier request with the same key. */
export const IDEMPOTENT_REPLAYED_HEADER = 'idempotent-replayed';

/**
 * Route-schema marker of a write answered with `sendIdempotentReply`: the platform's OpenAPI shaping
 * declares `Idempotent-Replayed` on its success answers (and drops the marker from the document).
 * Spread into the route's `schema`: `schema: { ...IDEMPOTENT_REPLY, operationId: ... }`.
 */
export const IDEMPOTENT_REPLY = { 'x-idempotent-reply': true } as const;

declare module 'fastify' {
  interface FastifySchema {
    /** See `IDEMPOTENT_REPLY`. */
    'x-idempotent-reply'?: true;
  }
}

/**
 * Answers an idempotent write the one way every service does: the stored status and body, `Location`
 * when the write created something, and `Idempotent-Replayed: true` when this is the stored answer
 * of an earlier request — so a caller can tell a replay from a new effect. A first answer carries no
 * replay header at all.
 */
export function sendIdempotentReply<T>(
  reply: FastifyReply,
  result: IdempotentResult<T>,
  options: {
    /** Where the created resource lives, for `Location`. */
    location?: string;
  } = {},
): FastifyReply {
  if (result.replayed) reply.header(IDEMPOTENT_REPLAYED_HEADER, 'true');
  if (options.location !== undefined) reply.header('location', options.location);
  return reply.code(result.statusCode).send(result.body);
}
