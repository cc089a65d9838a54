/**
 * The core's transaction programs: one per transaction code of the codec's TRANSACTIONS, each a
 * unit of work on the gateway's own database. A program answers with a return and reason code and,
 * below return code 8, the response record. A refusal is thrown as `Refusal` inside the unit of
 * work, so whatever it wrote is backed out.
 */
import {
  fromCobolDate,
  ReasonCode,
  returnCodeOf,
  toCobolTimestamp,
  type RequestOf,
  type ResponseOf,
  type ReturnCode,
  type TranCode,
} from '@bartholomew/mainframe-codec';
import type { Database } from '@bartholomew/platform/db';
import type { PiiVault } from '@bartholomew/platform/server';
import type pg from 'pg';
import { newAccountNumber } from './account-number';

export interface Outcome<C extends TranCode = TranCode> {
  returnCode: ReturnCode;
  reasonCode: ReasonCode;
  /** The response record; present exactly when the return code is below 8. */
  body?: ResponseOf<C>;
}

/** A business refusal or a request error found by a program (RC 8 or 12); nothing is changed. */
export class Refusal extends Error {
  override readonly name = 'Refusal';
  constructor(
    readonly reasonCode: ReasonCode,
    /** Which field or rule, for the log; never a value. */
    detail: string,
  ) {
    super(detail);
  }
}

/** The largest balance the ledger holds (as the PostgreSQL core: exact as a JavaScript number). */
const MAX_BALANCE = 9_007_199_254_740_991n;
const PAGE_OF_ACCOUNTS = 10;
const MAX_HISTORY_ROWS = 20;
const CURRENCY = /^[A-Z]{3}$/;

const ok = <C extends TranCode>(body: ResponseOf<C>): Outcome<C> => ({ returnCode: 0, reasonCode: ReasonCode.NONE, body });

const blank = (text: string) => text.trim() === '';

function requireText(value: string, field: string): void {
  if (blank(value)) throw new Refusal(ReasonCode.INVALID_FIELD, `${field} is empty`);
}

/** A YYYYMMDD field as a calendar day; INVALID_FIELD when it is not a real one. */
function dayOf(yyyymmdd: number, field: string): string {
  try {
    return fromCobolDate(yyyymmdd, field);
  } catch {
    throw new Refusal(ReasonCode.INVALID_FIELD, `${field} is not a date`);
  }
}

const taxIdText = (taxId: number) => String(taxId).padStart(9, '0');

interface CustomerRow {
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
  created_at: Date;
}

interface AccountRow {
  acct_id: string;
  cust_id: string;
  acct_number_encrypted: string;
  product: string;
  currency: string;
  status: string;
  opened_at: Date;
  status_changed_at: Date;
}

// Dates come back as text (to_char) so no time zone moves a birthday.
const CUSTOMER_COLUMNS = `cust_id, legal_name, to_char(birth_date, 'YYYYMMDD') AS birth_date, tax_id_encrypted, email, phone,
  addr_line_1, addr_line_2, city, state, postal_code, created_at`;
const ACCOUNT_COLUMNS = 'acct_id, cust_id, acct_number_encrypted, product, currency, status, opened_at, status_changed_at';

/** The core's transaction programs over its database. */
export class CoreTransactions {
  constructor(
    private readonly db: Database,
    private readonly pii: PiiVault,
  ) {}

  /** Runs the program of `tranCode` on `body`; refusals become outcomes, anything else is thrown. */
  async run<C extends TranCode>(tranCode: C, body: RequestOf<C>): Promise<Outcome<C>> {
    try {
      return (await this.program(tranCode, body)) as Outcome<C>;
    } catch (error) {
      if (error instanceof Refusal) return { returnCode: returnCodeOf(error.reasonCode), reasonCode: error.reasonCode };
      throw error;
    }
  }

  private program(tranCode: TranCode, body: unknown): Promise<Outcome> {
    switch (tranCode) {
      case 'CUSTINQ':
        return this.customerInquiry(body as RequestOf<'CUSTINQ'>);
      case 'CUSTADD':
        return this.customerAdd(body as RequestOf<'CUSTADD'>);
      case 'ACCTINQ':
        return this.accountInquiry(body as RequestOf<'ACCTINQ'>);
      case 'ACCTOPN':
        return this.accountOpen(body as RequestOf<'ACCTOPN'>);
      case 'ACCTSTS':
        return this.accountStatusUpdate(body as RequestOf<'ACCTSTS'>);
      case 'ACCTBAL':
        return this.balanceInquiry(body as RequestOf<'ACCTBAL'>);
      case 'TXNPOST':
        return this.postTransaction(body as RequestOf<'TXNPOST'>);
      case 'TXNHIST':
        return this.transactionHistory(body as RequestOf<'TXNHIST'>);
    }
  }

