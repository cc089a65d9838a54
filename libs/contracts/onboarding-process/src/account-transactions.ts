import { Type, type Static } from '@sinclair/typebox';
import { CalendarDateSchema, CursorSchema, IdSchema } from '@bartholomew/contracts-shared';
import { RecentTransactionSchema } from './customer-overview';

/*
 * `GET /v1/customers/{customerId}/accounts/{accountId}/transactions` — an account's whole
 * transaction history, newest first, keyset-paginated and filterable by date, for the customer's
 * own end user. The overview carries only each account's latest few; this is the rest.
 */

export const CustomerAccountParamsSchema = Type.Object({ customerId: IdSchema, accountId: IdSchema }, { additionalProperties: false });
export type CustomerAccountParams = Static<typeof CustomerAccountParamsSchema>;

/**
 * `limit` (1–100, default 20), the opaque `cursor` of the previous page, and optional `from`/`to`:
 * calendar days read in UTC, both inclusive. `from` after `to` → 400 INVALID_DATE_RANGE; a cursor
 * works only with the same `from`/`to` it came with (else 400 INVALID_CURSOR).
 */
export const AccountTransactionsQuerySchema = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
    cursor: Type.Optional(CursorSchema),
    from: Type.Optional(CalendarDateSchema),
    to: Type.Optional(CalendarDateSchema),
  },
  { additionalProperties: false },
);
export type AccountTransactionsQuery = Static<typeof AccountTransactionsQuerySchema>;

/** One transaction: the same shape as the overview's recent transactions. */
export const AccountTransactionSchema = RecentTransactionSchema;
export type AccountTransaction = Static<typeof AccountTransactionSchema>;

/** A page of an account's transactions, newest first; `nextCursor` is null on the last page. */
export const AccountTransactionPageSchema = Type.Object(
  {
    items: Type.Array(AccountTransactionSchema, { maxItems: 100 }),
    nextCursor: Type.Union([CursorSchema, Type.Null()]),
  },
  { $id: 'AccountTransactionPage', title: 'AccountTransactionPage', additionalProperties: false },
);
export type AccountTransactionPage = Static<typeof AccountTransactionPageSchema>;
