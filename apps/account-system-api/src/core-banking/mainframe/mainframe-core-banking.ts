import {
  AccountStatus,
  ProductType,
  TransactionDirection,
  type Account,
  type AccountBalance,
  type CreateCustomerRequest,
  type Customer,
  type OpenAccountRequest,
  type PostTransactionRequest,
  type Transaction,
  type TransactionPage,
} from '@bartholomew/contracts-account-system';
import {
  fromCobolDate,
  fromCobolTimestamp,
  ReasonCode,
  ReturnCode,
  toCobolDate,
  type GatewayResponse,
  type RequestOf,
  type ResponseOf,
  type TranCode,
} from '@bartholomew/mainframe-codec';
import type { Database } from '@bartholomew/platform/db';
import { maskLastFour } from '@bartholomew/platform/server';
import { taxIdDigits } from '../../domain/tax-id';
import {
  AccountBalanceNotZero,
  AccountClosed,
  AccountFrozen,
  AccountNotFound,
  BalanceLimitExceeded,
  CurrencyMismatch,
  CustomerAlreadyExists,
  CustomerNotFound,
  InsufficientFunds,
  InvalidCursor,
  TextNotStorable,
  UnknownCustomer,
} from '../../errors';
import type { AccountStatusChange, CoreBanking, Idempotent, IdempotencyToken, TransactionPageRequest } from '../core-banking';
import type { CoreBankingGateway } from './core-banking-gateway';
import { accountIdOf, accountKeyOf, customerIdOf, customerNumberOf, transactionIdOf } from './core-keys';
import { CoreBankingBatchWindow } from './gateway-errors';
import { RequestNotEncodable } from './gateway-session';
import { decodeHistoryCursor, encodeHistoryCursor } from './history-cursor';
import { MainframeIdempotencyLedger } from './idempotency-ledger';

/** TXNHIST answers at most this many postings a page; a longer API page takes several. */
const HISTORY_ROWS_PER_CALL = 20;

const PRODUCT_CODE = { checking: 'CHK', savings: 'SAV' } as const satisfies Record<ProductType, string>;
const PRODUCT_OF_CODE: Record<string, ProductType> = { CHK: ProductType.checking, SAV: ProductType.savings };
const STATUS_CODE = { active: 'A', frozen: 'F', closed: 'C' } as const satisfies Record<AccountStatus, string>;
const STATUS_OF_CODE: Record<string, AccountStatus> = { A: AccountStatus.active, F: AccountStatus.frozen, C: AccountStatus.closed };
const DIRECTION_CODE = { credit: 'C', debit: 'D' } as const satisfies Record<TransactionDirection, string>;
const DIRECTION_OF_CODE: Record<string, TransactionDirection> = { C: TransactionDirection.credit, D: TransactionDirection.debit };

/** A 9(n) key as its digits, zero-padded: the SSN's and the account number's last four come from here. */
const lastFourOf = (value: number, digits: number) => String(value).padStart(digits, '0').slice(-4);
const isoOf = (cobolTimestamp: string) => fromCobolTimestamp(cobolTimestamp).toISOString();

/** The answer the gateway gave, kept for mapping: a reason code outside the cases below is a bug to see, not a 404. */
class UnexpectedAnswer extends Error {
  override readonly name = 'UnexpectedAnswer';
  constructor(response: GatewayResponse) {
    super(`${response.tranCode} answered return code ${response.returnCode}, reason ${response.reasonCode}`);
  }
}

/**
 * Core banking on the bank's mainframe, through the core-banking gateway (TCP, EBCDIC copybook
 * records): each port method is one or more of the gateway's transactions, and each return/reason
 * code the coded error PostgresCoreBanking raises for the same case, so the HTTP contract cannot
 * tell the backends apart. What the contract does not show, and this adapter translates:
 * - ids: the core's numeric keys ↔ the contract's UUIDs (`core-keys.ts`);
 * - idempotency: the core keeps no keys, this service does (`idempotency-ledger.ts`);
 * - pages: TXNHIST gives at most 20 rows and its own continue key; ACCTINQ gives 10 accounts a page;
 * - the batch window (RC 8, 0821) → 503 CORE_BANKING_BATCH_WINDOW with Retry-After;
 * - values: YYYYMMDD dates, DB2 timestamps, packed-decimal minor units, one-letter codes,
 *   space-padded EBCDIC text (a second address line of spaces is none).
 * The full SSN and account number come back in the core's records; only their last four digits
 * leave this class, and neither ever goes into a message.
 */
