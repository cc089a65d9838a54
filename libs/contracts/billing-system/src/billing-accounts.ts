import { Type, type Static } from '@sinclair/typebox';
import { IdSchema } from '@bartholomew/contracts-shared';
import { PlanCodeSchema } from './fee-plans';
import { ref as schemaRef } from '@bartholomew/contracts-shared';

export const BillingAccountStatus = { open: 'open', closed: 'closed' } as const;
export type BillingAccountStatus = (typeof BillingAccountStatus)[keyof typeof BillingAccountStatus];

const TimestampSchema = Type.String({ format: 'date-time' });

/** The deposit account (account System API id) whose fees this billing account collects. */
const DepositAccountIdSchema = Type.String({
  ...IdSchema,
  description: 'The deposit account being billed',
});

/**
 * A customer's billing profile for one deposit account: which fee plan applies and whether it is
 * still open. `customerId` and `accountId` are the account System API's ids, opaque here.
 */
export const BillingAccountSchema = Type.Object(
  {
    billingAccountId: IdSchema,
    customerId: IdSchema,
    accountId: DepositAccountIdSchema,
    planCode: PlanCodeSchema,
    status: Type.Union([Type.Literal(BillingAccountStatus.open), Type.Literal(BillingAccountStatus.closed)]),
    openedAt: TimestampSchema,
    updatedAt: TimestampSchema,
    closedAt: Type.Optional(TimestampSchema),
  },
  { $id: 'BillingAccount', additionalProperties: false },
);
export type BillingAccount = Static<typeof BillingAccountSchema>;

export const BillingAccountListSchema = Type.Object(
  { items: Type.Array(schemaRef(BillingAccountSchema)) },
  { $id: 'BillingAccountList', additionalProperties: false },
);
export type BillingAccountList = Static<typeof BillingAccountListSchema>;

export const OpenBillingAccountRequestSchema = Type.Object(
  {
    customerId: IdSchema,
    accountId: DepositAccountIdSchema,
    planCode: PlanCodeSchema,
  },
  { $id: 'OpenBillingAccountRequest', additionalProperties: false },
);
export type OpenBillingAccountRequest = Static<typeof OpenBillingAccountRequestSchema>;

export const ChangeFeePlanRequestSchema = Type.Object({ planCode: PlanCodeSchema }, { $id: 'ChangeFeePlanRequest', additionalProperties: false });
export type ChangeFeePlanRequest = Static<typeof ChangeFeePlanRequestSchema>;

export const BillingAccountParamsSchema = Type.Object({
  billingAccountId: IdSchema,
});
export type BillingAccountParams = Static<typeof BillingAccountParamsSchema>;

export const BillingAccountsByCustomerQuerySchema = Type.Object({ customerId: IdSchema }, { additionalProperties: false });
export type BillingAccountsByCustomerQuery = Static<typeof BillingAccountsByCustomerQuerySchema>;
