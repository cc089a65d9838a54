import type { PoolClient } from 'pg';
import { IdempotencyKeyReused, type Database, type IdempotentResult } from '@bartholomew/platform';
import { IdempotentRequestInProgress } from '../errors';

/**
 * Like the platform's `withIdempotency` (same `idempotency_keys` table, same replay and 422
 * rules), except that a request arriving while the first one with its key is still being
 * accepted is answered `409 IDEMPOTENT_REQUEST_IN_PROGRESS` at once instead of waiting for it.
 *
 * How: the transaction first takes a transaction-scoped advisory lock on (scope, key) with
 * `pg_try_advisory_xact_lock`. Only one transaction per key can hold it; it is released at
 * COMMIT/ROLLBACK, after the committed key row is visible. So:
 *   - lock not taken → the first request is in flight → 409;
 *   - lock taken, key row inserted → we are first: run the effect, store the answer;
 *   - lock taken, key row exists → the first request committed: replay (or 422 if the body differs).
 * A failed effect rolls everything back, the key included, so the caller may retry.
 *
 * REVIEW: the lock is keyed by two 32-bit hashes; two different keys colliding on both would get a
 * spurious 409 (retryable). Proposed for libs/platform as a `whileInFlight: 'refuse'` option.
 */
export async function withIdempotencyRefusingInFlight<T>(
  db: Database,
  key: { scope: string; key: string; requestHash: string },
  effect: (client: PoolClient) => Promise<{ statusCode: number; body: T }>,
): Promise<IdempotentResult<T>> {
  return db.transaction(async (client) => {
    const lock = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock(hashtext($1), hashtext($2)) AS locked', [
      key.scope,
      key.key,
    ]);
    if (!lock.rows[0]?.locked) throw new IdempotentRequestInProgress();

    const claimed = await client.query(
      `INSERT INTO idempotency_keys (scope, key, request_hash) VALUES ($1, $2, $3)
       ON CONFLICT (scope, key) DO NOTHING RETURNING 1`,
      [key.scope, key.key, key.requestHash],
    );
    if (claimed.rowCount === 1) {
      const result = await effect(client);
      await client.query('UPDATE idempotency_keys SET status_code = $3, response_body = $4 WHERE scope = $1 AND key = $2', [
        key.scope,
        key.key,
        result.statusCode,
        JSON.stringify(result.body),
      ]);
      return { ...result, replayed: false };
    }
    const stored = await client.query<{ request_hash: string; status_code: number; response_body: T }>(
      'SELECT request_hash, status_code, response_body FROM idempotency_keys WHERE scope = $1 AND key = $2',
      [key.scope, key.key],
    );
    const row = stored.rows[0];
    if (row.request_hash !== key.requestHash) throw new IdempotencyKeyReused();
    return { statusCode: row.status_code, body: row.response_body, replayed: true };
  });
}