  private customerRecord(row: CustomerRow): ResponseOf<'CUSTINQ'> {
    return {
      custId: Number(row.cust_id),
      custLegalName: row.legal_name,
      custBirthDate: Number(row.birth_date),
      custTaxId: Number(this.pii.decrypt(row.tax_id_encrypted)),
      custEmail: row.email,
      custPhone: row.phone,
      custAddress: {
        custAddrLine1: row.addr_line_1,
        custAddrLine2: row.addr_line_2,
        custCity: row.city,
        custState: row.state,
        custPostalCode: row.postal_code,
      },
      custCreatedTs: toCobolTimestamp(row.created_at),
    };
  }

  private accountRecord(row: AccountRow): ResponseOf<'ACCTOPN'> {
    return {
      acctId: Number(row.acct_id),
      acctCustId: Number(row.cust_id),
      acctNumber: Number(this.pii.decrypt(row.acct_number_encrypted)),
      acctProduct: row.product,
      acctCurrency: row.currency,
      acctStatus: row.status,
      acctOpenedTs: toCobolTimestamp(row.opened_at),
      acctStatusTs: toCobolTimestamp(row.status_changed_at),
    };
  }

  private async customerInquiry(request: RequestOf<'CUSTINQ'>): Promise<Outcome<'CUSTINQ'>> {
    let rows: CustomerRow[];
    if (request.inqSearchBy === 'C') {
      rows = (await this.db.query<CustomerRow>(`SELECT ${CUSTOMER_COLUMNS} FROM customers WHERE cust_id = $1`, [request.inqCustId])).rows;
    } else if (request.inqSearchBy === 'T') {
      const fingerprint = this.pii.fingerprint(taxIdText(request.inqTaxId));
      rows = (await this.db.query<CustomerRow>(`SELECT ${CUSTOMER_COLUMNS} FROM customers WHERE tax_id_fingerprint = $1`, [fingerprint])).rows;
    } else {
      throw new Refusal(ReasonCode.INVALID_FIELD, 'INQ-SEARCH-BY is not C or T');
    }
    if (rows.length === 0) throw new Refusal(ReasonCode.CUSTOMER_NOT_FOUND, 'no such customer');
    return ok<'CUSTINQ'>(this.customerRecord(rows[0]));
  }

  private async customerAdd(request: RequestOf<'CUSTADD'>): Promise<Outcome<'CUSTADD'>> {
    requireText(request.custLegalName, 'CUST-LEGAL-NAME');
    const birthDate = dayOf(request.custBirthDate, 'CUST-BIRTH-DATE');
    if (request.custTaxId === 0) throw new Refusal(ReasonCode.INVALID_FIELD, 'CUST-TAX-ID is zero');
    requireText(request.custEmail, 'CUST-EMAIL');
    requireText(request.custPhone, 'CUST-PHONE');
    const address = request.custAddress;
    requireText(address.custAddrLine1, 'CUST-ADDR-LINE-1');
    requireText(address.custCity, 'CUST-CITY');
    if (!/^[A-Z]{2}$/.test(address.custState)) throw new Refusal(ReasonCode.INVALID_FIELD, 'CUST-STATE is not two letters');
    requireText(address.custPostalCode, 'CUST-POSTAL-CODE');
    const taxId = taxIdText(request.custTaxId);
    const { rows } = await this.db.query<CustomerRow>(
      `INSERT INTO customers (legal_name, birth_date, tax_id_encrypted, tax_id_fingerprint, email, phone,
                              addr_line_1, addr_line_2, city, state, postal_code)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT ON CONSTRAINT customers_tax_id_fingerprint_key DO NOTHING
       RETURNING ${CUSTOMER_COLUMNS}`,
      [
        request.custLegalName,
        birthDate,
        this.pii.encrypt(taxId),
        this.pii.fingerprint(taxId),
        request.custEmail,
        request.custPhone,
        address.custAddrLine1,
        address.custAddrLine2,
        address.custCity,
        address.custState,
        address.custPostalCode,
      ],
    );
    if (rows.length === 0) throw new Refusal(ReasonCode.DUPLICATE_TAX_ID, 'another customer has this tax id');
    return ok<'CUSTADD'>(this.customerRecord(rows[0]));
  }

