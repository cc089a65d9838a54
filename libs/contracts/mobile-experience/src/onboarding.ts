import { CloneType, Type, type Static, type TSchema } from '@sinclair/typebox';
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
    account: CloneType(ProductTypeSchema, { description: 'Which account to open: an `account` listed by `GET /v1/products`' }),
    plan: CloneType(PlanCodeSchema, { description: 'Its fee plan: one of the `plans` listed for that account by `GET /v1/products`' }),
    /** The applicant's account at another bank: verified over ACH, then billed. */
    bank: Type.Object(
      {
        routingNumber: FundingAccountSchema.properties.routingNumber,
        accountNumber: FundingAccountSchema.properties.accountNumber,
        type: BankAccountTypeSchema,
      },
      { additionalProperties: false },
    ),
    initialDepositCents: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: MAX_OPENING_DEPOSIT_MINOR,
        description: 'Opening deposit in US cents, within the `initialDepositCents` bounds `GET /v1/products` lists for the account',
      }),
    ),
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
 * `Prefer: wait=<seconds>` (RFC 7240) with `If-None-Match`: instead of answering 304 at once, hold
 * the answer until the next screen changes or the wait is over (at most the request timeout, 10 s
 * by default). The app learns of a change as it happens, with one request in flight.
 */
export const WaitForChangeHeadersSchema = Type.Object({
  prefer: Type.Optional(
    Type.String({
      maxLength: 200,
      description:
        '`wait=<seconds>` (RFC 7240), with `If-None-Match`: hold the answer until it changes or the wait is over; `Preference-Applied` says the wait granted',
    }),
  ),
});

/**
 * Which screen the app shows next (each with its own answer below).
 * - `processing`: checks are running; poll again after `pollAfterSeconds`;
 * - `verify_deposits`: ask for the two micro-deposit amounts (`deposits` says how many tries are left);
 * - `in_review`: a person is looking at the application; poll again later;
 * - `welcome`: the account is open (`account`);
 * - `rejected`: the application was declined (`reason.message` is shown to the user);
 * - `failed`: something went wrong on the bank's side; nothing was left half-done (`reason`).
 */
export const NextStepName = {
  processing: 'processing',
  verify_deposits: 'verify_deposits',
  in_review: 'in_review',
  welcome: 'welcome',
  rejected: 'rejected',
  failed: 'failed',
} as const;
export type NextStepName = (typeof NextStepName)[keyof typeof NextStepName];
export const NextStepNameSchema = literalUnion(NextStepName);

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

const PollAfterSecondsSchema = Type.Integer({ minimum: 1, maximum: 3600, description: 'Ask again after this many seconds' });
const DepositsPendingSchema = Type.Object(
  { attemptsLeft: Type.Integer({ minimum: 0 }), expiresAt: TimestampSchema },
  { additionalProperties: false, description: 'How many tries are left to enter the two amounts, and until when' },
);
const OpenedAccountSchema = Type.Object({ id: IdSchema, number: MaskedNumberSchema }, { additionalProperties: false });
const stale = Type.Optional(StaleMarkerSchema);

/**
 * The answer to "where is my application?" as `/v1` publishes it: one object, every field but `id`
 * and `next` optional. Kept exactly as published for the clients built on it; `/v2` answers the same
 * JSON described as the union `NextStep`.
 */
export const NextStepAnswerSchema = Type.Object(
  {
    id: IdSchema,
    next: NextStepNameSchema,
    pollAfterSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 3600 })),
    deposits: Type.Optional(Type.Object({ attemptsLeft: Type.Integer({ minimum: 0 }), expiresAt: TimestampSchema }, { additionalProperties: false })),
    reason: Type.Optional(DisplayReasonSchema),
    account: Type.Optional(OpenedAccountSchema),
    stale: Type.Optional(StaleMarkerSchema),
  },
  { $id: 'NextStepAnswer', title: 'NextStepAnswer', additionalProperties: false },
);
export type NextStepAnswer = Static<typeof NextStepAnswerSchema>;

