import type { PoolClient } from 'pg';
import {
  AccountStatus,
  type Account,
  type AccountBalance,
  type CreateCustomerRequest,
  type Customer,
  type OpenAccountRequest,
  type PostTransactionRequest,
  type ProductType,
  type Transaction,
  type TransactionDirection,
  type TransactionPage,
} from '@bartholomew/contracts-account-system';
import type { Database } from '@bartholomew/platform/db';
import { maskLastFour, withIdempotency, type PiiVault } from '@bartholomew/platform/server';
import { availableBalanceMinor, balanceAfterPosting, decideStatusChange, type AccountStanding } from '../domain/account-rules';
import { drawAccountNumber } from '../domain/account-number';
import { taxIdDigits } from '../domain/tax-id';
import { AccountNotFound, CustomerAlreadyExists, CustomerNotFound, UnknownCustomer } from '../errors';
import type { AccountStatusChange, CoreBanking, Idempotent, IdempotencyToken, TransactionPageRequest } from './core-banking';
import { decodeTransactionCursor, encodeTransactionCursor } from './transaction-cursor';

/** A write that creates something answers 201; kept with the idempotency key for replays. */
const CREATED = 201;

const DAY_MS = 86_400_000;

/** `2026-01-31` → `2026-01-31T00:00:00.000Z`. */
const utcStartOf = (day: string) => new Date(`${day}T00:00:00Z`).toISOString();

/** Fresh account numbers drawn before giving up; a clash is already a one-in-a-billion event. */
const ACCOUNT_NUMBER_DRAWS = 5;

export interface PostgresCoreBankingOptions {
  /** Draws a candidate account number; tests replace it to force a clash. */
  drawAccountNumber?: () => string;
}

/**
 * Core banking on PostgreSQL: the ledger of record until the mainframe gateway adapter exists.
 * Balance changes lock the account row (`SELECT … FOR UPDATE`), so postings to one account are
 * applied one after another and a balance never goes below zero.
 */
export class PostgresCoreBanking implements CoreBanking {
  private readonly drawAccountNumber: () => string;

  constructor(
    private readonly db: Database,
    private readonly pii: PiiVault,
    options: PostgresCoreBankingOptions = {},
  ) {
    this.drawAccountNumber = options.drawAccountNumber ?? drawAccountNumber;
  }

  async createCustomer(request: CreateCustomerRequest, idempotency: IdempotencyToken): Promise<Idempotent<Customer>> {
    const ssn = taxIdDigits(request.taxId);
    const result = await withIdempotency(this.db, idempotency, async (client) => {
      try {
        const { rows } = await client.query<CustomerRow>(
          `INSERT INTO customers (legal_name, date_of_birth, tax_id_encrypted, tax_id_fingerprint, tax_id_last4,
                                  email, phone, address_line1, address_line2, city, state, postal_code)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
           RETURNING ${CUSTOMER_COLUMNS}`,
          [
            request.legalName,
            request.dateOfBirth,
            this.pii.encrypt(ssn),
            this.pii.fingerprint(`ssn:${ssn}`),
            ssn.slice(-4),
            request.email,
            request.phone,
            request.address.line1,
            request.address.line2 ?? null,
            request.address.city,
            request.address.state,
            request.address.postalCode,
          ],
        );
        return { statusCode: CREATED, body: customerFrom(rows[0]) };
      } catch (error) {
        if (isUniqueViolation(error, 'customers_tax_id_fingerprint_key')) throw new CustomerAlreadyExists();
        throw error;
      }
    });
    return { value: result.body, replayed: result.replayed };
  }

  async getCustomer(customerId: string): Promise<Customer> {
    const { rows } = await this.db.query<CustomerRow>(`SELECT ${CUSTOMER_COLUMNS} FROM customers WHERE id = $1`, [customerId]);
    if (rows.length === 0) throw new CustomerNotFound(customerId);
    return customerFrom(rows[0]);
  }

  async findCustomerByTaxId(taxId: string): Promise<Customer | undefined> {
    // The same keyed fingerprint that enforces one customer per SSN: an index look-up, no decryption.
    const { rows } = await this.db.query<CustomerRow>(`SELECT ${CUSTOMER_COLUMNS} FROM customers WHERE tax_id_fingerprint = $1`, [
      this.pii.fingerprint(`ssn:${taxIdDigits(taxId)}`),
    ]);
    return rows[0] ? customerFrom(rows[0]) : undefined;
  }

  async openAccount(request: OpenAccountRequest, idempotency: IdempotencyToken): Promise<Idempotent<Account>> {
    const result = await withIdempotency(this.db, idempotency, async (client) => {
      // FOR SHARE: the customer cannot disappear between this check and the insert.
      const customer = await client.query('SELECT 1 FROM customers WHERE id = $1 FOR SHARE', [request.customerId]);
      if (customer.rowCount === 0) throw new UnknownCustomer(request.customerId);
      return { statusCode: CREATED, body: accountFrom(await this.insertAccount(client, request)) };
    });
    return { value: result.body, replayed: result.replayed };
  }