  private async accountInquiry(request: RequestOf<'ACCTINQ'>): Promise<Outcome<'ACCTINQ'>> {
    if (request.inqSearchBy === 'A') {
      const { rows } = await this.db.query<AccountRow>(`SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE acct_id = $1`, [request.inqAcctId]);
      if (rows.length === 0) throw new Refusal(ReasonCode.ACCOUNT_NOT_FOUND, 'no such account');
      return ok<'ACCTINQ'>({ acctRowCount: 1, acctMoreFlag: 'N', acctContinueKey: 0, acctRow: [this.accountRecord(rows[0])] });
    }
    if (request.inqSearchBy !== 'C') throw new Refusal(ReasonCode.INVALID_FIELD, 'INQ-SEARCH-BY is not A or C');
    const customer = await this.db.query('SELECT 1 FROM customers WHERE cust_id = $1', [request.inqCustId]);
    if (customer.rowCount === 0) throw new Refusal(ReasonCode.CUSTOMER_NOT_FOUND, 'no such customer');
    if (request.inqContinueKey !== 0) {
      const from = await this.db.query('SELECT 1 FROM accounts WHERE acct_id = $1 AND cust_id = $2', [request.inqContinueKey, request.inqCustId]);
      if (from.rowCount === 0) throw new Refusal(ReasonCode.INVALID_CONTINUE_KEY, 'not an account of this customer');
    }
    // Account keys grow with time: by key is oldest first. One row more tells whether a page follows.
    const { rows } = await this.db.query<AccountRow>(
      `SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE cust_id = $1 AND acct_id > $2 ORDER BY acct_id LIMIT $3`,
      [request.inqCustId, request.inqContinueKey, PAGE_OF_ACCOUNTS + 1],
    );
    const page = rows.slice(0, PAGE_OF_ACCOUNTS);
    const more = rows.length > PAGE_OF_ACCOUNTS;
    return ok<'ACCTINQ'>({
      acctRowCount: page.length,
      acctMoreFlag: more ? 'Y' : 'N',
      acctContinueKey: more ? Number(page[page.length - 1].acct_id) : 0,
      acctRow: page.map((row) => this.accountRecord(row)),
    });
  }

  private async accountOpen(request: RequestOf<'ACCTOPN'>): Promise<Outcome<'ACCTOPN'>> {
    if (request.acctProduct !== 'CHK' && request.acctProduct !== 'SAV') throw new Refusal(ReasonCode.INVALID_FIELD, 'ACCT-PRODUCT is not CHK or SAV');
    if (!CURRENCY.test(request.acctCurrency)) throw new Refusal(ReasonCode.INVALID_FIELD, 'ACCT-CURRENCY is not an ISO 4217 code');
    return this.db.transaction(async (client) => {
      const customer = await client.query('SELECT 1 FROM customers WHERE cust_id = $1 FOR SHARE', [request.acctCustId]);
      if (customer.rowCount === 0) throw new Refusal(ReasonCode.CUSTOMER_NOT_FOUND, 'no such customer');
      const row = await insertAccount(client, this.pii, request);
      await client.query('INSERT INTO balances (acct_id, currency) VALUES ($1, $2)', [row.acct_id, row.currency]);
      return ok<'ACCTOPN'>(this.accountRecord(row));
    });
  }

  private async accountStatusUpdate(request: RequestOf<'ACCTSTS'>): Promise<Outcome<'ACCTSTS'>> {
    const to = request.acctNewStatus;
    if (to !== 'A' && to !== 'F' && to !== 'C') throw new Refusal(ReasonCode.INVALID_FIELD, 'ACCT-NEW-STATUS is not A, F or C');
    requireText(request.stsReason, 'STS-REASON');
    requireText(request.stsChangedBy, 'STS-CHANGED-BY');
    return this.db.transaction(async (client) => {
      const found = await client.query<AccountRow>(`SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE acct_id = $1 FOR UPDATE`, [request.acctId]);
      const account = found.rows[0];
      if (!account) throw new Refusal(ReasonCode.ACCOUNT_NOT_FOUND, 'no such account');
      if (account.status === to) return { returnCode: 4, reasonCode: ReasonCode.NO_CHANGE, body: this.accountRecord(account) };
      if (account.status === 'C') throw new Refusal(ReasonCode.ACCOUNT_CLOSED, 'the account is closed');
      if (to === 'C') {
        const balance = await client.query<{ ledger_minor: string }>('SELECT ledger_minor FROM balances WHERE acct_id = $1 FOR UPDATE', [
          request.acctId,
        ]);
        if (BigInt(balance.rows[0].ledger_minor) !== 0n) throw new Refusal(ReasonCode.BALANCE_NOT_ZERO, 'the balance is not zero');
      }
      const updated = await client.query<AccountRow>(
        `UPDATE accounts SET status = $2, status_changed_at = now() WHERE acct_id = $1 RETURNING ${ACCOUNT_COLUMNS}`,
        [request.acctId, to],
      );
      await client.query('INSERT INTO account_status_history (acct_id, from_status, to_status, reason, changed_by) VALUES ($1, $2, $3, $4, $5)', [
        request.acctId,
        account.status,
        to,
        request.stsReason,
        request.stsChangedBy,
      ]);
      return ok<'ACCTSTS'>(this.accountRecord(updated.rows[0]));
    });
  }

