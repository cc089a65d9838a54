import { Type, type Static } from '@sinclair/typebox';
import { CurrencySchema } from '@bartholomew/contracts-shared';
import { PlanCodeSchema, ProductTypeSchema } from '@bartholomew/contracts-onboarding-process';
import { StaleMarkerSchema } from './onboarding';

/*
 * The products the app may offer in its forms and the fee plans each can be opened on — what fills
 * the `account`, `plan` and `initialDepositCents` fields of the sign-up and new-account forms.
 * Each name here is the form field its value goes in; each plan also has what the app shows of it
 * (name, description, monthly fee), as the bank's billing system states them.
 */

const CentsSchema = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, format: 'int64', description: 'Amount in US cents' });

/** One plan: its `plan` value for the form, and what to show the customer choosing it. */
export const PlanOfferSchema = Type.Object(
  {
    /** The form's `plan` value. */
    plan: PlanCodeSchema,
    /** Display name, e.g. `Premium Checking`. */
    name: Type.String({ minLength: 1, maxLength: 200 }),
    /** One or two sentences to show under the name. */
    description: Type.String({ maxLength: 2000 }),
    /** Charged each month, in cents of `currency` (0: no monthly fee). */
    monthlyFeeCents: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, format: 'int64', description: 'Amount in cents of `currency`' }),
    currency: CurrencySchema,
  },
  { additionalProperties: false },
);
export type PlanOffer = Static<typeof PlanOfferSchema>;

export const ProductOfferSchema = Type.Object(
  {
    /** The form's `account` value. */
    account: ProductTypeSchema,
    /** The plans this account can be opened on: one of their `plan` values goes in the form's `plan`. */
    plans: Type.Array(PlanOfferSchema, { minItems: 1, maxItems: 50 }),
    /** Bounds of the form's optional `initialDepositCents` (one ACH debit of the verified bank account), both inclusive. */
    initialDepositCents: Type.Object({ min: CentsSchema, max: CentsSchema }, { additionalProperties: false }),
  },
  { additionalProperties: false },
);
export type ProductOffer = Static<typeof ProductOfferSchema>;

/** `GET /v1/products`: every product offered, with its plans and deposit bounds. */
export const ProductCatalogueSchema = Type.Object(
  { products: Type.Array(ProductOfferSchema, { maxItems: 50 }), stale: Type.Optional(StaleMarkerSchema) },
  {
    $id: 'ProductCatalogue',
    title: 'ProductCatalogue',
    additionalProperties: false,
    description:
      'What the forms may offer: a form whose `account`, `plan` or `initialDepositCents` is not in here is answered 422 APPLICATION_FIELDS_INVALID. ' +
      'Plan names, descriptions and fees come from the bank’s billing system; `stale: true` (and the `x-stale` header) when it could not be ' +
      'asked and the last ones read are shown.',
    // One product of the catalogue, as the route answers it (a route test checks that it does).
    examples: [
      {
        products: [
          {
            account: 'checking',
            plans: [
              {
                plan: 'basic-checking',
                name: 'Basic Checking',
                description: 'Everyday checking with no monthly fee.',
                monthlyFeeCents: 0,
                currency: 'USD',
              },
              {
                plan: 'premium-checking',
                name: 'Premium Checking',
                description: 'Checking with ATM fee refunds and priority support.',
                monthlyFeeCents: 1500,
                currency: 'USD',
              },
            ],
            initialDepositCents: { min: 1, max: 2_500_000 },
          },
        ],
      },
    ],
  },
);
export type ProductCatalogue = Static<typeof ProductCatalogueSchema>;