  async getAccount(accountId: string): Promise<Account> {
    const { rows } = await this.db.query<AccountRow>(`SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE id = $1`, [accountId]);
    if (rows.length === 0) throw new AccountNotFound(accountId);
    return accountFrom(rows[0]);
  }

  async listCustomerAccounts(customerId: string): Promise<Account[]> {
    await this.getCustomer(customerId);
    const { rows } = await this.db.query<AccountRow>(`SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE customer_id = $1 ORDER BY opened_at, id`, [
      customerId,
    ]);
    return rows.map(accountFrom);
  }

  async changeAccountStatus(accountId: string, change: AccountStatusChange): Promise<Account> {
    return this.db.transaction(async (client) => {
      const row = await lockAccount(client, accountId);
      if (decideStatusChange(standingOf(row), change.status) === 'unchanged') return accountFrom(row);
      const { rows } = await client.query<AccountRow>(
        `UPDATE accounts
            SET status = $2, status_changed_at = now(), closed_at = CASE WHEN $2 = 'closed' THEN now() END
          WHERE id = $1
          RETURNING ${ACCOUNT_COLUMNS}`,
        [accountId, change.status],
      );
      await client.query(`INSERT INTO account_status_changes (account_id, from_status, to_status, reason, changed_by) VALUES ($1, $2, $3, $4, $5)`, [
        accountId,
        row.status,
        change.status,
        change.reason,
        change.changedBy,
      ]);
      return accountFrom(rows[0]);
    });
  }

  async getBalance(accountId: string): Promise<AccountBalance> {
    const { rows } = await this.db.query<AccountRow & { as_of: Date }>(`SELECT ${ACCOUNT_COLUMNS}, now() AS as_of FROM accounts WHERE id = $1`, [
      accountId,
    ]);
    if (rows.length === 0) throw new AccountNotFound(accountId);
    const standing = standingOf(rows[0]);
    return {
      accountId,
      ledgerBalance: { amountMinor: standing.ledgerBalanceMinor, currency: standing.currency },
      availableBalance: { amountMinor: availableBalanceMinor(standing), currency: standing.currency },
      asOf: rows[0].as_of.toISOString(),
    };
  }

  async postTransaction(accountId: string, request: PostTransactionRequest, idempotency: IdempotencyToken): Promise<Idempotent<Transaction>> {
    const result = await withIdempotency(this.db, idempotency, async (client) => {
      const account = await lockAccount(client, accountId);
      const balanceAfter = balanceAfterPosting(standingOf(account), request);
      await client.query('UPDATE accounts SET ledger_balance_minor = $2 WHERE id = $1', [accountId, balanceAfter]);
      const { rows } = await client.query<TransactionRow>(
        `INSERT INTO account_transactions (account_id, direction, amount_minor, currency, description, reference, balance_after_minor)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         RETURNING ${TRANSACTION_COLUMNS}`,
        [
          accountId,
          request.direction,
          request.amount.amountMinor,
          request.amount.currency,
          request.description,
          request.reference ?? null,
          balanceAfter,
        ],
      );
      return { statusCode: CREATED, body: transactionFrom(rows[0]) };
    });
    return { value: result.body, replayed: result.replayed };
  }

  async listTransactions(accountId: string, page: TransactionPageRequest): Promise<TransactionPage> {
    const filter = { from: page.from, to: page.to };
    const before = page.cursor === undefined ? null : decodeTransactionCursor(page.cursor, filter);
    const account = await this.db.query('SELECT 1 FROM accounts WHERE id = $1', [accountId]);
    if (account.rowCount === 0) throw new AccountNotFound(accountId);
    // UTC day bounds computed here, not with SQL date casts, so the session time zone plays no part.
    const postedFrom = page.from === undefined ? null : utcStartOf(page.from);
    const postedBefore = page.to === undefined ? null : new Date(Date.parse(utcStartOf(page.to)) + DAY_MS).toISOString();
    // One row more than asked says whether another page follows. ORDER BY names the table's
    // column: a bare `sequence` would be the selected text copy, and '9' sorts after '10'.
    const { rows } = await this.db.query<TransactionRow>(
      `SELECT ${TRANSACTION_COLUMNS} FROM account_transactions
        WHERE account_id = $1 AND ($2::bigint IS NULL OR sequence < $2::bigint)
          AND ($4::timestamptz IS NULL OR posted_at >= $4::timestamptz)
          AND ($5::timestamptz IS NULL OR posted_at < $5::timestamptz)
        ORDER BY account_transactions.sequence DESC
        LIMIT $3`,
      [accountId, before, page.limit + 1, postedFrom, postedBefore],
    );
    const items = rows.slice(0, page.limit);
    const last = items.at(-1);
    return {
      items: items.map(transactionFrom),
      nextCursor: rows.length > page.limit && last ? encodeTransactionCursor(last.sequence, filter) : null,
    };
  }

