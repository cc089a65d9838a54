import { CloneType, Type, type Static } from '@sinclair/typebox';
import { CursorSchema, IdSchema } from '@bartholomew/contracts-shared';
import {
  FundingAccountSchema,
  MaskedFundingAccountSchema,
  MaskedNumberSchema,
  OnboardingReasonSchema,
  OnboardingStatusSchema,
  OnboardingStepNameSchema,
  OnboardingStepStateSchema,
  OpeningDepositSchema,
  PendingCustomerActionSchema,
  ProductSelectionSchema,
} from '@bartholomew/contracts-onboarding-process';

/*
 * The web banking app's view of an application: everything the Process API says about it, with
 * labels and durations for the step timeline. Same Process API as the mobile app's — nothing
 * below this layer changed to serve it.
 */

const TimestampSchema = Type.String({ format: 'date-time' });

/** Marks an answer served from the last good copy while the Process API is unavailable. */
export const StaleMarkerSchema = Type.Literal(true, {
  description: 'Present only on a last-good answer served while the Process API is unavailable',
});

/** One step of the application, as the timeline widget draws it. */
export const TimelineEntrySchema = Type.Object(
  {
    step: OnboardingStepNameSchema,
    label: Type.String({ examples: ['Identity check'] }),
    state: OnboardingStepStateSchema,
    attempts: Type.Integer({ minimum: 0 }),
    startedAt: Type.Optional(TimestampSchema),
    finishedAt: Type.Optional(TimestampSchema),
    durationMs: Type.Optional(Type.Integer({ minimum: 0 })),
    outcome: Type.Optional(Type.String()),
    reason: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);
export type TimelineEntry = Static<typeof TimelineEntrySchema>;

/** The full application with its timeline. PII only masked, and masked as the overview masks it (the email too). */
export const ApplicationSchema = Type.Object(
  {
    id: IdSchema,
    status: OnboardingStatusSchema,
    statusLabel: Type.String({ examples: ['Waiting for you to confirm two small deposits'] }),
    applicant: Type.Object(
      {
        legalName: Type.String(),
        emailMasked: Type.String({ description: 'Masked as the overview masks it', examples: ['a•••@example.com'] }),
        email: Type.String({
          deprecated: true,
          description: 'Deprecated: read `emailMasked`. Masked too (a•••@example.com), never the full address',
          examples: ['a•••@example.com'],
        }),
        ssnLast4: Type.String({ pattern: '^\\d{4}$' }),
      },
      { additionalProperties: false },
    ),
    product: ProductSelectionSchema,
    fundingAccount: MaskedFundingAccountSchema,
    openingDeposit: Type.Optional(OpeningDepositSchema),
    result: Type.Optional(
      Type.Object(
        {
          customerId: Type.Optional(IdSchema),
          accountId: Type.Optional(IdSchema),
          accountNumberMasked: Type.Optional(MaskedNumberSchema),
          billingAccountId: Type.Optional(IdSchema),
        },
        { additionalProperties: false },
      ),
    ),
    reason: Type.Optional(OnboardingReasonSchema),
    pendingAction: Type.Optional(PendingCustomerActionSchema),
    timeline: Type.Array(TimelineEntrySchema),
    createdAt: TimestampSchema,
    updatedAt: TimestampSchema,
    stale: Type.Optional(StaleMarkerSchema),
  },
  { $id: 'Application', title: 'Application', additionalProperties: false },
);
export type Application = Static<typeof ApplicationSchema>;

export const ApplicationSummarySchema = Type.Object(
  {
    id: IdSchema,
    status: OnboardingStatusSchema,
    statusLabel: Type.String(),
    product: ProductSelectionSchema,
    createdAt: TimestampSchema,
    updatedAt: TimestampSchema,
  },
  { additionalProperties: false },
);
export type ApplicationSummary = Static<typeof ApplicationSummarySchema>;

export const ApplicationListSchema = Type.Object(
  {
    items: Type.Array(ApplicationSummarySchema),
    nextCursor: Type.Union([CursorSchema, Type.Null()]),
    stale: Type.Optional(StaleMarkerSchema),
  },
  { $id: 'ApplicationList', title: 'ApplicationList', additionalProperties: false },
);
export type ApplicationList = Static<typeof ApplicationListSchema>;

export const ApplicationListQuerySchema = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
    cursor: Type.Optional(CursorSchema),
  },
  { additionalProperties: false },
);
export type ApplicationListQuery = Static<typeof ApplicationListQuerySchema>;

/**
 * `POST /v1/accounts`: another account for a signed-in customer — only what is new: the product
 * and plan, the bank account that funds it, an opening deposit. Shapes are the Process API's own.
 */
export const AccountApplicationFormSchema = Type.Object(
  {
    product: CloneType(ProductSelectionSchema, {
      description: 'Which account to open and on which fee plan: a `productType` and one of its `plans` listed by `GET /v1/products`',
    }),
    fundingAccount: FundingAccountSchema,
    openingDeposit: Type.Optional(
      CloneType(OpeningDepositSchema, { description: 'Within the `openingDeposit` bounds `GET /v1/products` lists for the product' }),
    ),
  },
  { $id: 'AccountApplicationForm', title: 'AccountApplicationForm', additionalProperties: false },
);
export type AccountApplicationForm = Static<typeof AccountApplicationFormSchema>;

export const ApplicationParamsSchema = Type.Object({ id: IdSchema }, { additionalProperties: false });
export type ApplicationParams = Static<typeof ApplicationParamsSchema>;
