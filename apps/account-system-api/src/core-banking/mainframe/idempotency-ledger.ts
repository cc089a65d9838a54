import type { PoolClient } from 'pg';
import { DatabaseUnavailable, type Database } from '@bartholomew/platform/db';
import { IdempotencyKeyReused } from '@bartholomew/platform/server';
import type { Idempotent, IdempotencyToken } from '../core-banking';
import { CoreBankingGatewayUnavailable, CoreBankingWriteInDoubt } from './gateway-errors';

interface KeyRow {
  request_hash: string;
  state: 'in_progress' | 'in_doubt' | 'done';
  result: unknown;
}

/**
 * Idempotent writes to a core that keeps no idempotency keys (table `mainframe_idempotency_keys`).
 *
 * One write per (scope, key) at a time: each request holds a session-level advisory lock on the
 * key for as long as it works on it, on one pooled connection. Under the lock the key row is read:
 * - none: this request claims it — `in_progress` is committed *before* the request leaves for the
 *   core, so a crash mid-call leaves a trace — then sends the write;
 * - `done` with the same request hash: the stored result, `replayed: true` (twenty duplicates
 *   arriving at once queue on the lock and all replay the one write);
 * - another request hash (in any state): `IDEMPOTENCY_KEY_REUSED`, as PostgresCoreBanking;
 * - `in_doubt`, or `in_progress` found under the lock (its request ended without recording an
 *   outcome: this service stopped mid-call): `CoreBankingWriteInDoubt`, 503. The write may have
 *   happened; sending it again could post twice, so it is not sent until an operator settles it.
 *
 * The write's outcome: an answer → `done` with the result; a refusal, or a failure that never
 * reached the core (no connection, the breaker, the batch window, RC 16 backed out) → the row is
 * deleted, so the same key may be retried; a request sent whose answer was lost (timeout, broken
 * connection) → `in_doubt` and `CoreBankingWriteInDoubt`.
 *
 * REVIEW: a waiting duplicate holds a pooled connection while it waits, as the Postgres backend's
 * `withIdempotency` does; the wait is bounded by the gateway call's time budget.
 */
export class MainframeIdempotencyLedger {
  constructor(
    private readonly db: Database,
    private readonly breakerState: () => 'closed' | 'open' | 'halfOpen',
  ) {}

  async run<T>(token: IdempotencyToken, write: () => Promise<T>): Promise<Idempotent<T>> {
    const client = await this.db.pool.connect().catch((error: unknown) => {
      const unavailable = new DatabaseUnavailable();
      unavailable.cause = error;
      throw unavailable;
    });
    // A checked-out connection has no pool listener: a failure reaches the pending query instead.
    const ignore = () => undefined;
    client.on('error', ignore);
    let broken: Error | undefined;
    try {
      await client.query('SELECT pg_advisory_lock(hashtext($1), hashtext($2))', [token.scope, token.key]);
      try {
        return await this.underLock(client, token, write);
      } finally {
        await client.query('SELECT pg_advisory_unlock(hashtext($1), hashtext($2))', [token.scope, token.key]).catch((error: Error) => {
          broken = error;
        });
      }
    } finally {
      // A connection that may still hold the lock is thrown away (closing it releases the lock), never reused.
      client.off('error', ignore);
      client.release(broken);
    }
  }

  private async underLock<T>(client: PoolClient, token: IdempotencyToken, write: () => Promise<T>): Promise<Idempotent<T>> {
    const { scope, key, requestHash } = token;
    const claimed = await client.query(
      `INSERT INTO mainframe_idempotency_keys (scope, key, request_hash) VALUES ($1, $2, $3)
       ON CONFLICT (scope, key) DO NOTHING RETURNING 1`,
      [scope, key, requestHash],
    );
    if (claimed.rowCount === 0) {
      const { rows } = await client.query<KeyRow>(
        'SELECT request_hash, state, result FROM mainframe_idempotency_keys WHERE scope = $1 AND key = $2',
        [scope, key],
      );
      const row = rows[0];
      if (row.request_hash !== requestHash) throw new IdempotencyKeyReused();
      if (row.state === 'done') return { value: row.result as T, replayed: true };
      throw new CoreBankingWriteInDoubt(this.breakerState());
    }

    let value: T;
    try {
      value = await write();
    } catch (error) {
      if (error instanceof CoreBankingGatewayUnavailable && error.requestSent) {
        await client.query(`UPDATE mainframe_idempotency_keys SET state = 'in_doubt', updated_at = now() WHERE scope = $1 AND key = $2`, [
          scope,
          key,
        ]);
        throw new CoreBankingWriteInDoubt(this.breakerState());
      }
      await client.query('DELETE FROM mainframe_idempotency_keys WHERE scope = $1 AND key = $2', [scope, key]);
      throw error;
    }
    await client.query(`UPDATE mainframe_idempotency_keys SET state = 'done', result = $3, updated_at = now() WHERE scope = $1 AND key = $2`, [
      scope,
      key,
      JSON.stringify(value),
    ]);
    return { value, replayed: false };
  }
}
