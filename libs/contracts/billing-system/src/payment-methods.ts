import { Type, type Static } from '@sinclair/typebox';
import { IdSchema } from '@bartholomew/contracts-shared';
import { ref as schemaRef } from '@bartholomew/contracts-shared';

export const BankAccountType = { checking: 'checking', savings: 'savings' } as const;
export type BankAccountType = (typeof BankAccountType)[keyof typeof BankAccountType];

/** `unverified` until the verification outcome is recorded; `verified` and `failed` are final. */
export const PaymentMethodStatus = { unverified: 'unverified', verified: 'verified', failed: 'failed' } as const;
export type PaymentMethodStatus = (typeof PaymentMethodStatus)[keyof typeof PaymentMethodStatus];

export const VerificationOutcome = { verified: 'verified', failed: 'failed' } as const;
export type VerificationOutcome = (typeof VerificationOutcome)[keyof typeof VerificationOutcome];

const TimestampSchema = Type.String({ format: 'date-time' });

const BankAccountTypeSchema = Type.Union([Type.Literal(BankAccountType.checking), Type.Literal(BankAccountType.savings)]);

/** Nine digits; the server also checks the ABA checksum (INVALID_ROUTING_NUMBER). */
export const RoutingNumberSchema = Type.String({ pattern: '^[0-9]{9}$', examples: ['021000021'] });

/**
 * An ACH payment method on a billing account. The bank account number is never sent back:
 * only its last four digits.
 */
export const PaymentMethodSchema = Type.Object(
  {
    paymentMethodId: IdSchema,
    billingAccountId: IdSchema,
    routingNumber: RoutingNumberSchema,
    accountNumberMasked: Type.String({ description: 'Last four digits of the bank account number', examples: ['•••6789'] }),
    accountType: BankAccountTypeSchema,
    holderName: Type.String(),
    status: Type.Union([
      Type.Literal(PaymentMethodStatus.unverified),
      Type.Literal(PaymentMethodStatus.verified),
      Type.Literal(PaymentMethodStatus.failed),
    ]),
    verificationReason: Type.Optional(Type.String()),
    verificationRecordedAt: Type.Optional(TimestampSchema),
    createdAt: TimestampSchema,
  },
  { $id: 'PaymentMethod', additionalProperties: false },
);
export type PaymentMethod = Static<typeof PaymentMethodSchema>;

export const PaymentMethodListSchema = Type.Object(
  { items: Type.Array(schemaRef(PaymentMethodSchema)) },
  { $id: 'PaymentMethodList', additionalProperties: false },
);
export type PaymentMethodList = Static<typeof PaymentMethodListSchema>;

export const AddPaymentMethodRequestSchema = Type.Object(
  {
    routingNumber: RoutingNumberSchema,
    accountNumber: Type.String({ pattern: '^[0-9]{4,17}$', description: 'Bank account number, 4–17 digits; stored encrypted' }),
    accountType: BankAccountTypeSchema,
    holderName: Type.String({ minLength: 1, maxLength: 140, pattern: '\\S' }),
  },
  { $id: 'AddPaymentMethodRequest', additionalProperties: false },
);
export type AddPaymentMethodRequest = Static<typeof AddPaymentMethodRequestSchema>;

export const RecordVerificationRequestSchema = Type.Object(
  {
    outcome: Type.Union([Type.Literal(VerificationOutcome.verified), Type.Literal(VerificationOutcome.failed)]),
    reason: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  },
  { $id: 'RecordVerificationRequest', additionalProperties: false },
);
export type RecordVerificationRequest = Static<typeof RecordVerificationRequestSchema>;

export const PaymentMethodParamsSchema = Type.Object({ billingAccountId: IdSchema, paymentMethodId: IdSchema });
export type PaymentMethodParams = Static<typeof PaymentMethodParamsSchema>;
