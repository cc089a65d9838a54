import { BillingAccountSummaryListSchema, BillingAccountSummarySchema } from './billing-account-summaries';
import { BillingAccountListSchema, BillingAccountSchema, ChangeFeePlanRequestSchema, OpenBillingAccountRequestSchema } from './billing-accounts';
import { FeePlanListSchema, FeePlanSchema } from './fee-plans';
import { AddPaymentMethodRequestSchema, PaymentMethodListSchema, PaymentMethodSchema, RecordVerificationRequestSchema } from './payment-methods';

export * from './billing-account-summaries';
export * from './billing-accounts';
export * from './fee-plans';
export * from './payment-methods';
export * from './problem-codes';
export { ref as schemaRef } from '@bartholomew/contracts-shared';

/**
 * Every named (`$id`) schema of the contract: the server registers them with the platform, the
 * client gives them to its response validator, so `$ref`s resolve on both sides.
 */
export const billingSystemSchemas = [
  FeePlanSchema,
  FeePlanListSchema,
  BillingAccountSchema,
  BillingAccountListSchema,
  OpenBillingAccountRequestSchema,
  ChangeFeePlanRequestSchema,
  PaymentMethodSchema,
  PaymentMethodListSchema,
  AddPaymentMethodRequestSchema,
  RecordVerificationRequestSchema,
  BillingAccountSummarySchema,
  BillingAccountSummaryListSchema,
] as const;
