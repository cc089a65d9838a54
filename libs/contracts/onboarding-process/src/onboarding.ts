import { Type, type Static } from '@sinclair/typebox';
import { CursorSchema, IdSchema, PageQuerySchema, ref } from '@bartholomew/contracts-shared';
import { literalUnion } from './literal-union';

// ---------------------------------------------------------------------------------------------
// Names. `as const` objects, not enums: each is the one list its schema and type are built from.
// ---------------------------------------------------------------------------------------------

/**
 * Where an onboarding stands.
 * - `pending`: accepted and persisted, no step started yet;
 * - `in_progress`: a step is running or will be retried;
 * - `awaiting_customer`: waiting for the applicant (micro-deposit amounts);
 * - `in_review`: KYC asked for a person to decide (operator review);
 * - `completed`: customer, account and billing are in place (final);
 * - `rejected`: KYC or ACH verification said no; no account was opened (final);
 * - `failed`: a step failed for good; what was already done has been compensated (final).
 */
export const OnboardingStatus = {
  pending: 'pending',
  in_progress: 'in_progress',
  awaiting_customer: 'awaiting_customer',
  in_review: 'in_review',
  completed: 'completed',
  rejected: 'rejected',
  failed: 'failed',
} as const;
export type OnboardingStatus = (typeof OnboardingStatus)[keyof typeof OnboardingStatus];

/** The steps of an onboarding, in the order they run. */
export const OnboardingStepName = {
  kyc: 'kyc',
  ach_verification: 'ach_verification',
  open_account: 'open_account',
  billing_setup: 'billing_setup',
  opening_deposit: 'opening_deposit',
  welcome_email: 'welcome_email',
} as const;
export type OnboardingStepName = (typeof OnboardingStepName)[keyof typeof OnboardingStepName];

/**
 * The state of one step. `waiting`: the step is blocked on someone outside the process (the
 * applicant's micro-deposit confirmation, an operator's review); `skipped`: not needed (e.g. no
 * opening deposit was requested).
 */
export const OnboardingStepState = {
  pending: 'pending',
  running: 'running',
  succeeded: 'succeeded',
  failed: 'failed',
  skipped: 'skipped',
  waiting: 'waiting',
} as const;
export type OnboardingStepState = (typeof OnboardingStepState)[keyof typeof OnboardingStepState];

export const ProductType = {
  checking: 'checking',
  savings: 'savings',
} as const;
export type ProductType = (typeof ProductType)[keyof typeof ProductType];

export const BankAccountType = {
  checking: 'checking',
  savings: 'savings',
} as const;
export type BankAccountType = (typeof BankAccountType)[keyof typeof BankAccountType];

export const ReviewDecision = { approve: 'approve', reject: 'reject' } as const;
export type ReviewDecision = (typeof ReviewDecision)[keyof typeof ReviewDecision];

/** What the applicant is asked to do while the onboarding is `awaiting_customer`. */
export const CustomerAction = {
  confirm_micro_deposits: 'confirm_micro_deposits',
} as const;
export type CustomerAction = (typeof CustomerAction)[keyof typeof CustomerAction];

export const OnboardingStatusSchema = literalUnion(OnboardingStatus);
export const OnboardingStepNameSchema = literalUnion(OnboardingStepName);
export const OnboardingStepStateSchema = literalUnion(OnboardingStepState);
export const ProductTypeSchema = literalUnion(ProductType);
export const BankAccountTypeSchema = literalUnion(BankAccountType);

// ---------------------------------------------------------------------------------------------
// Primitives (embedded, no `$id`).
// ---------------------------------------------------------------------------------------------

const TimestampSchema = Type.String({ format: 'date-time' });

/** A non-blank line of text: at least one non-space character. */
const text = (maxLength: number) => Type.String({ minLength: 1, maxLength, pattern: '\\S' });

/** A US Social Security number, dashed or as nine digits. Write-only: answers carry `ssnLast4`. */
export const SsnSchema = Type.String({
  pattern: '^\\d{3}-?\\d{2}-?\\d{4}$',
  description:
    'SSN as ddd-dd-dddd or nine digits. Refused on arrival (422 APPLICATION_FIELDS_INVALID) when the SSA never issues it ' +
    '(area 000, 666, 900–999; group 00; serial 0000) or voided it (078-05-1120, 219-09-9999, 123-45-6789)',
  writeOnly: true,
  examples: ['234-56-7890'],
});