/** Checks are running: poll again after `pollAfterSeconds`. */
export const ProcessingStepSchema = Type.Object(
  { id: IdSchema, next: Type.Literal(NextStepName.processing), pollAfterSeconds: PollAfterSecondsSchema, stale },
  {
    $id: 'ProcessingStep',
    title: 'ProcessingStep',
    description: 'Checks are running: poll again after `pollAfterSeconds`',
    additionalProperties: false,
  },
);
export const VerifyDepositsStepSchema = Type.Object(
  { id: IdSchema, next: Type.Literal(NextStepName.verify_deposits), deposits: DepositsPendingSchema, stale },
  {
    $id: 'VerifyDepositsStep',
    title: 'VerifyDepositsStep',
    description: 'Ask for the two micro-deposit amounts seen on the bank statement',
    additionalProperties: false,
  },
);
export const InReviewStepSchema = Type.Object(
  { id: IdSchema, next: Type.Literal(NextStepName.in_review), pollAfterSeconds: PollAfterSecondsSchema, stale },
  {
    $id: 'InReviewStep',
    title: 'InReviewStep',
    description: 'A person is looking at the application: poll again after `pollAfterSeconds`',
    additionalProperties: false,
  },
);
export const WelcomeStepSchema = Type.Object(
  { id: IdSchema, next: Type.Literal(NextStepName.welcome), account: OpenedAccountSchema, stale },
  { $id: 'WelcomeStep', title: 'WelcomeStep', description: 'The account is open', additionalProperties: false },
);
export const RejectedStepSchema = Type.Object(
  { id: IdSchema, next: Type.Literal(NextStepName.rejected), reason: DisplayReasonSchema, stale },
  { $id: 'RejectedStep', title: 'RejectedStep', description: 'The application was declined: show `reason.message`', additionalProperties: false },
);
export const FailedStepSchema = Type.Object(
  { id: IdSchema, next: Type.Literal(NextStepName.failed), reason: DisplayReasonSchema, stale },
  {
    $id: 'FailedStep',
    title: 'FailedStep',
    description: 'Stopped on the bank’s side with nothing left half-done: show `reason.message` (what to change, or to try again later)',
    additionalProperties: false,
  },
);

export type ProcessingStep = Static<typeof ProcessingStepSchema>;
export type VerifyDepositsStep = Static<typeof VerifyDepositsStepSchema>;
export type InReviewStep = Static<typeof InReviewStepSchema>;
export type WelcomeStep = Static<typeof WelcomeStepSchema>;
export type RejectedStep = Static<typeof RejectedStepSchema>;
export type FailedStep = Static<typeof FailedStepSchema>;

/** Each screen's answer by the value of `next` it carries: the discriminator's mapping. */
const NEXT_STEP_VARIANTS = {
  processing: ProcessingStepSchema,
  verify_deposits: VerifyDepositsStepSchema,
  in_review: InReviewStepSchema,
  welcome: WelcomeStepSchema,
  rejected: RejectedStepSchema,
  failed: FailedStepSchema,
} as const satisfies Record<NextStepName, TSchema>;
/** The variants as named schemas: the components the union's `$ref`s and mapping name. */
export const nextStepVariantSchemas: readonly TSchema[] = Object.values(NEXT_STEP_VARIANTS);
const idOf = (schema: TSchema): string => {
  if (typeof schema.$id !== 'string') throw new TypeError('a variant of a discriminated union must be a named schema');
  return schema.$id;
};

/**
 * The answer to "where is my application?" (`/v2`): one screen and only what it shows — a union
 * discriminated on `next`, each variant with exactly its fields, required where always present.
 * Written as `oneOf` of `$ref`s with an OpenAPI `discriminator`: a TypeBox Union would inline the
 * variants as `anyOf`, and a discriminator's mapping must name components. The static type is the
 * union of the variants' types, so `switch (answer.next)` narrows.
 */
export const NextStepSchema = Type.Unsafe<ProcessingStep | VerifyDepositsStep | InReviewStep | WelcomeStep | RejectedStep | FailedStep>({
  $id: 'NextStep',
  title: 'NextStep',
  description: 'The one screen to show next: `next` says which, and which fields come with it',
  oneOf: nextStepVariantSchemas.map((variant) => Type.Ref(idOf(variant))),
  discriminator: {
    propertyName: 'next',
    mapping: Object.fromEntries(Object.entries(NEXT_STEP_VARIANTS).map(([next, variant]) => [next, `#/components/schemas/${idOf(variant)}`])),
  },
});
export type NextStep = Static<typeof NextStepSchema>;

/** One micro-deposit amount in cents, as printed on the applicant's bank statement. */
const DepositCentsSchema = Type.Integer({ minimum: 1, maximum: 99 });

export const ConfirmDepositsRequestSchema = Type.Object(
  // Two amounts of the same kind: an array of exactly two validates like the tuple, and stays valid
  // OpenAPI 3.1 (a TypeBox Tuple emits `items: [...]`, which 3.1 forbids); the static type is still a pair.
  { amounts: Type.Unsafe<[number, number]>(Type.Array(DepositCentsSchema, { minItems: 2, maxItems: 2, examples: [[32, 45]] })) },
  { $id: 'ConfirmDepositsRequest', title: 'ConfirmDepositsRequest', additionalProperties: false },
);
export type ConfirmDepositsRequest = Static<typeof ConfirmDepositsRequestSchema>;
