import { Type, type Static } from '@sinclair/typebox';
import { CurrencySchema, CursorSchema, IdSchema } from '@bartholomew/contracts-shared';
import { BankAccountTypeSchema, DepositAccountStatus, MaskedNumberSchema, literalUnion } from '@bartholomew/contracts-onboarding-process';
import { NextStepNameSchema, StaleMarkerSchema } from './onboarding';

/*
 * The banking screens of the mobile app. Amounts are integer cents in the account's currency;
 * the currency is said once per account, not on every amount.
 */

const TimestampSchema = Type.String({ format: 'date-time' });
const CentsSchema = Type.Integer({ description: 'Amount in cents' });

/** One account as the home screen lists it. */
export const AccountTileSchema = Type.Object(
  {
    id: IdSchema,
    /** Display name, e.g. `Checking`. */
    name: Type.String(),
    number: MaskedNumberSchema,
    balance: CentsSchema,
    available: CentsSchema,
    currency: CurrencySchema,
  },
  { additionalProperties: false },
);
export type AccountTile = Static<typeof AccountTileSchema>;

/**
 * The home screen: the customer's accounts, or — before there is an account — where their latest
 * application stands (to show its screen again after the app restarts).
 */
export const HomeSchema = Type.Object(
  {
    firstName: Type.Optional(Type.String()),
    accounts: Type.Array(AccountTileSchema),
    onboarding: Type.Optional(Type.Object({ id: IdSchema, next: NextStepNameSchema }, { additionalProperties: false })),
    stale: Type.Optional(StaleMarkerSchema),
  },
  { $id: 'Home', title: 'Home', additionalProperties: false },
);
export type Home = Static<typeof HomeSchema>;

/** A transaction line: signed cents (credits positive, debits negative). */
export const TransactionLineSchema = Type.Object(
  {
    id: IdSchema,
    amount: CentsSchema,
    label: Type.String(),
    postedAt: TimestampSchema,
  },
  { additionalProperties: false },
);
export type TransactionLine = Static<typeof TransactionLineSchema>;

/** Account detail: balances and one page of the account's transactions (its whole history), newest first. */
export const AccountDetailSchema = Type.Object(
  {
    id: IdSchema,
    name: Type.String(),
    number: MaskedNumberSchema,
    status: literalUnion(DepositAccountStatus),
    balance: CentsSchema,
    available: CentsSchema,
    currency: CurrencySchema,
    transactions: Type.Array(TransactionLineSchema),
    /** Pass as `cursor` for the next page; null on the last one. */
    nextCursor: Type.Union([CursorSchema, Type.Null()]),
    /** The transaction list could not be loaded this time (and none was seen before); balances are shown as last known. */
    transactionsUnavailable: Type.Optional(Type.Literal(true)),
    stale: Type.Optional(StaleMarkerSchema),
  },
  { $id: 'AccountDetail', title: 'AccountDetail', additionalProperties: false },
);
export type AccountDetail = Static<typeof AccountDetailSchema>;

export const AccountParamsSchema = Type.Object({ accountId: IdSchema }, { additionalProperties: false });
export type AccountParams = Static<typeof AccountParamsSchema>;

export const AccountDetailQuerySchema = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 10 })),
    cursor: Type.Optional(CursorSchema),
  },
  { additionalProperties: false },
);
export type AccountDetailQuery = Static<typeof AccountDetailQuerySchema>;

/** The billing screen: each account's plan and the (masked) bank account fees are taken from. */
export const BillingPlanSchema = Type.Object(
  {
    accountId: IdSchema,
    plan: Type.String({ description: 'Plan name, e.g. `Basic Checking`' }),
    monthlyFee: CentsSchema,
    currency: CurrencySchema,
    payFrom: Type.Union([
      Type.Object({ number: MaskedNumberSchema, type: BankAccountTypeSchema, verified: Type.Boolean() }, { additionalProperties: false }),
      Type.Null(),
    ]),
  },
  { additionalProperties: false },
);
export type BillingPlan = Static<typeof BillingPlanSchema>;

export const BillingSchema = Type.Object(
  { plans: Type.Array(BillingPlanSchema), stale: Type.Optional(StaleMarkerSchema) },
  { $id: 'Billing', title: 'Billing', additionalProperties: false },
);
export type Billing = Static<typeof BillingSchema>;