  private async balanceInquiry(request: RequestOf<'ACCTBAL'>): Promise<Outcome<'ACCTBAL'>> {
    const { rows } = await this.db.query<{ currency: string; ledger_minor: string; status: string; as_of: Date }>(
      `SELECT b.currency, b.ledger_minor, a.status, now() AS as_of
         FROM balances b JOIN accounts a USING (acct_id) WHERE b.acct_id = $1`,
      [request.balAcctId],
    );
    const row = rows[0];
    if (!row) throw new Refusal(ReasonCode.ACCOUNT_NOT_FOUND, 'no such account');
    const ledger = BigInt(row.ledger_minor);
    return ok<'ACCTBAL'>({
      balAcctId: request.balAcctId,
      balCurrency: row.currency,
      balLedger: ledger,
      // Only an active account can be drawn on.
      balAvailable: row.status === 'A' ? ledger : 0n,
      balAsOfTs: toCobolTimestamp(row.as_of),
    });
  }

  private async postTransaction(request: RequestOf<'TXNPOST'>): Promise<Outcome<'TXNPOST'>> {
    const direction = request.txnDirection;
    if (direction !== 'C' && direction !== 'D') throw new Refusal(ReasonCode.INVALID_FIELD, 'TXN-DIRECTION is not C or D');
    const amount = BigInt(request.txnAmount);
    if (amount <= 0n) throw new Refusal(ReasonCode.INVALID_FIELD, 'TXN-AMOUNT is not above zero');
    if (!CURRENCY.test(request.txnCurrency)) throw new Refusal(ReasonCode.INVALID_FIELD, 'TXN-CURRENCY is not an ISO 4217 code');
    requireText(request.txnDescription, 'TXN-DESCRIPTION');
    return this.db.transaction(async (client) => {
      // The balance row is the account's lock: postings to one account are serialised here.
      const found = await client.query<{ status: string; currency: string; ledger_minor: string }>(
        `SELECT a.status, b.currency, b.ledger_minor FROM balances b JOIN accounts a USING (acct_id) WHERE b.acct_id = $1 FOR UPDATE OF b`,
        [request.txnAcctId],
      );
      const account = found.rows[0];
      if (!account) throw new Refusal(ReasonCode.ACCOUNT_NOT_FOUND, 'no such account');
      if (account.status === 'C') throw new Refusal(ReasonCode.ACCOUNT_CLOSED, 'the account is closed');
      if (account.status === 'F' && direction === 'D') throw new Refusal(ReasonCode.ACCOUNT_FROZEN, 'the account is frozen');
      if (account.currency !== request.txnCurrency) throw new Refusal(ReasonCode.CURRENCY_MISMATCH, 'not the account currency');
      const before = BigInt(account.ledger_minor);
      const after = direction === 'C' ? before + amount : before - amount;
      if (after < 0n) throw new Refusal(ReasonCode.INSUFFICIENT_FUNDS, 'the debit is above the balance');
      if (after > MAX_BALANCE) throw new Refusal(ReasonCode.BALANCE_LIMIT, 'the balance would exceed the ledger limit');
      await client.query('UPDATE balances SET ledger_minor = $2, updated_at = now() WHERE acct_id = $1', [request.txnAcctId, after.toString()]);
      const { rows } = await client.query<{ txn_id: string; posted_at: Date }>(
        // clock_timestamp(), not now(): the time the lock was held, so a later posting number never has an earlier time.
        `INSERT INTO postings (acct_id, direction, amount_minor, currency, description, reference, balance_after_minor, posted_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, clock_timestamp()) RETURNING txn_id, posted_at`,
        [request.txnAcctId, direction, amount.toString(), request.txnCurrency, request.txnDescription, request.txnReference, after.toString()],
      );
      return ok<'TXNPOST'>({
        txnId: Number(rows[0].txn_id),
        txnAcctId: request.txnAcctId,
        txnDirection: direction,
        txnAmount: amount,
        txnCurrency: request.txnCurrency,
        txnDescription: request.txnDescription,
        txnReference: request.txnReference,
        txnBalanceAfter: after,
        txnPostedTs: toCobolTimestamp(rows[0].posted_at),
      });
    });
  }

