import type pg from 'pg';
import { utcText, type LedgerRow, type LedgerRows } from './core-unload';
import { LedgerHoldsOtherData } from './errors';

/**
 * The load: the unloaded rows written into the account System API's ledger under their own ids.
 * Restartable: a row whose id the ledger already holds is not written again, but compared — equal,
 * it counts as already moved; different, the run stops (`LedgerHoldsOtherData`) and overwrites
 * nothing. Rows go in batches, each in its own transaction, so a run stopped half-way leaves whole
 * batches that the next run recognises.
 */

type ColumnType = 'uuid' | 'bigint' | 'text' | 'date' | 'timestamptz';

interface LedgerTable {
  name: keyof LedgerRows;
  columns: Record<string, ColumnType>;
  /** Encrypted copies differ on every encryption (random IV): their keyed fingerprints are compared instead. */
  notCompared?: string[];
  /** The identity column the load sets itself (posting numbers, status-change numbers). */
  identity?: string;
}

/** In foreign-key order. */
const LEDGER_TABLES: LedgerTable[] = [
  {
    name: 'customers',
    columns: {
      id: 'uuid',
      legal_name: 'text',
      date_of_birth: 'date',
      tax_id_encrypted: 'text',
      tax_id_fingerprint: 'text',
      tax_id_last4: 'text',
      email: 'text',
      phone: 'text',
      address_line1: 'text',
      address_line2: 'text',
      city: 'text',
      state: 'text',
      postal_code: 'text',
      created_at: 'timestamptz',
    },
    notCompared: ['tax_id_encrypted'],
  },
  {
    name: 'accounts',
    columns: {
      id: 'uuid',
      customer_id: 'uuid',
      account_number_encrypted: 'text',
      account_number_fingerprint: 'text',
      account_number_last4: 'text',
      product_type: 'text',
      currency: 'text',
      status: 'text',
      ledger_balance_minor: 'bigint',
      opened_at: 'timestamptz',
      status_changed_at: 'timestamptz',
      closed_at: 'timestamptz',
    },
    notCompared: ['account_number_encrypted'],
  },
  {
    name: 'account_status_changes',
    columns: {
      id: 'bigint',
      account_id: 'uuid',
      from_status: 'text',
      to_status: 'text',
      reason: 'text',
      changed_by: 'text',
      changed_at: 'timestamptz',
    },
    identity: 'id',
  },
  {
    name: 'account_transactions',
    columns: {
      id: 'uuid',
      sequence: 'bigint',
      account_id: 'uuid',
      direction: 'text',
      amount_minor: 'bigint',
      currency: 'text',
      description: 'text',
      reference: 'text',
      balance_after_minor: 'bigint',
      posted_at: 'timestamptz',
    },
    identity: 'sequence',
  },
];

const BATCH_ROWS = 500;

export interface TableLoad {
  table: string;
  /** Rows the unload gave. */
  unloaded: number;
  /** Written by this run. */
  moved: number;
  /** Already in the ledger, equal: moved by an earlier run. */
  alreadyThere: number;
}

/** The value as the ledger gives it back, in the same text form the unload produced. */
function readBack(column: string, type: ColumnType): string {
  switch (type) {
    case 'timestamptz':
      return `${utcText(column)} AS ${column}`;
    case 'date':
      return `to_char(${column}, 'YYYY-MM-DD') AS ${column}`;
    default:
      return `${column}::text AS ${column}`;
  }
}

export async function loadLedger(ledger: pg.ClientBase, rows: LedgerRows): Promise<TableLoad[]> {
  const loads: TableLoad[] = [];
  for (const table of LEDGER_TABLES) {
    const load: TableLoad = { table: table.name, unloaded: rows[table.name].length, moved: 0, alreadyThere: 0 };
    for (let start = 0; start < rows[table.name].length; start += BATCH_ROWS) {
      const batch = rows[table.name].slice(start, start + BATCH_ROWS);
      const moved = await loadBatch(ledger, table, batch);
      load.moved += moved;
      load.alreadyThere += batch.length - moved;
    }
    if (table.identity) await continueIdentityAfterLoad(ledger, table.name, table.identity);
    loads.push(load);
  }
  return loads;
}

/** Inserts the rows whose ids are new; compares the others with what the ledger holds. */
async function loadBatch(ledger: pg.ClientBase, table: LedgerTable, batch: LedgerRow[]): Promise<number> {
  const columns = Object.keys(table.columns);
  const recordType = columns.map((column) => `${column} ${table.columns[column]}`).join(', ');
  await ledger.query('BEGIN');
  try {
    // OVERRIDING SYSTEM VALUE: the identity columns take the core's numbers, not new ones.
    const inserted = await ledger.query<{ id: string }>(
      `INSERT INTO ${table.name} (${columns.join(', ')}) ${table.identity ? 'OVERRIDING SYSTEM VALUE' : ''}
       SELECT ${columns.join(', ')} FROM jsonb_to_recordset($1::jsonb) AS r(${recordType})
       ON CONFLICT (id) DO NOTHING
       RETURNING id::text`,
      [JSON.stringify(batch)],
    );
    const written = new Set(inserted.rows.map((row) => row.id));
    const existing = batch.filter((row) => !written.has(row.id as string));
    if (existing.length > 0) await refuseDifferences(ledger, table, existing);
    await ledger.query('COMMIT');
    return inserted.rows.length;
  } catch (error) {
    await ledger.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

async function refuseDifferences(ledger: pg.ClientBase, table: LedgerTable, expected: LedgerRow[]): Promise<void> {
  const compared = Object.entries(table.columns).filter(([column]) => !table.notCompared?.includes(column));
  const { rows } = await ledger.query<LedgerRow>(
    `SELECT ${compared.map(([column, type]) => readBack(column, type)).join(', ')}
       FROM ${table.name} WHERE id::text = ANY($1::text[])`,
    [expected.map((row) => row.id)],
  );
  const held = new Map(rows.map((row) => [row.id, row]));
  for (const row of expected) {
    const current = held.get(row.id) as LedgerRow;
    const differing = compared.map(([column]) => column).filter((column) => current[column] !== row[column]);
    if (differing.length > 0) throw new LedgerHoldsOtherData(table.name, String(row.id), differing.join(', '));
  }
}

/** New postings and status changes after the switch-over must number after the migrated ones. */
async function continueIdentityAfterLoad(ledger: pg.ClientBase, table: string, column: string): Promise<void> {
  await ledger.query(
    `SELECT setval(pg_get_serial_sequence($1, $2), max_value) FROM (SELECT max(${column}) AS max_value FROM ${table}) m WHERE max_value IS NOT NULL`,
    [table, column],
  );
}