  /** Inserts the account under a freshly drawn number, drawing again if that number is taken. */
  private async insertAccount(client: PoolClient, request: OpenAccountRequest): Promise<AccountRow> {
    for (let draw = 1; draw <= ACCOUNT_NUMBER_DRAWS; draw++) {
      const accountNumber = this.drawAccountNumber();
      const { rows } = await client.query<AccountRow>(
        `INSERT INTO accounts (customer_id, account_number_encrypted, account_number_fingerprint, account_number_last4, product_type, currency)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (account_number_fingerprint) DO NOTHING
         RETURNING ${ACCOUNT_COLUMNS}`,
        [
          request.customerId,
          this.pii.encrypt(accountNumber),
          this.pii.fingerprint(`account-number:${accountNumber}`),
          accountNumber.slice(-4),
          request.productType,
          request.currency,
        ],
      );
      if (rows.length === 1) return rows[0];
    }
    throw new Error(`no free account number after ${ACCOUNT_NUMBER_DRAWS} draws`);
  }
}

const CUSTOMER_COLUMNS = `id, legal_name, date_of_birth::text AS date_of_birth, tax_id_last4, email, phone,
  address_line1, address_line2, city, state, postal_code, created_at`;

interface CustomerRow {
  id: string;
  legal_name: string;
  /** Read as text: node-postgres would turn a `date` into a local-time Date and shift the day. */
  date_of_birth: string;
  tax_id_last4: string;
  email: string;
  phone: string;
  address_line1: string;
  address_line2: string | null;
  city: string;
  state: string;
  postal_code: string;
  created_at: Date;
}

function customerFrom(row: CustomerRow): Customer {
  return {
    customerId: row.id,
    legalName: row.legal_name,
    dateOfBirth: row.date_of_birth,
    taxIdLast4: row.tax_id_last4,
    email: row.email,
    phone: row.phone,
    address: {
      line1: row.address_line1,
      ...(row.address_line2 === null ? {} : { line2: row.address_line2 }),
      city: row.city,
      state: row.state,
      postalCode: row.postal_code,
    },
    createdAt: row.created_at.toISOString(),
  };
}

const ACCOUNT_COLUMNS = `id, customer_id, account_number_last4, product_type, currency, status,
  ledger_balance_minor::text AS ledger_balance_minor, opened_at, status_changed_at`;

interface AccountRow {
  id: string;
  customer_id: string;
  account_number_last4: string;
  product_type: ProductType;
  currency: string;
  status: AccountStatus;
  ledger_balance_minor: string;
  opened_at: Date;
  status_changed_at: Date;
}

function accountFrom(row: AccountRow): Account {
  return {
    accountId: row.id,
    customerId: row.customer_id,
    accountNumberMasked: maskLastFour(row.account_number_last4),
    productType: row.product_type,
    currency: row.currency,
    status: row.status,
    openedAt: row.opened_at.toISOString(),
    statusChangedAt: row.status_changed_at.toISOString(),
  };
}

function standingOf(row: AccountRow): AccountStanding {
  return { accountId: row.id, status: row.status, currency: row.currency, ledgerBalanceMinor: Number(row.ledger_balance_minor) };
}

/** Reads the account and holds its row lock until the transaction ends. */
async function lockAccount(client: PoolClient, accountId: string): Promise<AccountRow> {
  const { rows } = await client.query<AccountRow>(`SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE id = $1 FOR UPDATE`, [accountId]);
  if (rows.length === 0) throw new AccountNotFound(accountId);
  return rows[0];
}

const TRANSACTION_COLUMNS = `id, sequence::text AS sequence, account_id, direction, amount_minor::text AS amount_minor,
  currency, description, reference, balance_after_minor::text AS balance_after_minor, posted_at`;

interface TransactionRow {
  id: string;
  sequence: string;
  account_id: string;
  direction: TransactionDirection;
  amount_minor: string;
  currency: string;
  description: string;
  reference: string | null;
  balance_after_minor: string;
  posted_at: Date;
}

function transactionFrom(row: TransactionRow): Transaction {
  return {
    transactionId: row.id,
    accountId: row.account_id,
    direction: row.direction,
    amount: { amountMinor: Number(row.amount_minor), currency: row.currency },
    description: row.description,
    ...(row.reference === null ? {} : { reference: row.reference }),
    balanceAfter: { amountMinor: Number(row.balance_after_minor), currency: row.currency },
    postedAt: row.posted_at.toISOString(),
  };
}

/** A unique violation of exactly this constraint; any other database error is not ours to map. */
function isUniqueViolation(error: unknown, constraint: string): boolean {
  const candidate = error as { code?: unknown; constraint?: unknown } | null;
  return candidate?.code === '23505' && candidate.constraint === constraint;
}
