import { Type, type Static } from '@sinclair/typebox';
import { CursorSchema, IdSchema, MoneySchema } from '@bartholomew/contracts-shared';
import {
  BillingAccountStatus,
  DepositAccountStatus,
  FeePlanSummarySchema,
  MaskedPaymentMethodSchema,
  OverviewSection,
  ProductTypeSchema,
  TransactionDirection,
  literalUnion,
} from '@bartholomew/contracts-onboarding-process';
import { StaleMarkerSchema } from './onboarding';

/*
 * Web banking: the customer overview and an account's transactions, from the Process API's
 * customer overview and its account transaction listing. The Process API's "read at" timestamps are left out on purpose: they
 * change on every read, so the browser could never revalidate an unchanged overview (304).
 */

const TimestampSchema = Type.String({ format: 'date-time' });

/** The customer as web banking shows them: contact details partly masked, the SSN as its last four digits. */
export const MaskedProfileSchema = Type.Object(
  {
    customerId: IdSchema,
    legalName: Type.String(),
    emailMasked: Type.String({ examples: ['a•••@example.com'] }),
    phoneMasked: Type.String({ examples: ['•••0123'] }),
    address: Type.Object(
      { city: Type.String(), state: Type.String(), postalCode: Type.String() },
      { additionalProperties: false, description: 'Street lines are left out of the overview' },
    ),
    ssnLast4: Type.String({ pattern: '^\\d{4}$' }),
    customerSince: TimestampSchema,
  },
  { additionalProperties: false },
);
export type MaskedProfile = Static<typeof MaskedProfileSchema>;

export const AccountBalancesSchema = Type.Object(
  {
    accountId: IdSchema,
    accountNumberMasked: Type.String(),
    productType: ProductTypeSchema,
    status: literalUnion(DepositAccountStatus),
    openedAt: TimestampSchema,
    ledgerBalance: MoneySchema,
    availableBalance: MoneySchema,
  },
  { additionalProperties: false },
);
export type AccountBalances = Static<typeof AccountBalancesSchema>;

export const BillingAccountViewSchema = Type.Object(
  {
    billingAccountId: IdSchema,
    accountId: IdSchema,
    status: literalUnion(BillingAccountStatus),
    plan: FeePlanSummarySchema,
    /** The Process API reports one payment method per billing account (the verified one, else the newest). */
    paymentMethods: Type.Array(MaskedPaymentMethodSchema),
  },
  { additionalProperties: false },
);
export type BillingAccountView = Static<typeof BillingAccountViewSchema>;

export const CustomerOverviewViewSchema = Type.Object(
  {
    profile: MaskedProfileSchema,
    accounts: Type.Array(AccountBalancesSchema),
    billingAccounts: Type.Array(BillingAccountViewSchema),
    /** Sections the bank's systems could not load this time (shown as "temporarily unavailable"). */
    unavailable: Type.Array(literalUnion(OverviewSection), { uniqueItems: true }),
    stale: Type.Optional(StaleMarkerSchema),
  },
  { $id: 'CustomerOverviewView', title: 'CustomerOverviewView', additionalProperties: false },
);
export type CustomerOverviewView = Static<typeof CustomerOverviewViewSchema>;

export const TransactionViewSchema = Type.Object(
  {
    transactionId: IdSchema,
    direction: literalUnion(TransactionDirection),
    amount: MoneySchema,
    description: Type.String(),
    balanceAfter: MoneySchema,
    postedAt: TimestampSchema,
  },
  { additionalProperties: false },
);
export type TransactionView = Static<typeof TransactionViewSchema>;

/**
 * One page of an account's transactions, newest first, within the date filter. Paged and filtered
 * by the bank's systems over the account's whole history; `nextCursor` is null on the last page.
 */
export const TransactionPageViewSchema = Type.Object(
  {
    accountId: IdSchema,
    items: Type.Array(TransactionViewSchema),
    nextCursor: Type.Union([CursorSchema, Type.Null()]),
    stale: Type.Optional(StaleMarkerSchema),
  },
  { $id: 'TransactionPageView', title: 'TransactionPageView', additionalProperties: false },
);
export type TransactionPageView = Static<typeof TransactionPageViewSchema>;

const DateSchema = Type.String({ format: 'date', description: 'A calendar day (UTC), inclusive' });

export const TransactionQuerySchema = Type.Object(
  {
    from: Type.Optional(DateSchema),
    to: Type.Optional(DateSchema),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 25 })),
    cursor: Type.Optional(CursorSchema),
  },
  { additionalProperties: false },
);
export type TransactionQuery = Static<typeof TransactionQuerySchema>;

export const AccountParamsSchema = Type.Object({ accountId: IdSchema }, { additionalProperties: false });
export type AccountParams = Static<typeof AccountParamsSchema>;
