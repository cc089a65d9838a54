import type { PiiVault } from '@bartholomew/platform/server';
import type pg from 'pg';
import { accountIdOf, customerIdOf, transactionIdOf } from './core-ids';
import { UntranslatableRecord } from './errors';

/**
 * The unload: the mainframe's core files (the core-banking gateway's database) read in one
 * snapshot and translated into rows of the account System API's ledger — what the mainframe
 * adapter shows for them is what the ledger will show:
 * - keys → the adapter's UUIDs (`core-ids.ts`); status-change and posting numbers stay as they are,
 *   a posting number becoming the ledger's `sequence`, so history keeps its order;
 * - one-letter codes → words (`CHK` → checking, `A` → active, `C` → credit);
 * - the balance file → the account's ledger balance; a closed account's status time → `closed_at`;
 * - blank texts (second address line, reference) → none;
 * - SSNs and account numbers decrypted with the core's key and encrypted again with the ledger's,
 *   with the ledger's own keyed fingerprints and last four digits.
 * Money stays bigint digits and times stay microsecond UTC text from end to end: nothing is
 * rounded through a JavaScript number or Date.
 */

/** A ledger row as column → value (text or null), in the order the table's columns are listed. */
export type LedgerRow = Record<string, string | null>;

export interface LedgerRows {
  customers: LedgerRow[];
  accounts: LedgerRow[];
  account_status_changes: LedgerRow[];
  account_transactions: LedgerRow[];
}

export interface PiiKeys {
  /** The core-banking gateway's key: its SSNs and account numbers are read with it. */
  core: PiiVault;
  /** The account System API's key: the ledger's copies are written with it. */
  ledger: PiiVault;
}

/** A timestamptz as ISO text in UTC with its microseconds, whatever the session's time zone. */
export const utcText = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

const PRODUCT = { CHK: 'checking', SAV: 'savings' } as const;
const STATUS = { A: 'active', F: 'frozen', C: 'closed' } as const;
const DIRECTION = { C: 'credit', D: 'debit' } as const;

function decode<T extends Record<string, string>>(codes: T, code: string, file: string, key: string, field: string): T[keyof T] {
  if (!Object.hasOwn(codes, code)) throw new UntranslatableRecord(file, key, `${field} is no known code`);
  return codes[code as keyof T];
}

