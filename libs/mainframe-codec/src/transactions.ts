/**
 * The transactions of the core-banking gateway: for each transaction code, its request and
 * response records (in the copybook of the same name) and whether it updates anything (updates
 * are refused during the nightly batch window, inquiries are not).
 */
import type { RecordName, RecordTypes } from './generated/records';

export interface TransactionDefinition {
  request: RecordName;
  response: RecordName;
  /** True when the transaction changes the core's data. */
  update: boolean;
  summary: string;
}

export const TRANSACTIONS = {
  CUSTINQ: {
    request: 'CUSTOMER-INQUIRY-REQUEST',
    response: 'CUSTOMER-INQUIRY-RESPONSE',
    update: false,
    summary: 'One customer, by customer number or tax id',
  },
  CUSTADD: { request: 'CUSTOMER-ADD-REQUEST', response: 'CUSTOMER-ADD-RESPONSE', update: true, summary: 'Adds a customer (one per tax id)' },
  ACCTINQ: {
    request: 'ACCOUNT-INQUIRY-REQUEST',
    response: 'ACCOUNT-INQUIRY-RESPONSE',
    update: false,
    summary: "One account by account key, or a page of a customer's accounts",
  },
  ACCTOPN: { request: 'ACCOUNT-OPEN-REQUEST', response: 'ACCOUNT-OPEN-RESPONSE', update: true, summary: 'Opens a deposit account for a customer' },
  ACCTSTS: {
    request: 'ACCOUNT-STATUS-UPDATE-REQUEST',
    response: 'ACCOUNT-STATUS-UPDATE-RESPONSE',
    update: true,
    summary: 'Freezes, reactivates or closes an account',
  },
  ACCTBAL: { request: 'BALANCE-INQUIRY-REQUEST', response: 'BALANCE-INQUIRY-RESPONSE', update: false, summary: 'Ledger and available balance' },
  TXNPOST: { request: 'POST-TRANSACTION-REQUEST', response: 'POST-TRANSACTION-RESPONSE', update: true, summary: 'Posts a credit or a debit' },
  TXNHIST: {
    request: 'TRANSACTION-HISTORY-REQUEST',
    response: 'TRANSACTION-HISTORY-RESPONSE',
    update: false,
    summary: 'A page of postings, newest first, with a continue key',
  },
} as const satisfies Record<string, TransactionDefinition>;

/** A transaction code of the gateway (at most 8 characters, as MSG-TRAN-CODE holds). */
export type TranCode = keyof typeof TRANSACTIONS;

/** The body of a request of transaction `C`. */
export type RequestOf<C extends TranCode> = RecordTypes[(typeof TRANSACTIONS)[C]['request']];
/** The body of a response of transaction `C`. */
export type ResponseOf<C extends TranCode> = RecordTypes[(typeof TRANSACTIONS)[C]['response']];

export function isTranCode(code: string): code is TranCode {
  return Object.hasOwn(TRANSACTIONS, code);
}
