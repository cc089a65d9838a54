import type { TSchema } from '@sinclair/typebox';
import { AccountSummaryListSchema, AccountSummarySchema, CustomerRelationshipSchema } from './account-summaries';
import { AccountBalanceSchema, AccountListSchema, AccountSchema, ChangeAccountStatusRequestSchema, OpenAccountRequestSchema } from './accounts';
import { CreateCustomerRequestSchema, CustomerSchema, CustomerSearchRequestSchema, CustomerSearchResultSchema } from './customers';
import { PostTransactionRequestSchema, TransactionPageSchema, TransactionSchema } from './transactions';

export * from './account-summaries';
export * from './accounts';
export * from './customers';
export * from './problem-codes';
export { ref } from '@bartholomew/contracts-shared';
export * from './transactions';

/**
 * Every schema of this contract that has an `$id`: the server registers them (routes use `ref`),
 * the client gives them to its response validator.
 */
export const accountSystemSchemas: readonly TSchema[] = [
  CreateCustomerRequestSchema,
  CustomerSchema,
  CustomerSearchRequestSchema,
  CustomerSearchResultSchema,
  OpenAccountRequestSchema,
  AccountSchema,
  AccountListSchema,
  ChangeAccountStatusRequestSchema,
  AccountBalanceSchema,
  PostTransactionRequestSchema,
  TransactionSchema,
  TransactionPageSchema,
  AccountSummarySchema,
  AccountSummaryListSchema,
  CustomerRelationshipSchema,
];
