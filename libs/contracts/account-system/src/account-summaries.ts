import { Type, type Static } from '@sinclair/typebox';
import { ref } from '@bartholomew/contracts-shared';
import { AccountBalanceSchema, AccountSchema } from './accounts';
import { CustomerSchema } from './customers';
import { TransactionSchema } from './transactions';

/** How many of an account's latest transactions a summary carries: 0 to 20, default 5. */
export const AccountSummaryQuerySchema = Type.Object(
  {
    recentTransactions: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 20, default: 5, description: 'How many of each account’s latest transactions to include (0–20)' }),
    ),
  },
  { additionalProperties: false },
);
export type AccountSummaryQuery = Static<typeof AccountSummaryQuerySchema>;

/**
 * One of a customer's accounts with its balance and latest transactions: what a customer's
 * overview shows of it, in one answer instead of a balance and a history call per account.
 */
export const AccountSummarySchema = Type.Object(
  {
    account: ref(AccountSchema),
    balance: ref(AccountBalanceSchema),
    recentTransactions: Type.Optional(
      Type.Array(ref(TransactionSchema), {
        description: 'Newest first. Absent when core banking could not list them just now (the account and its balance are still current).',
      }),
    ),
  },
  { $id: 'AccountSummary', title: 'AccountSummary', additionalProperties: false },
);
export type AccountSummary = Static<typeof AccountSummarySchema>;

export const AccountSummaryListSchema = Type.Object(
  { items: Type.Array(ref(AccountSummarySchema)) },
  { $id: 'AccountSummaryList', title: 'AccountSummaryList', additionalProperties: false },
);
export type AccountSummaryList = Static<typeof AccountSummaryListSchema>;

/**
 * The customer and every account they hold, each as its summary: core banking's whole part of a
 * customer overview in one answer, instead of a customer call and an account-summaries call.
 */
export const CustomerRelationshipSchema = Type.Object(
  {
    customer: ref(CustomerSchema),
    accounts: Type.Array(ref(AccountSummarySchema), { description: 'Oldest account first; closed accounts included' }),
  },
  { $id: 'CustomerRelationship', title: 'CustomerRelationship', additionalProperties: false },
);
export type CustomerRelationship = Static<typeof CustomerRelationshipSchema>;
