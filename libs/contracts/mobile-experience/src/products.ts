import { Type, type Static } from '@sinclair/typebox';
import { PlanCodeSchema, ProductTypeSchema } from '@bartholomew/contracts-onboarding-process';

/*
 * The products the app may offer in its forms and the fee plans each can be opened on — what fills
 * the `account`, `plan` and `initialDepositCents` fields of the sign-up and new-account forms.
 * Each name here is the form field its value goes in.
 */

const CentsSchema = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, format: 'int64', description: 'Amount in US cents' });

export const ProductOfferSchema = Type.Object(
  {
    /** The form's `account` value. */
    account: ProductTypeSchema,
    /** The plans this account can be opened on: one of their `plan` values goes in the form's `plan`. */
    plans: Type.Array(Type.Object({ plan: PlanCodeSchema }, { additionalProperties: false }), { minItems: 1, maxItems: 50 }),
    /** Bounds of the form's optional `initialDepositCents` (one ACH debit of the verified bank account), both inclusive. */
    initialDepositCents: Type.Object({ min: CentsSchema, max: CentsSchema }, { additionalProperties: false }),
  },
  { additionalProperties: false },
);
export type ProductOffer = Static<typeof ProductOfferSchema>;

/** `GET /v1/products`: every product offered, with its plans and deposit bounds. */
export const ProductCatalogueSchema = Type.Object(
  { products: Type.Array(ProductOfferSchema, { maxItems: 50 }) },
  {
    $id: 'ProductCatalogue',
    title: 'ProductCatalogue',
    additionalProperties: false,
    description:
      'What the forms may offer: a form whose `account`, `plan` or `initialDepositCents` is not in here is answered 422 APPLICATION_FIELDS_INVALID',
    // One product of the catalogue, as the route answers it (a route test checks that it does).
    examples: [
      {
        products: [
          { account: 'checking', plans: [{ plan: 'basic-checking' }, { plan: 'premium-checking' }], initialDepositCents: { min: 1, max: 2_500_000 } },
        ],
      },
    ],
  },
);
export type ProductCatalogue = Static<typeof ProductCatalogueSchema>;
