import { Type, type Static } from '@sinclair/typebox';
import { IdSchema, IdempotencyKeySchema } from '@bartholomew/contracts-shared';
import {
  BankAccountTypeSchema,
  FundingAccountSchema,
  MAX_OPENING_DEPOSIT_MINOR,
  MaskedNumberSchema,
  PhoneSchema,
  PlanCodeSchema,
  ProductTypeSchema,
  SsnSchema,
  UsAddressSchema,
  literalUnion,
} from '@bartholomew/contracts-onboarding-process';

/*
 * The onboarding screens of the mobile app: the sign-up form as the app collects it, and the one
 * "what to show next" answer the app polls. Input primitives (SSN, phone, routing number, plan
 * code, ...) are the Process API's own, so a form this API accepts is one the Process API accepts.
 */

/** A non-blank line of text. */
const text = (maxLength: number) => Type.String({ minLength: 1, maxLength, pattern: '\\S' });
const TimestampSchema = Type.String({ format: 'date-time' });

/** The sign-up form, field for field as the app's screens collect it. */
export const OnboardingFormSchema = Type.Object(
  {
    firstName: text(100),
    lastName: text(99),
    dateOfBirth: Type.String({ format: 'date', examples: ['1990-04-01'] }),
    ssn: SsnSchema,
    email: Type.String({ format: 'email', maxLength: 254 }),
    phone: PhoneSchema,
    address: Type.Object(
      {
        street: text(100),
        unit: Type.Optional(text(100)),
        city: text(60),
        state: UsAddressSchema.properties.state,
        zip: UsAddressSchema.properties.postalCode,
      },
      { additionalProperties: false },
    ),
    /** Which account to open. */
    account: ProductTypeSchema,
    plan: PlanCodeSchema,
    /** The applicant's account at another bank: verified over ACH, then billed. */
    bank: Type.Object(
      {
        routingNumber: FundingAccountSchema.properties.routingNumber,
        accountNumber: FundingAccountSchema.properties.accountNumber,
        type: BankAccountTypeSchema,
      },
      { additionalProperties: false },
    ),
    initialDepositCents: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_OPENING_DEPOSIT_MINOR })),
  },
  { $id: 'OnboardingForm', title: 'OnboardingForm', additionalProperties: false },
);
export type OnboardingForm = Static<typeof OnboardingFormSchema>;

/**
 * Another account for someone who already banks with us: only what is new — which account, the
 * plan, the bank account it is funded from, a first deposit. Fields as in the sign-up form.
 */
export const NewAccountFormSchema = Type.Object(
  {
    account: OnboardingFormSchema.properties.account,
    plan: OnboardingFormSchema.properties.plan,
    bank: OnboardingFormSchema.properties.bank,
    initialDepositCents: OnboardingFormSchema.properties.initialDepositCents,
  },
  { $id: 'NewAccountForm', title: 'NewAccountForm', additionalProperties: false },
);
export type NewAccountForm = Static<typeof NewAccountFormSchema>;

/** `Idempotency-Key` chosen by the app once per form submission; passed through to the Process API. */
export const StartOnboardingHeadersSchema = Type.Object({ 'idempotency-key': IdempotencyKeySchema });

export const OnboardingParamsSchema = Type.Object({ id: IdSchema }, { additionalProperties: false });
export type OnboardingParams = Static<typeof OnboardingParamsSchema>;

/**
 * Which screen the app shows next.
 * - `processing`: checks are running; poll again after `pollAfterSeconds`;
 * - `verify_deposits`: ask for the two micro-deposit amounts (`deposits` says how many tries are left);
 * - `in_review`: a person is looking at the application; poll again later;
 * - `welcome`: the account is open (`account`);
 * - `rejected`: the application was declined (`reason.message` is shown to the user);
 * - `failed`: something went wrong on the bank's side; nothing was left half-done (`reason`).
 */
export const NextStep = {
  processing: 'processing',
  verify_deposits: 'verify_deposits',
  in_review: 'in_review',
  welcome: 'welcome',
  rejected: 'rejected',
  failed: 'failed',
} as const;
export type NextStep = (typeof NextStep)[keyof typeof NextStep];
export const NextStepNameSchema = literalUnion(NextStep);

/** Marks an answer served from the last good copy while the bank's systems do not answer. */
export const StaleMarkerSchema = Type.Literal(true, {
  description: 'Present only on a last-good answer served while the Process API is unavailable',
});

export const DisplayReasonSchema = Type.Object(
  {
    code: Type.String({ pattern: '^[A-Z][A-Z0-9_]*$', maxLength: 64 }),
    /** Text written for the applicant, safe to show as is. */
    message: Type.String({ maxLength: 300 }),
  },
  { additionalProperties: false },
);
export type DisplayReason = Static<typeof DisplayReasonSchema>;

/** The answer to "where is my application?": one screen, and only what that screen shows. */
export const NextStepAnswerSchema = Type.Object(
  {
    id: IdSchema,
    next: NextStepNameSchema,
    pollAfterSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 3600 })),
    deposits: Type.Optional(Type.Object({ attemptsLeft: Type.Integer({ minimum: 0 }), expiresAt: TimestampSchema }, { additionalProperties: false })),
    reason: Type.Optional(DisplayReasonSchema),
    account: Type.Optional(Type.Object({ id: IdSchema, number: MaskedNumberSchema }, { additionalProperties: false })),
    stale: Type.Optional(StaleMarkerSchema),
  },
  { $id: 'NextStepAnswer', title: 'NextStepAnswer', additionalProperties: false },
);
export type NextStepAnswer = Static<typeof NextStepAnswerSchema>;

/** One micro-deposit amount in cents, as printed on the applicant's bank statement. */
const DepositCentsSchema = Type.Integer({ minimum: 1, maximum: 99 });

export const ConfirmDepositsRequestSchema = Type.Object(
  // Two amounts of the same kind: an array of exactly two validates like the tuple, and stays valid
  // OpenAPI 3.1 (a TypeBox Tuple emits `items: [...]`, which 3.1 forbids); the static type is still a pair.
  { amounts: Type.Unsafe<[number, number]>(Type.Array(DepositCentsSchema, { minItems: 2, maxItems: 2, examples: [[32, 45]] })) },
  { $id: 'ConfirmDepositsRequest', title: 'ConfirmDepositsRequest', additionalProperties: false },
);
export type ConfirmDepositsRequest = Static<typeof ConfirmDepositsRequestSchema>;