/** E.164: a plus, a country code that does not start with 0, 8–15 digits in all. */
export const PhoneSchema = Type.String({
  pattern: '^\\+[1-9]\\d{7,14}$',
  examples: ['+12125550123'],
});

/** A fee plan's code, as the billing catalogue names it (lower-case words joined by dashes). */
export const PlanCodeSchema = Type.String({
  pattern: '^[a-z0-9]+(-[a-z0-9]+)*$',
  maxLength: 64,
  examples: ['basic-checking'],
});

/**
 * Nine digits. The schema checks the shape; the ABA check digit and the Federal Reserve routing
 * symbol are checked when an application arrives (422 APPLICATION_FIELDS_INVALID naming the field).
 */
export const RoutingNumberSchema = Type.String({
  pattern: '^\\d{9}$',
  description: 'ABA routing number: nine digits, a Federal Reserve routing symbol of a bank (01–12, 21–32, 61–72, 80) and the ABA check digit',
  examples: ['011000015'],
});

/** Four digits of a masked number, as `maskLastFour` renders them: `•••6789`. */
export const MaskedNumberSchema = Type.String({
  pattern: '^\u2022{3}\\d{4}$',
  examples: ['\u2022\u2022\u20226789'],
});

/** A US postal address. */
export const UsAddressSchema = Type.Object(
  {
    line1: text(100),
    line2: Type.Optional(text(100)),
    city: text(60),
    state: Type.String({
      pattern: '^[A-Z]{2}$',
      description: 'USPS two-letter state code',
      examples: ['NY'],
    }),
    postalCode: Type.String({
      pattern: '^\\d{5}(?:-?\\d{4})?$',
      description: 'ZIP (5 digits) or ZIP+4 (9 digits, dash optional)',
      examples: ['10001', '10001-2345'],
    }),
  },
  { additionalProperties: false },
);
export type UsAddress = Static<typeof UsAddressSchema>;

/** Largest opening deposit accepted: one billion dollars, far below integer-precision limits. */
export const MAX_OPENING_DEPOSIT_MINOR = 100_000_000_000;

/**
 * An opening deposit: Money, narrowed to what can be posted to a new account — a positive number
 * of US cents (accounts are opened in USD only).
 */
export const OpeningDepositSchema = Type.Object(
  {
    amountMinor: Type.Integer({
      minimum: 1,
      maximum: MAX_OPENING_DEPOSIT_MINOR,
      description: 'Amount in cents, > 0',
    }),
    currency: Type.Literal('USD'),
  },
  { additionalProperties: false },
);
export type OpeningDeposit = Static<typeof OpeningDepositSchema>;

// ---------------------------------------------------------------------------------------------
// POST /v1/onboardings
// ---------------------------------------------------------------------------------------------

/** The person applying, as they state it. SSN is write-only; answers show its last four digits. */
export const ApplicantSchema = Type.Object(
  {
    legalName: text(200),
    dateOfBirth: Type.String({ format: 'date', examples: ['1990-04-01'] }),
    ssn: SsnSchema,
    email: Type.String({ format: 'email', maxLength: 254 }),
    phone: PhoneSchema,
    address: UsAddressSchema,
  },
  { additionalProperties: false },
);
export type Applicant = Static<typeof ApplicantSchema>;

/** Which deposit product to open, and on which fee plan. */
export const ProductSelectionSchema = Type.Object({ productType: ProductTypeSchema, planCode: PlanCodeSchema }, { additionalProperties: false });
export type ProductSelection = Static<typeof ProductSelectionSchema>;

/** The applicant's account at another bank, verified over ACH and used as the billing payment method. */
export const FundingAccountSchema = Type.Object(
  {
    routingNumber: RoutingNumberSchema,
    accountNumber: Type.String({
      pattern: '^\\d{4,17}$',
      description: 'Bank account number, 4–17 digits',
      writeOnly: true,
    }),
    accountType: BankAccountTypeSchema,
  },
  { additionalProperties: false },
);
export type FundingAccount = Static<typeof FundingAccountSchema>;

export const StartOnboardingRequestSchema = Type.Object(
  {
    applicant: ApplicantSchema,
    product: ProductSelectionSchema,
    fundingAccount: FundingAccountSchema,
    openingDeposit: Type.Optional(OpeningDepositSchema),
  },
  {
    $id: 'StartOnboardingRequest',
    title: 'StartOnboardingRequest',
    additionalProperties: false,
  },
);
export type StartOnboardingRequest = Static<typeof StartOnboardingRequestSchema>;

