import type pg from 'pg';
import { LedgerHoldsOtherData, WritesInDoubt } from './errors';
import type { TableLoad } from './ledger-load';

/**
 * The account System API's idempotency keys, carried across the switch-over. On the mainframe
 * backend it keeps them itself (`mainframe_idempotency_keys`, in its own database); on the
 * Postgres backend the platform's `idempotency_keys` holds them. Both are written by the same
 * routes with the same scope, key and keyed request hash, so a settled key (`done`, with the
 * answer it gave: every keyed write answers 201) becomes a platform key with that answer — and a
 * Process API retry that crosses the switch-over replays instead of posting a second time.
 *
 * The keys are found in the target database: the account System API's own, where the mainframe
 * backend kept them (a fresh target simply has none).
 */

const CREATED = 201;

/** A write that may or may not have reached the mainframe must be settled by an operator first. */
export async function refuseWritesInDoubt(ledger: pg.ClientBase): Promise<void> {
  const { rows } = await ledger.query<{ count: string }>(`SELECT count(*)::text AS count FROM mainframe_idempotency_keys WHERE state <> 'done'`);
  if (rows[0].count !== '0') throw new WritesInDoubt(rows[0].count);
}

export async function carryIdempotencyKeys(ledger: pg.ClientBase): Promise<TableLoad> {
  await ledger.query('BEGIN');
  try {
    const settled = await ledger.query<{ count: string }>(`SELECT count(*)::text AS count FROM mainframe_idempotency_keys WHERE state = 'done'`);
    const carried = await ledger.query(
      `INSERT INTO idempotency_keys (scope, key, request_hash, status_code, response_body, created_at)
       SELECT scope, key, request_hash, $1, result, created_at FROM mainframe_idempotency_keys WHERE state = 'done'
       ON CONFLICT (scope, key) DO NOTHING`,
      [CREATED],
    );
    const differing = await ledger.query<{ scope: string }>(
      `SELECT m.scope FROM mainframe_idempotency_keys m JOIN idempotency_keys i USING (scope, key)
        WHERE m.state = 'done' AND (i.request_hash <> m.request_hash OR i.status_code IS DISTINCT FROM $1 OR i.response_body IS DISTINCT FROM m.result)
        LIMIT 1`,
      [CREATED],
    );
    // The key itself is the caller's text: only its scope (caller and operation) is named.
    if (differing.rows[0]) throw new LedgerHoldsOtherData('idempotency_keys', `a key of ${differing.rows[0].scope}`, 'request_hash, response_body');
    await ledger.query('COMMIT');
    const unloaded = Number(settled.rows[0].count);
    return { table: 'idempotency_keys', unloaded, moved: carried.rowCount ?? 0, alreadyThere: unloaded - (carried.rowCount ?? 0) };
  } catch (error) {
    await ledger.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