/** Reads the whole core in one REPEATABLE READ snapshot, so the unload is one moment of the core. */
export async function unloadCore(core: pg.ClientBase, keys: PiiKeys): Promise<LedgerRows> {
  await core.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    const customers = await core.query<CoreCustomer>(
      `SELECT cust_id::text, legal_name, to_char(birth_date, 'YYYY-MM-DD') AS birth_date, tax_id_encrypted, email, phone,
              addr_line_1, addr_line_2, city, state, postal_code, ${utcText('created_at')} AS created_at
         FROM customers ORDER BY cust_id`,
    );
    const accounts = await core.query<CoreAccount>(
      `SELECT a.acct_id::text, a.cust_id::text, a.acct_number_encrypted, a.product, a.currency, a.status,
              ${utcText('a.opened_at')} AS opened_at, ${utcText('a.status_changed_at')} AS status_changed_at,
              b.currency AS balance_currency, b.ledger_minor::text AS ledger_minor
         FROM accounts a LEFT JOIN balances b USING (acct_id) ORDER BY a.acct_id`,
    );
    const statusChanges = await core.query<CoreStatusChange>(
      `SELECT id::text, acct_id::text, from_status, to_status, reason, changed_by, ${utcText('changed_at')} AS changed_at
         FROM account_status_history ORDER BY id`,
    );
    const postings = await core.query<CorePosting>(
      `SELECT txn_id::text, acct_id::text, direction, amount_minor::text, currency, description, reference,
              balance_after_minor::text, ${utcText('posted_at')} AS posted_at
         FROM postings ORDER BY txn_id`,
    );
    await core.query('COMMIT');
    return {
      customers: customers.rows.map((row) => customerRow(row, keys)),
      accounts: accounts.rows.map((row) => accountRow(row, keys)),
      account_status_changes: statusChanges.rows.map(statusChangeRow),
      account_transactions: postings.rows.map(transactionRow),
    };
  } catch (error) {
    await core.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

interface CoreCustomer {
  cust_id: string;
  legal_name: string;
  birth_date: string;
  tax_id_encrypted: string;
  email: string;
  phone: string;
  addr_line_1: string;
  addr_line_2: string;
  city: string;
  state: string;
  postal_code: string;
  created_at: string;
}

function customerRow(row: CoreCustomer, keys: PiiKeys): LedgerRow {
  const ssn = keys.core.decrypt(row.tax_id_encrypted);
  if (!/^[0-9]{9}$/.test(ssn)) throw new UntranslatableRecord('customers', row.cust_id, 'the tax id is not nine digits');
  return {
    id: customerIdOf(row.cust_id),
    legal_name: row.legal_name,
    date_of_birth: row.birth_date,
    tax_id_encrypted: keys.ledger.encrypt(ssn),
    // REVIEW: the fingerprint's `ssn:` prefix is PostgresCoreBanking's (not exported); the proof
    // test shows the ledger refusing a second customer with a migrated SSN.
    tax_id_fingerprint: keys.ledger.fingerprint(`ssn:${ssn}`),
    tax_id_last4: ssn.slice(-4),
    email: row.email,
    phone: row.phone,
    address_line1: row.addr_line_1,
    address_line2: row.addr_line_2.trim() === '' ? null : row.addr_line_2,
    city: row.city,
    state: row.state,
    postal_code: row.postal_code,
    created_at: row.created_at,
  };
}

interface CoreAccount {
  acct_id: string;
  cust_id: string;
  acct_number_encrypted: string;
  product: string;
  currency: string;
  status: string;
  opened_at: string;
  status_changed_at: string;
  balance_currency: string | null;
  ledger_minor: string | null;
}

function accountRow(row: CoreAccount, keys: PiiKeys): LedgerRow {
  const key = row.acct_id;
  const accountNumber = keys.core.decrypt(row.acct_number_encrypted);
  if (!/^[0-9]{11}$/.test(accountNumber)) throw new UntranslatableRecord('accounts', key, 'the account number is not eleven digits');
  if (row.ledger_minor === null) throw new UntranslatableRecord('accounts', key, 'no balance record');
  if (row.balance_currency !== row.currency) throw new UntranslatableRecord('balances', key, 'the balance is not in the account currency');
  const status = decode(STATUS, row.status, 'accounts', key, 'the status');
  return {
    id: accountIdOf(key),
    customer_id: customerIdOf(row.cust_id),
    account_number_encrypted: keys.ledger.encrypt(accountNumber),
    // REVIEW: the `account-number:` prefix is PostgresCoreBanking's, as for the SSN above.
    account_number_fingerprint: keys.ledger.fingerprint(`account-number:${accountNumber}`),
    account_number_last4: accountNumber.slice(-4),
    product_type: decode(PRODUCT, row.product, 'accounts', key, 'the product'),
    currency: row.currency,
    status,
    ledger_balance_minor: row.ledger_minor,
    opened_at: row.opened_at,
    status_changed_at: row.status_changed_at,
    // The core keeps no close time of its own: closing is its last status change.
    closed_at: status === STATUS.C ? row.status_changed_at : null,
  };
}

interface CoreStatusChange {
  id: string;
  acct_id: string;
  from_status: string;
  to_status: string;
  reason: string;
  changed_by: string;
  changed_at: string;
}

function statusChangeRow(row: CoreStatusChange): LedgerRow {
  return {
    id: row.id,
    account_id: accountIdOf(row.acct_id),
    from_status: decode(STATUS, row.from_status, 'account_status_history', row.id, 'the old status'),
    to_status: decode(STATUS, row.to_status, 'account_status_history', row.id, 'the new status'),
    reason: row.reason,
    changed_by: row.changed_by,
    changed_at: row.changed_at,
  };
}

interface CorePosting {
  txn_id: string;
  acct_id: string;
  direction: string;
  amount_minor: string;
  currency: string;
  description: string;
  reference: string;
  balance_after_minor: string;
  posted_at: string;
}

function transactionRow(row: CorePosting): LedgerRow {
  return {
    id: transactionIdOf(row.txn_id),
    sequence: row.txn_id,
    account_id: accountIdOf(row.acct_id),
    direction: decode(DIRECTION, row.direction, 'postings', row.txn_id, 'the direction'),
    amount_minor: row.amount_minor,
    currency: row.currency,
    description: row.description,
    reference: row.reference.trim() === '' ? null : row.reference,
    balance_after_minor: row.balance_after_minor,
    posted_at: row.posted_at,
  };
}