// ---------------------------------------------------------------------------------------------
// POST /v1/customers/{customerId}/onboardings
// ---------------------------------------------------------------------------------------------

/**
 * Another account for a customer the end user already has: only what is new — the product and
 * plan, the funding account, an opening deposit. The applicant is the customer, as the end user's
 * earlier application stated them; the workflow runs as for a new application (KYC again
 * included) and opens the account for that customer.
 */
export const AdditionalAccountRequestSchema = Type.Object(
  {
    product: ProductSelectionSchema,
    fundingAccount: FundingAccountSchema,
    openingDeposit: Type.Optional(OpeningDepositSchema),
  },
  {
    $id: 'AdditionalAccountRequest',
    title: 'AdditionalAccountRequest',
    additionalProperties: false,
  },
);
export type AdditionalAccountRequest = Static<typeof AdditionalAccountRequestSchema>;

// ---------------------------------------------------------------------------------------------
// The onboarding resource
// ---------------------------------------------------------------------------------------------

/** The applicant as answers show them: no SSN, no date of birth, no address. */
export const MaskedApplicantSchema = Type.Object(
  {
    legalName: Type.String(),
    email: Type.String(),
    ssnLast4: Type.String({ pattern: '^\\d{4}$' }),
  },
  { additionalProperties: false },
);
export type MaskedApplicant = Static<typeof MaskedApplicantSchema>;

export const MaskedFundingAccountSchema = Type.Object(
  {
    routingNumber: RoutingNumberSchema,
    accountNumberMasked: MaskedNumberSchema,
    accountType: BankAccountTypeSchema,
  },
  { additionalProperties: false },
);
export type MaskedFundingAccount = Static<typeof MaskedFundingAccountSchema>;

/**
 * Why an onboarding ended `rejected` or `failed`, or why it waits: a stable machine-readable code
 * (e.g. `UNDERAGE`, `WATCHLIST_MATCH`, `INVALID_ROUTING_NUMBER`, `MICRO_DEPOSIT_ATTEMPTS_EXCEEDED`)
 * that clients branch on, and a message for people.
 */
export const OnboardingReasonSchema = Type.Object(
  {
    code: Type.String({
      pattern: '^[A-Z][A-Z0-9_]*$',
      maxLength: 64,
      examples: ['UNDERAGE'],
    }),
    message: Type.String({ maxLength: 500 }),
  },
  { additionalProperties: false },
);
export type OnboardingReason = Static<typeof OnboardingReasonSchema>;

