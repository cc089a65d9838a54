import { Type, type Static } from '@sinclair/typebox';
import { CurrencySchema, IdSchema, MoneySchema, ref } from '@bartholomew/contracts-shared';

export const ProductType = { checking: 'checking', savings: 'savings' } as const;
export type ProductType = (typeof ProductType)[keyof typeof ProductType];

/** active: normal; frozen: credits only (e.g. fraud review); closed: final, nothing posts. */
export const AccountStatus = { active: 'active', frozen: 'frozen', closed: 'closed' } as const;
export type AccountStatus = (typeof AccountStatus)[keyof typeof AccountStatus];

export const ProductTypeSchema = Type.Union([Type.Literal(ProductType.checking), Type.Literal(ProductType.savings)]);
export const AccountStatusSchema = Type.Union([
  Type.Literal(AccountStatus.active),
  Type.Literal(AccountStatus.frozen),
  Type.Literal(AccountStatus.closed),
]);

/** The only currency accounts are opened in today; the contract widens when the bank does. */
export const AccountCurrencySchema = Type.Literal('USD');

export const OpenAccountRequestSchema = Type.Object(
  {
    customerId: IdSchema,
    productType: ProductTypeSchema,
    currency: AccountCurrencySchema,
  },
  { $id: 'OpenAccountRequest', title: 'OpenAccountRequest', additionalProperties: false },
);
export type OpenAccountRequest = Static<typeof OpenAccountRequestSchema>;

/**
 * A deposit account. The full account number never leaves core banking through this API:
 * `accountNumberMasked` shows its last four digits.
 */
export const AccountSchema = Type.Object(
  {
    accountId: IdSchema,
    customerId: IdSchema,
    accountNumberMasked: Type.String({ pattern: '^\u2022{3}[0-9]{4}$', examples: ['\u2022\u2022\u20224821'] }),
    productType: ProductTypeSchema,
    currency: CurrencySchema,
    status: AccountStatusSchema,
    openedAt: Type.String({ format: 'date-time' }),
    statusChangedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'Account', title: 'Account', additionalProperties: false },
);
export type Account = Static<typeof AccountSchema>;

export const AccountListSchema = Type.Object(
  { items: Type.Array(ref(AccountSchema)) },
  { $id: 'AccountList', title: 'AccountList', additionalProperties: false },
);
export type AccountList = Static<typeof AccountListSchema>;

export const ChangeAccountStatusRequestSchema = Type.Object(
  {
    status: AccountStatusSchema,
    reason: Type.String({ minLength: 1, maxLength: 500, pattern: '\\S', description: 'Kept in the status history' }),
  },
  { $id: 'ChangeAccountStatusRequest', title: 'ChangeAccountStatusRequest', additionalProperties: false },
);
export type ChangeAccountStatusRequest = Static<typeof ChangeAccountStatusRequestSchema>;

/**
 * `ledgerBalance` is the sum of posted transactions. `availableBalance` is what may be withdrawn
 * now: the ledger balance for an active account, zero for a frozen or closed one.
 */
export const AccountBalanceSchema = Type.Object(
  {
    accountId: IdSchema,
    ledgerBalance: MoneySchema,
    availableBalance: MoneySchema,
    asOf: Type.String({ format: 'date-time' }),
  },
  { $id: 'AccountBalance', title: 'AccountBalance', additionalProperties: false },
);
export type AccountBalance = Static<typeof AccountBalanceSchema>;

export const AccountParamsSchema = Type.Object({ accountId: IdSchema }, { additionalProperties: false });
export type AccountParams = Static<typeof AccountParamsSchema>;