export class MainframeCoreBanking implements CoreBanking {
  private readonly ledger: MainframeIdempotencyLedger;

  constructor(
    db: Database,
    private readonly gateway: CoreBankingGateway,
  ) {
    this.ledger = new MainframeIdempotencyLedger(db, () => gateway.breakerState());
  }

  async createCustomer(request: CreateCustomerRequest, idempotency: IdempotencyToken): Promise<Idempotent<Customer>> {
    return this.ledger.run(idempotency, async () => {
      const response = await this.update('CUSTADD', {
        custLegalName: request.legalName,
        custBirthDate: toCobolDate(request.dateOfBirth),
        custTaxId: Number(taxIdDigits(request.taxId)),
        custEmail: request.email,
        custPhone: request.phone,
        custAddress: {
          custAddrLine1: request.address.line1,
          custAddrLine2: request.address.line2 ?? '',
          custCity: request.address.city,
          custState: request.address.state,
          custPostalCode: request.address.postalCode,
        },
      });
      if (response.reasonCode === ReasonCode.DUPLICATE_TAX_ID) throw new CustomerAlreadyExists();
      return customerFrom(bodyOf(response));
    });
  }

  async getCustomer(customerId: string): Promise<Customer> {
    const customerNumber = customerNumberOf(customerId);
    if (customerNumber === undefined) throw new CustomerNotFound(customerId);
    const response = await this.inquire('CUSTINQ', { inqSearchBy: 'C', inqCustId: customerNumber, inqTaxId: 0 });
    if (response.reasonCode === ReasonCode.CUSTOMER_NOT_FOUND) throw new CustomerNotFound(customerId);
    return customerFrom(bodyOf(response));
  }

  async findCustomerByTaxId(taxId: string): Promise<Customer | undefined> {
    const response = await this.inquire('CUSTINQ', { inqSearchBy: 'T', inqCustId: 0, inqTaxId: Number(taxIdDigits(taxId)) });
    if (response.reasonCode === ReasonCode.CUSTOMER_NOT_FOUND) return undefined;
    return customerFrom(bodyOf(response));
  }

  async openAccount(request: OpenAccountRequest, idempotency: IdempotencyToken): Promise<Idempotent<Account>> {
    return this.ledger.run(idempotency, async () => {
      const customerNumber = customerNumberOf(request.customerId);
      if (customerNumber === undefined) throw new UnknownCustomer(request.customerId);
      const response = await this.update('ACCTOPN', {
        acctCustId: customerNumber,
        acctProduct: PRODUCT_CODE[request.productType],
        acctCurrency: request.currency,
      });
      if (response.reasonCode === ReasonCode.CUSTOMER_NOT_FOUND) throw new UnknownCustomer(request.customerId);
      return accountFrom(bodyOf(response));
    });
  }

  async getAccount(accountId: string): Promise<Account> {
    const accountKey = accountKeyOf(accountId);
    if (accountKey === undefined) throw new AccountNotFound(accountId);
    const response = await this.inquire('ACCTINQ', { inqSearchBy: 'A', inqAcctId: accountKey, inqCustId: 0, inqContinueKey: 0 });
    if (response.reasonCode === ReasonCode.ACCOUNT_NOT_FOUND) throw new AccountNotFound(accountId);
    return accountFrom(bodyOf(response).acctRow[0]);
  }

  async listCustomerAccounts(customerId: string): Promise<Account[]> {
    const customerNumber = customerNumberOf(customerId);
    if (customerNumber === undefined) throw new CustomerNotFound(customerId);
    const accounts: Account[] = [];
    // Ten a page, oldest first: follow ACCT-CONTINUE-KEY to the last page.
    for (let continueKey = 0; ; ) {
      const response = await this.inquire('ACCTINQ', { inqSearchBy: 'C', inqAcctId: 0, inqCustId: customerNumber, inqContinueKey: continueKey });
      if (response.reasonCode === ReasonCode.CUSTOMER_NOT_FOUND) throw new CustomerNotFound(customerId);
      const page = bodyOf(response);
      accounts.push(...page.acctRow.slice(0, page.acctRowCount).map(accountFrom));
      if (page.acctMoreFlag !== 'Y') return accounts;
      continueKey = page.acctContinueKey;
    }
  }

