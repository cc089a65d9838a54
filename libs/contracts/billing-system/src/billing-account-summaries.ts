import { Type, type Static } from '@sinclair/typebox';
import { ref as schemaRef } from '@bartholomew/contracts-shared';
import { BillingAccountSchema } from './billing-accounts';
import { PaymentMethodSchema } from './payment-methods';

/**
 * One of a customer's billing accounts with its payment methods: what a customer overview shows
 * of it, in one answer instead of a payment-methods call per billing account.
 */
export const BillingAccountSummarySchema = Type.Object(
  {
    billingAccount: schemaRef(BillingAccountSchema),
    paymentMethods: Type.Array(schemaRef(PaymentMethodSchema), { description: 'Oldest first, as GET …/payment-methods lists them' }),
  },
  { $id: 'BillingAccountSummary', additionalProperties: false },
);
export type BillingAccountSummary = Static<typeof BillingAccountSummarySchema>;

export const BillingAccountSummaryListSchema = Type.Object(
  { items: Type.Array(schemaRef(BillingAccountSummarySchema)) },
  { $id: 'BillingAccountSummaryList', additionalProperties: false },
);
export type BillingAccountSummaryList = Static<typeof BillingAccountSummaryListSchema>;