/** One step of the timeline. `outcome` is a short result (`approved`, `micro_deposits_sent`, ...). */
export const OnboardingStepSchema = Type.Object(
  {
    name: OnboardingStepNameSchema,
    state: OnboardingStepStateSchema,
    attempts: Type.Integer({ minimum: 0 }),
    startedAt: Type.Optional(TimestampSchema),
    finishedAt: Type.Optional(TimestampSchema),
    outcome: Type.Optional(Type.String({ maxLength: 64 })),
    reason: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type OnboardingStep = Static<typeof OnboardingStepSchema>;

/** What the applicant must do next while the onboarding is `awaiting_customer`. */
export const PendingCustomerActionSchema = Type.Object(
  {
    action: literalUnion(CustomerAction),
    expiresAt: TimestampSchema,
    attemptsRemaining: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
);
export type PendingCustomerAction = Static<typeof PendingCustomerActionSchema>;

/**
 * An onboarding: its status, what was created for it so far, and the timeline of its steps.
 * `owner` is the end-user identity the experience layer passed when it was started.
 * PII appears only masked.
 */
export const OnboardingSchema = Type.Object(
  {
    id: IdSchema,
    status: OnboardingStatusSchema,
    owner: Type.String({ minLength: 1, maxLength: 200 }),
    applicant: MaskedApplicantSchema,
    product: ProductSelectionSchema,
    fundingAccountMasked: MaskedFundingAccountSchema,
    openingDeposit: Type.Optional(OpeningDepositSchema),
    customerId: Type.Optional(IdSchema),
    accountId: Type.Optional(IdSchema),
    accountNumberMasked: Type.Optional(MaskedNumberSchema),
    billingAccountId: Type.Optional(IdSchema),
    reason: Type.Optional(OnboardingReasonSchema),
    pendingAction: Type.Optional(PendingCustomerActionSchema),
    timeline: Type.Array(OnboardingStepSchema),
    createdAt: TimestampSchema,
    updatedAt: TimestampSchema,
  },
  { $id: 'Onboarding', title: 'Onboarding', additionalProperties: false },
);
export type Onboarding = Static<typeof OnboardingSchema>;

/** A page of onboardings, newest first; `nextCursor` is null on the last page. */
export const OnboardingListSchema = Type.Object(
  {
    items: Type.Array(ref(OnboardingSchema)),
    nextCursor: Type.Union([CursorSchema, Type.Null()]),
  },
  {
    $id: 'OnboardingList',
    title: 'OnboardingList',
    additionalProperties: false,
  },
);
export type OnboardingList = Static<typeof OnboardingListSchema>;

/** `GET /v1/onboardings?owner=…`: one owner's onboardings, optionally of one status. */
export const ListOnboardingsQuerySchema = Type.Object(
  {
    owner: Type.String({ minLength: 1, maxLength: 200 }),
    status: Type.Optional(OnboardingStatusSchema),
    ...PageQuerySchema.properties,
  },
  { additionalProperties: false },
);
export type ListOnboardingsQuery = Static<typeof ListOnboardingsQuerySchema>;

export const OnboardingParamsSchema = Type.Object({ id: IdSchema }, { additionalProperties: false });
export type OnboardingParams = Static<typeof OnboardingParamsSchema>;

/** The longest a read of one onboarding waits for its next change. */
export const ONBOARDING_WAIT_MAX_MS = 20_000;

/**
 * `GET /v1/onboardings/{id}`, optionally as a long poll. Every answer carries an `ETag` that
 * changes whenever anything in it does (a step started or finished, a decision). With
 * `waitWhileEtag` (the one the caller has) and `waitMs`, while the onboarding still has that ETag
 * the answer is held until it changes or `waitMs` pass — never past the caller's time budget — and
 * is then the onboarding as it is. A follower learns of each change at once, without asking again
 * and again.
 */
export const GetOnboardingQuerySchema = Type.Object(
  {
    waitWhileEtag: Type.Optional(
      Type.String({ minLength: 1, maxLength: 100, description: 'The `ETag` of the answer the caller has (with `waitMs`)' }),
    ),
    waitMs: Type.Optional(
      Type.Integer({ minimum: 1, maximum: ONBOARDING_WAIT_MAX_MS, description: 'How long to wait for a change (with `waitWhileEtag`)' }),
    ),
  },
  { additionalProperties: false },
);
export type GetOnboardingQuery = Static<typeof GetOnboardingQuerySchema>;

// ---------------------------------------------------------------------------------------------
// Commands on an onboarding
// ---------------------------------------------------------------------------------------------

/** One micro-deposit amount in cents: ACH verification sends between 1 and 99 cents. */
const MicroDepositAmountSchema = Type.Integer({ minimum: 1, maximum: 99 });

/** `POST /v1/onboardings/{id}/ach-confirmation`: the two amounts the applicant saw, in any order. */
export const ConfirmMicroDepositsRequestSchema = Type.Object(
  {
    // Two amounts of the same kind: an array of exactly two validates like the tuple, and stays valid
    // OpenAPI 3.1 (a TypeBox Tuple emits `items: [...]`, which 3.1 forbids); the static type is still a pair.
    amountsMinor: Type.Unsafe<[number, number]>(
      Type.Array(MicroDepositAmountSchema, {
        minItems: 2,
        maxItems: 2,
        examples: [[32, 45]],
      }),
    ),
  },
  {
    $id: 'ConfirmMicroDepositsRequest',
    title: 'ConfirmMicroDepositsRequest',
    additionalProperties: false,
  },
);
export type ConfirmMicroDepositsRequest = Static<typeof ConfirmMicroDepositsRequestSchema>;

/** `POST /v1/onboardings/{id}/review`: an operator's decision on an application held for review. */
export const ReviewDecisionRequestSchema = Type.Object(
  {
    decision: literalUnion(ReviewDecision),
    reason: text(500),
  },
  {
    $id: 'ReviewDecisionRequest',
    title: 'ReviewDecisionRequest',
    additionalProperties: false,
  },
);
export type ReviewDecisionRequest = Static<typeof ReviewDecisionRequestSchema>;