  async changeAccountStatus(accountId: string, change: AccountStatusChange): Promise<Account> {
    const accountKey = accountKeyOf(accountId);
    if (accountKey === undefined) throw new AccountNotFound(accountId);
    const response = await this.update('ACCTSTS', {
      acctId: accountKey,
      acctNewStatus: STATUS_CODE[change.status],
      stsReason: change.reason,
      // STS-CHANGED-BY is X(64); caller names are far shorter, but a longer one must not fail the change.
      stsChangedBy: change.changedBy.slice(0, 64),
    });
    switch (response.reasonCode) {
      case ReasonCode.ACCOUNT_NOT_FOUND:
        throw new AccountNotFound(accountId);
      case ReasonCode.ACCOUNT_CLOSED:
        throw new AccountClosed(accountId);
      case ReasonCode.BALANCE_NOT_ZERO:
        throw new AccountBalanceNotZero(accountId);
    }
    // RC 4, reason 0401 (already in that status) carries the account unchanged: the no-op of the contract.
    return accountFrom(bodyOf(response));
  }

  async getBalance(accountId: string): Promise<AccountBalance> {
    const accountKey = accountKeyOf(accountId);
    if (accountKey === undefined) throw new AccountNotFound(accountId);
    const response = await this.inquire('ACCTBAL', { balAcctId: accountKey });
    if (response.reasonCode === ReasonCode.ACCOUNT_NOT_FOUND) throw new AccountNotFound(accountId);
    const balance = bodyOf(response);
    return {
      accountId: accountIdOf(balance.balAcctId),
      ledgerBalance: { amountMinor: Number(balance.balLedger), currency: balance.balCurrency },
      availableBalance: { amountMinor: Number(balance.balAvailable), currency: balance.balCurrency },
      asOf: isoOf(balance.balAsOfTs),
    };
  }

  async postTransaction(accountId: string, request: PostTransactionRequest, idempotency: IdempotencyToken): Promise<Idempotent<Transaction>> {
    return this.ledger.run(idempotency, async () => {
      const accountKey = accountKeyOf(accountId);
      if (accountKey === undefined) throw new AccountNotFound(accountId);
      const response = await this.update('TXNPOST', {
        txnAcctId: accountKey,
        txnDirection: DIRECTION_CODE[request.direction],
        txnAmount: BigInt(request.amount.amountMinor),
        txnCurrency: request.amount.currency,
        txnDescription: request.description,
        txnReference: request.reference ?? '',
      });
      switch (response.reasonCode) {
        case ReasonCode.ACCOUNT_NOT_FOUND:
          throw new AccountNotFound(accountId);
        case ReasonCode.ACCOUNT_CLOSED:
          throw new AccountClosed(accountId);
        case ReasonCode.ACCOUNT_FROZEN:
          throw new AccountFrozen(accountId);
        case ReasonCode.INSUFFICIENT_FUNDS:
          throw new InsufficientFunds(accountId);
        case ReasonCode.BALANCE_LIMIT:
          throw new BalanceLimitExceeded(accountId);
        case ReasonCode.CURRENCY_MISMATCH:
          // The refusal does not say the account's currency; the contract's message does.
          throw new CurrencyMismatch(accountId, (await this.getBalance(accountId)).ledgerBalance.currency, request.amount.currency);
      }
      return transactionFrom(bodyOf(response));
    });
  }

  async listTransactions(accountId: string, page: TransactionPageRequest): Promise<TransactionPage> {
    const filter = { from: page.from, to: page.to };
    let continueKey = page.cursor === undefined ? 0 : decodeHistoryCursor(page.cursor, filter);
    const accountKey = accountKeyOf(accountId);
    if (accountKey === undefined) throw new AccountNotFound(accountId);
    const items: Transaction[] = [];
    for (;;) {
      const response = await this.inquire('TXNHIST', {
        histAcctId: accountKey,
        histFromDate: page.from === undefined ? 0 : toCobolDate(page.from),
        histToDate: page.to === undefined ? 0 : toCobolDate(page.to),
        histMaxRows: Math.min(HISTORY_ROWS_PER_CALL, page.limit - items.length),
        histContinueKey: continueKey,
      });
      if (response.reasonCode === ReasonCode.ACCOUNT_NOT_FOUND) throw new AccountNotFound(accountId);
      // A continue key that is no posting of this account: a cursor of another account.
      if (response.reasonCode === ReasonCode.INVALID_CONTINUE_KEY) throw new InvalidCursor();
      const history = bodyOf(response);
      const rows = history.histRow.slice(0, history.histRowCount);
      items.push(...rows.map((row) => historyTransactionFrom(accountKey, row)));
      const more = history.histMoreFlag === 'Y';
      if (!more) return { items, nextCursor: null };
      continueKey = history.histContinueKey;
      if (items.length >= page.limit) return { items, nextCursor: encodeHistoryCursor(continueKey, filter) };
    }
  }

