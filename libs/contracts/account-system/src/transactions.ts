import { Type, type Static } from '@sinclair/typebox';
import { CalendarDateSchema, CurrencySchema, CursorSchema, IdSchema, MoneySchema, PageQuerySchema, ref } from '@bartholomew/contracts-shared';

export const TransactionDirection = { credit: 'credit', debit: 'debit' } as const;
export type TransactionDirection = (typeof TransactionDirection)[keyof typeof TransactionDirection];

export const TransactionDirectionSchema = Type.Union([Type.Literal(TransactionDirection.credit), Type.Literal(TransactionDirection.debit)]);

/** Largest single posting: 1 billion dollars, far below where balance sums lose integer precision. */
export const MAX_POSTING_AMOUNT_MINOR = 100_000_000_000;

/** The amount of one posting: strictly positive; the direction says which way it moves money. */
export const PostingAmountSchema = Type.Object(
  {
    amountMinor: Type.Integer({ minimum: 1, maximum: MAX_POSTING_AMOUNT_MINOR, description: 'Amount in minor units (cents), > 0' }),
    currency: CurrencySchema,
  },
  { additionalProperties: false },
);

export const PostTransactionRequestSchema = Type.Object(
  {
    direction: TransactionDirectionSchema,
    amount: PostingAmountSchema,
    description: Type.String({ minLength: 1, maxLength: 140, pattern: '\\S' }),
    reference: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_.:/-]{1,64}$', description: "The caller's own reference, e.g. an onboarding id" })),
  },
  { $id: 'PostTransactionRequest', title: 'PostTransactionRequest', additionalProperties: false },
);
export type PostTransactionRequest = Static<typeof PostTransactionRequestSchema>;

/** One posted transaction and the ledger balance right after it. */
export const TransactionSchema = Type.Object(
  {
    transactionId: IdSchema,
    accountId: IdSchema,
    direction: TransactionDirectionSchema,
    amount: MoneySchema,
    description: Type.String(),
    reference: Type.Optional(Type.String()),
    balanceAfter: MoneySchema,
    postedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'Transaction', title: 'Transaction', additionalProperties: false },
);
export type Transaction = Static<typeof TransactionSchema>;

/** A page of transactions, newest first; `nextCursor` is null on the last page. */
export const TransactionPageSchema = Type.Object(
  {
    items: Type.Array(ref(TransactionSchema)),
    nextCursor: Type.Union([CursorSchema, Type.Null()]),
  },
  { $id: 'TransactionPage', title: 'TransactionPage', additionalProperties: false },
);
export type TransactionPage = Static<typeof TransactionPageSchema>;

/**
 * `limit` (1–100, default 20), the opaque `cursor` of the previous page, and an optional date
 * filter: `from` and `to` are calendar days read in UTC, both inclusive (`to=2026-01-31` takes
 * postings up to 2026-01-31T23:59:59.999Z). `from` after `to` is refused (400 INVALID_DATE_RANGE).
 * A cursor is valid only with the filter it was issued for (another filter: 400 INVALID_CURSOR).
 */
export const TransactionPageQuerySchema = Type.Object(
  {
    ...PageQuerySchema.properties,
    from: Type.Optional(CalendarDateSchema),
    to: Type.Optional(CalendarDateSchema),
  },
  { additionalProperties: false },
);
export type TransactionPageQuery = Static<typeof TransactionPageQuerySchema>;
