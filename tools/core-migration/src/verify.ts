import type pg from 'pg';
import { accountIdOf } from './core-ids';

/**
 * The verification, read from both sides after the load (and on its own with `--verify-only`):
 * - rows per table, core file against ledger table;
 * - every account: its balance equal on both sides, equal to the sum of its history on each side,
 *   with as many postings on both;
 * - totals per currency: balances and history sums;
 * - every settled idempotency key of the mainframe adapter carried over (`idempotency-keys.ts`).
 * Every finding names a table or an account id and amounts — never an SSN or account number.
 */

export interface TableCount {
  coreFile: string;
  ledgerTable: string;
  core: number;
  ledger: number;
}

export interface CurrencyTotals {
  currency: string;
  coreBalances: bigint;
  ledgerBalances: bigint;
  coreHistory: bigint;
  ledgerHistory: bigint;
}

export interface Verification {
  counts: TableCount[];
  accountsChecked: number;
  totals: CurrencyTotals[];
  /** Empty when the ledger matches the core. */
  mismatches: string[];
}

const TABLE_PAIRS = [
  ['customers', 'customers'],
  ['accounts', 'accounts'],
  ['account_status_history', 'account_status_changes'],
  ['postings', 'account_transactions'],
] as const;

interface AccountFigures {
  id: string;
  currency: string;
  balance: string | null;
  postings: string;
  history: string;
}

/** Both sides are read in a snapshot each, so a count and the balances beside it agree. */
export async function verifyMigration(core: pg.ClientBase, ledger: pg.ClientBase): Promise<Verification> {
  await core.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  await ledger.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    return await compareSides(core, ledger);
  } finally {
    await Promise.allSettled([core.query('COMMIT'), ledger.query('COMMIT')]);
  }
}

async function compareSides(core: pg.ClientBase, ledger: pg.ClientBase): Promise<Verification> {
  const counts: TableCount[] = [];
  for (const [coreFile, ledgerTable] of TABLE_PAIRS) {
    counts.push({ coreFile, ledgerTable, core: await countRows(core, coreFile), ledger: await countRows(ledger, ledgerTable) });
  }
  const coreAccounts = await core.query<AccountFigures>(
    `SELECT a.acct_id::text AS id, a.currency, b.ledger_minor::text AS balance, count(p.txn_id)::text AS postings,
            coalesce(sum(CASE p.direction WHEN 'C' THEN p.amount_minor ELSE -p.amount_minor END), 0)::text AS history
       FROM accounts a LEFT JOIN balances b USING (acct_id) LEFT JOIN postings p USING (acct_id)
      GROUP BY a.acct_id, a.currency, b.ledger_minor`,
  );
  const ledgerAccounts = await ledger.query<AccountFigures>(
    `SELECT a.id::text AS id, a.currency, a.ledger_balance_minor::text AS balance, count(t.id)::text AS postings,
            coalesce(sum(CASE t.direction WHEN 'credit' THEN t.amount_minor ELSE -t.amount_minor END), 0)::text AS history
       FROM accounts a LEFT JOIN account_transactions t ON t.account_id = a.id
      GROUP BY a.id, a.currency, a.ledger_balance_minor`,
  );

  const mismatches = counts
    .filter((count) => count.core !== count.ledger)
    .map((count) => `${count.coreFile} → ${count.ledgerTable}: ${count.core} in the core, ${count.ledger} in the ledger`);
  const inLedger = new Map(ledgerAccounts.rows.map((row) => [row.id, row]));
  const totals = new Map<string, CurrencyTotals>();
  const totalsOf = (currency: string) => {
    const entry = totals.get(currency) ?? { currency, coreBalances: 0n, ledgerBalances: 0n, coreHistory: 0n, ledgerHistory: 0n };
    totals.set(currency, entry);
    return entry;
  };

  for (const core of coreAccounts.rows) {
    const id = accountIdOf(core.id);
    const ledger = inLedger.get(id);
    inLedger.delete(id);
    const coreTotals = totalsOf(core.currency);
    coreTotals.coreBalances += BigInt(core.balance ?? 0);
    coreTotals.coreHistory += BigInt(core.history);
    if (core.balance !== core.history)
      mismatches.push(`account ${id}: the core's balance ${core.balance} is not the sum of its history ${core.history}`);
    if (!ledger) {
      mismatches.push(`account ${id}: not in the ledger`);
      continue;
    }
    const ledgerTotals = totalsOf(ledger.currency);
    ledgerTotals.ledgerBalances += BigInt(ledger.balance ?? 0);
    ledgerTotals.ledgerHistory += BigInt(ledger.history);
    if (ledger.currency !== core.currency) mismatches.push(`account ${id}: currency ${core.currency} in the core, ${ledger.currency} in the ledger`);
    if (ledger.balance !== core.balance) mismatches.push(`account ${id}: balance ${core.balance} in the core, ${ledger.balance} in the ledger`);
    if (ledger.balance !== ledger.history)
      mismatches.push(`account ${id}: the ledger's balance ${ledger.balance} is not the sum of its history ${ledger.history}`);
    if (ledger.postings !== core.postings) mismatches.push(`account ${id}: ${core.postings} postings in the core, ${ledger.postings} in the ledger`);
  }
  for (const extra of inLedger.values()) {
    mismatches.push(`account ${extra.id}: in the ledger but not in the core`);
    const ledgerTotals = totalsOf(extra.currency);
    ledgerTotals.ledgerBalances += BigInt(extra.balance ?? 0);
    ledgerTotals.ledgerHistory += BigInt(extra.history);
  }
  const uncarried = await ledger.query<{ count: string }>(
    `SELECT count(*)::text AS count FROM mainframe_idempotency_keys m
      WHERE m.state = 'done'
        AND NOT EXISTS (SELECT 1 FROM idempotency_keys i WHERE i.scope = m.scope AND i.key = m.key AND i.request_hash = m.request_hash AND i.response_body = m.result)`,
  );
  if (uncarried.rows[0].count !== '0') mismatches.push(`idempotency keys: ${uncarried.rows[0].count} settled mainframe key(s) not carried over`);
  const currencyTotals = [...totals.values()].sort((a, b) => a.currency.localeCompare(b.currency));
  for (const total of currencyTotals) {
    if (total.coreBalances !== total.ledgerBalances)
      mismatches.push(`${total.currency} balances: ${total.coreBalances} in the core, ${total.ledgerBalances} in the ledger`);
  }
  return { counts, accountsChecked: coreAccounts.rows.length, totals: currencyTotals, mismatches };
}

async function countRows(client: pg.ClientBase, table: string): Promise<number> {
  const { rows } = await client.query<{ count: string }>(`SELECT count(*)::text AS count FROM ${table}`);
  return Number(rows[0].count);
}