  private async transactionHistory(request: RequestOf<'TXNHIST'>): Promise<Outcome<'TXNHIST'>> {
    if (request.histMaxRows < 1 || request.histMaxRows > MAX_HISTORY_ROWS)
      throw new Refusal(ReasonCode.INVALID_FIELD, 'HIST-MAX-ROWS is not 1 to 20');
    const from = request.histFromDate === 0 ? null : dayOf(request.histFromDate, 'HIST-FROM-DATE');
    const to = request.histToDate === 0 ? null : dayOf(request.histToDate, 'HIST-TO-DATE');
    if (from !== null && to !== null && from > to) throw new Refusal(ReasonCode.INVALID_FIELD, 'HIST-FROM-DATE is after HIST-TO-DATE');
    const account = await this.db.query('SELECT 1 FROM accounts WHERE acct_id = $1', [request.histAcctId]);
    if (account.rowCount === 0) throw new Refusal(ReasonCode.ACCOUNT_NOT_FOUND, 'no such account');
    const continueKey = request.histContinueKey;
    if (continueKey !== 0) {
      const given = await this.db.query('SELECT 1 FROM postings WHERE txn_id = $1 AND acct_id = $2', [continueKey, request.histAcctId]);
      if (given.rowCount === 0) throw new Refusal(ReasonCode.INVALID_CONTINUE_KEY, 'not a posting of this account');
    }
    const { rows } = await this.db.query<{
      txn_id: string;
      direction: string;
      amount_minor: string;
      currency: string;
      description: string;
      reference: string;
      balance_after_minor: string;
      posted_at: Date;
    }>(
      `SELECT txn_id, direction, amount_minor, currency, description, reference, balance_after_minor, posted_at
         FROM postings
        WHERE acct_id = $1
          AND ($2::bigint = 0 OR txn_id < $2::bigint)
          AND ($3::date IS NULL OR posted_at >= ($3::date)::timestamp AT TIME ZONE 'UTC')
          AND ($4::date IS NULL OR posted_at < ($4::date + 1)::timestamp AT TIME ZONE 'UTC')
        ORDER BY txn_id DESC
        LIMIT $5`,
      [request.histAcctId, continueKey, from, to, request.histMaxRows + 1],
    );
    const page = rows.slice(0, request.histMaxRows);
    const more = rows.length > request.histMaxRows;
    return ok<'TXNHIST'>({
      histRowCount: page.length,
      histMoreFlag: more ? 'Y' : 'N',
      histContinueKey: more ? Number(page[page.length - 1].txn_id) : 0,
      histRow: page.map((row) => ({
        histTxnId: Number(row.txn_id),
        histDirection: row.direction,
        histAmount: BigInt(row.amount_minor),
        histCurrency: row.currency,
        histDescription: row.description,
        histReference: row.reference,
        histBalanceAfter: BigInt(row.balance_after_minor),
        histPostedTs: toCobolTimestamp(row.posted_at),
      })),
    });
  }
}

/** Inserts the account with a new account number, drawing again on the (rare) clash with an existing one. */
async function insertAccount(client: pg.PoolClient, pii: PiiVault, request: RequestOf<'ACCTOPN'>): Promise<AccountRow> {
  for (let attempt = 0; attempt < 10; attempt += 1) {
    const number = newAccountNumber();
    const { rows } = await client.query<AccountRow>(
      `INSERT INTO accounts (cust_id, acct_number_encrypted, acct_number_fingerprint, product, currency)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT ON CONSTRAINT accounts_acct_number_fingerprint_key DO NOTHING
       RETURNING ${ACCOUNT_COLUMNS}`,
      [request.acctCustId, pii.encrypt(number), pii.fingerprint(number), request.acctProduct, request.acctCurrency],
    );
    if (rows[0]) return rows[0];
  }
  throw new Error('no free account number after 10 draws');
}
