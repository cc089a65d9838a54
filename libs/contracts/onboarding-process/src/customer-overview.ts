import { Type, type Static } from '@sinclair/typebox';
import { CurrencySchema, CursorSchema, IdSchema, MoneySchema, ref } from '@bartholomew/contracts-shared';
import { literalUnion } from './literal-union';
import {
  BankAccountTypeSchema,
  MaskedNumberSchema,
  PhoneSchema,
  PlanCodeSchema,
  ProductTypeSchema,
  RoutingNumberSchema,
  UsAddressSchema,
} from './onboarding';

/*
 * `GET /v1/customers/{customerId}/overview` — the read side the Experience APIs use: one customer's
 * profile, deposit accounts, billing and payment method, composed by the Process API from both
 * System APIs. These shapes are the Process API's own, not copies of the System API contracts, so a
 * System API can change (or be swapped for another backend) without changing what clients see.
 */

const TimestampSchema = Type.String({ format: 'date-time' });

export const DepositAccountStatus = {
  active: 'active',
  frozen: 'frozen',
  closed: 'closed',
} as const;
export type DepositAccountStatus = (typeof DepositAccountStatus)[keyof typeof DepositAccountStatus];

export const TransactionDirection = {
  credit: 'credit',
  debit: 'debit',
} as const;
export type TransactionDirection = (typeof TransactionDirection)[keyof typeof TransactionDirection];

export const BillingAccountStatus = { open: 'open', closed: 'closed' } as const;
export type BillingAccountStatus = (typeof BillingAccountStatus)[keyof typeof BillingAccountStatus];

export const PaymentMethodStatus = {
  unverified: 'unverified',
  verified: 'verified',
  failed: 'failed',
} as const;
export type PaymentMethodStatus = (typeof PaymentMethodStatus)[keyof typeof PaymentMethodStatus];

/**
 * Parts of the overview that can be missing because the System API behind them did not answer in
 * time: the rest of the overview is still served, and this list says what is missing (a failing
 * backend degrades one feature, never the whole answer).
 */
export const OverviewSection = {
  billing: 'billing',
  recent_transactions: 'recent_transactions',
} as const;
export type OverviewSection = (typeof OverviewSection)[keyof typeof OverviewSection];

/** The customer as they may see themselves: the SSN only as its last four digits. */
export const CustomerProfileSchema = Type.Object(
  {
    customerId: IdSchema,
    legalName: Type.String(),
    email: Type.String(),
    phone: PhoneSchema,
    address: UsAddressSchema,
    ssnLast4: Type.String({ pattern: '^\\d{4}$' }),
    customerSince: TimestampSchema,
  },
  { additionalProperties: false },
);
export type CustomerProfile = Static<typeof CustomerProfileSchema>;

export const RecentTransactionSchema = Type.Object(
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
export type RecentTransaction = Static<typeof RecentTransactionSchema>;

/**
 * One deposit account with its balances and latest transactions (newest first).
 * `availableBalance` is what may be withdrawn now (zero for a frozen or closed account).
 */
export const DepositAccountOverviewSchema = Type.Object(
  {
    accountId: IdSchema,
    accountNumberMasked: MaskedNumberSchema,
    productType: ProductTypeSchema,
    currency: CurrencySchema,
    status: literalUnion(DepositAccountStatus),
    openedAt: TimestampSchema,
    ledgerBalance: MoneySchema,
    availableBalance: MoneySchema,
    balanceAsOf: TimestampSchema,
    recentTransactions: Type.Array(RecentTransactionSchema, { maxItems: 50 }),
  },
  { additionalProperties: false },
);
export type DepositAccountOverview = Static<typeof DepositAccountOverviewSchema>;

export const FeePlanSummarySchema = Type.Object(
  {
    planCode: PlanCodeSchema,
    name: Type.String(),
    monthlyFee: MoneySchema,
  },
  { additionalProperties: false },
);
export type FeePlanSummary = Static<typeof FeePlanSummarySchema>;

/** The ACH payment method fees are collected from; the bank account number only masked. */
export const MaskedPaymentMethodSchema = Type.Object(
  {
    paymentMethodId: IdSchema,
    routingNumber: RoutingNumberSchema,
    accountNumberMasked: MaskedNumberSchema,
    accountType: BankAccountTypeSchema,
    status: literalUnion(PaymentMethodStatus),
  },
  { additionalProperties: false },
);
export type MaskedPaymentMethod = Static<typeof MaskedPaymentMethodSchema>;

/** A billing account of the customer: which deposit account it bills, its plan and payment method. */
export const BillingOverviewSchema = Type.Object(
  {
    billingAccountId: IdSchema,
    accountId: IdSchema,
    status: literalUnion(BillingAccountStatus),
    plan: FeePlanSummarySchema,
    paymentMethod: Type.Union([MaskedPaymentMethodSchema, Type.Null()]),
  },
  { additionalProperties: false },
);
export type BillingOverview = Static<typeof BillingOverviewSchema>;

export const CustomerOverviewSchema = Type.Object(
  {
    customer: CustomerProfileSchema,
    accounts: Type.Array(DepositAccountOverviewSchema),
    billingAccounts: Type.Array(BillingOverviewSchema, {
      description: 'Empty when the customer has no billing account yet, or when `billing` is listed in `unavailable`',
    }),
    unavailable: Type.Array(literalUnion(OverviewSection), {
      uniqueItems: true,
    }),
    asOf: TimestampSchema,
  },
  {
    $id: 'CustomerOverview',
    title: 'CustomerOverview',
    additionalProperties: false,
  },
);
export type CustomerOverview = Static<typeof CustomerOverviewSchema>;

export const CustomerParamsSchema = Type.Object({ customerId: IdSchema }, { additionalProperties: false });
export type CustomerParams = Static<typeof CustomerParamsSchema>;

/** Most customers one page of `GET /v1/customers` holds: each is a full overview, composed from both System APIs. */
export const CUSTOMER_PAGE_MAX = 20;

/**
 * `GET /v1/customers`: the end user's own customers (the end user named in `x-end-user-subject`),
 * `limit` (1–20, default 10) per page and the opaque `cursor` of the previous page.
 */
export const ListCustomersQuerySchema = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: CUSTOMER_PAGE_MAX, default: 10 })),
    cursor: Type.Optional(CursorSchema),
  },
  { additionalProperties: false },
);
export type ListCustomersQuery = Static<typeof ListCustomersQuerySchema>;

/**
 * A page of the end user's customers, newest customer first, each as its whole overview — what a
 * home screen needs in one call. `nextCursor` is null on the last page.
 */
export const CustomerListSchema = Type.Object(
  {
    items: Type.Array(ref(CustomerOverviewSchema), {
      maxItems: CUSTOMER_PAGE_MAX,
    }),
    nextCursor: Type.Union([CursorSchema, Type.Null()]),
  },
  {
    $id: 'CustomerList',
    title: 'CustomerList',
    additionalProperties: false,
  },
);
export type CustomerList = Static<typeof CustomerListSchema>;
