import { Type, type Static } from '@sinclair/typebox';
import { MoneySchema } from '@bartholomew/contracts-shared';
import { PlanCodeSchema, ProductTypeSchema } from '@bartholomew/contracts-onboarding-process';
import { StaleMarkerSchema } from './onboarding';

/*
 * The products web banking may offer in its account application and the fee plans each can be
 * opened on, named as the form names them: `product.productType`, `product.planCode`,
 * `openingDeposit` (the Process API's own shapes, like the form); each plan with its name,
 * description and monthly fee as the bank's billing system states them.
 */

/** US cents, as an opening deposit is given: an `amountMinor` in USD. */
const UsdSchema = Type.Object(
  {
    amountMinor: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, format: 'int64', description: 'Amount in cents' }),
    currency: Type.Literal('USD'),
  },
  { additionalProperties: false },
);

/** One plan: its `planCode` for the form, and what to show the customer choosing it. */
export const PlanOfferViewSchema = Type.Object(
  {
    /** The form's `product.planCode`. */
    planCode: PlanCodeSchema,
    /** Display name, e.g. `Premium Checking`. */
    name: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.String({ maxLength: 2000 }),
    /** Charged each month (`amountMinor` 0: no monthly fee). */
    monthlyFee: MoneySchema,
  },
  { additionalProperties: false },
);
export type PlanOfferView = Static<typeof PlanOfferViewSchema>;

export const ProductOfferViewSchema = Type.Object(
  {
    /** The form's `product.productType`. */
    productType: ProductTypeSchema,
    /** The plans this product can be opened on: one `planCode` goes in the form's `product.planCode`. */
    plans: Type.Array(PlanOfferViewSchema, { minItems: 1, maxItems: 50 }),
    /** Bounds of the form's optional `openingDeposit` (one ACH debit of the verified funding account), both inclusive. */
    openingDeposit: Type.Object({ min: UsdSchema, max: UsdSchema }, { additionalProperties: false }),
  },
  { additionalProperties: false },
);
export type ProductOfferView = Static<typeof ProductOfferViewSchema>;

/** `GET /v1/products`: every product offered, with its plans and opening-deposit bounds. */
export const ProductCatalogueViewSchema = Type.Object(
  { products: Type.Array(ProductOfferViewSchema, { maxItems: 50 }), stale: Type.Optional(StaleMarkerSchema) },
  {
    $id: 'ProductCatalogueView',
    title: 'ProductCatalogueView',
    additionalProperties: false,
    description:
      'What an account application may ask for: a `product` or `openingDeposit` outside it is answered 422 APPLICATION_FIELDS_INVALID naming the field. ' +
      'Plan names, descriptions and fees come from the bank’s billing system; `stale: true` (and the `x-stale` header) when it could not be ' +
      'asked and the last ones read are shown.',
    // One product of the catalogue, as the route answers it (a route test checks that it does).
    examples: [
      {
        products: [
          {
            productType: 'checking',
            plans: [
              {
                planCode: 'basic-checking',
                name: 'Basic Checking',
                description: 'Everyday checking with no monthly fee.',
                monthlyFee: { amountMinor: 0, currency: 'USD' },
              },
              {
                planCode: 'premium-checking',
                name: 'Premium Checking',
                description: 'Checking with ATM fee refunds and priority support.',
                monthlyFee: { amountMinor: 1500, currency: 'USD' },
              },
            ],
            openingDeposit: { min: { amountMinor: 1, currency: 'USD' }, max: { amountMinor: 2_500_000, currency: 'USD' } },
          },
        ],
      },
    ],
  },
);
export type ProductCatalogueView = Static<typeof ProductCatalogueViewSchema>;