  /** An inquiry: its answer (RC 0, or a refusal to map); anything else is a failure. */
  private async inquire<C extends TranCode>(tranCode: C, body: RequestOf<C>): Promise<GatewayResponse<C>> {
    return this.send(tranCode, body);
  }

  /** An update: also refused in the batch window, which becomes a 503 with the seconds until it closes. */
  private async update<C extends TranCode>(tranCode: C, body: RequestOf<C>): Promise<GatewayResponse<C>> {
    const response = await this.send(tranCode, body);
    if (response.returnCode === ReturnCode.REFUSED && response.reasonCode === ReasonCode.BATCH_WINDOW) {
      throw new CoreBankingBatchWindow(response.retrySeconds * 1000, this.gateway.breakerState());
    }
    return response;
  }

  private async send<C extends TranCode>(tranCode: C, body: RequestOf<C>): Promise<GatewayResponse<C>> {
    try {
      return await this.gateway.call(tranCode, body);
    } catch (error) {
      if (error instanceof RequestNotEncodable) throw new TextNotStorable();
      throw error;
    }
  }
}

/**
 * The record of an answer that must carry one: RC 0 or 4. A refusal the caller did not map (a
 * reason this transaction should not give, RC 12: a record we built wrong) is our bug: a 500.
 */
function bodyOf<C extends TranCode>(response: GatewayResponse<C>): ResponseOf<C> {
  if (response.returnCode >= ReturnCode.REFUSED || response.body === undefined) throw new UnexpectedAnswer(response);
  return response.body;
}

function customerFrom(record: ResponseOf<'CUSTINQ'>): Customer {
  const address = record.custAddress;
  return {
    customerId: customerIdOf(record.custId),
    legalName: record.custLegalName,
    dateOfBirth: fromCobolDate(record.custBirthDate),
    taxIdLast4: lastFourOf(record.custTaxId, 9),
    email: record.custEmail,
    phone: record.custPhone,
    address: {
      line1: address.custAddrLine1,
      ...(address.custAddrLine2 === '' ? {} : { line2: address.custAddrLine2 }),
      city: address.custCity,
      state: address.custState,
      postalCode: address.custPostalCode,
    },
    createdAt: isoOf(record.custCreatedTs),
  };
}

function accountFrom(record: ResponseOf<'ACCTOPN'>): Account {
  return {
    accountId: accountIdOf(record.acctId),
    customerId: customerIdOf(record.acctCustId),
    accountNumberMasked: maskLastFour(lastFourOf(record.acctNumber, 11)),
    productType: PRODUCT_OF_CODE[record.acctProduct],
    currency: record.acctCurrency,
    status: STATUS_OF_CODE[record.acctStatus],
    openedAt: isoOf(record.acctOpenedTs),
    statusChangedAt: isoOf(record.acctStatusTs),
  };
}

function transactionFrom(record: ResponseOf<'TXNPOST'>): Transaction {
  return {
    transactionId: transactionIdOf(record.txnId),
    accountId: accountIdOf(record.txnAcctId),
    direction: DIRECTION_OF_CODE[record.txnDirection],
    amount: { amountMinor: Number(record.txnAmount), currency: record.txnCurrency },
    description: record.txnDescription,
    // TXN-REFERENCE is spaces for none.
    ...(record.txnReference === '' ? {} : { reference: record.txnReference }),
    balanceAfter: { amountMinor: Number(record.txnBalanceAfter), currency: record.txnCurrency },
    postedAt: isoOf(record.txnPostedTs),
  };
}

function historyTransactionFrom(accountKey: number, row: ResponseOf<'TXNHIST'>['histRow'][number]): Transaction {
  return transactionFrom({
    txnId: row.histTxnId,
    txnAcctId: accountKey,
    txnDirection: row.histDirection,
    txnAmount: row.histAmount,
    txnCurrency: row.histCurrency,
    txnDescription: row.histDescription,
    txnReference: row.histReference,
    txnBalanceAfter: row.histBalanceAfter,
    txnPostedTs: row.histPostedTs,
  });
}
