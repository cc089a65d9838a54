import { Type, type Static } from '@sinclair/typebox';
import { MoneySchema } from '@bartholomew/contracts-shared';
import { PlanCodeSchema, ProductTypeSchema } from './onboarding';

/*
 * `GET /v1/products` — what an application may ask for: the onboarding catalogue (products, their
 * plans, opening-deposit bounds: the rules every application is checked against) joined with the
 * billing System API's fee plans (name, description, monthly fee: billing is their system of record).
 */

/** One plan a product can be opened on, as billing describes and charges it. */
export const OfferedPlanSchema = Type.Object(
  {
    planCode: PlanCodeSchema,
    name: Type.String({ minLength: 1, maxLength: 200, examples: ['Premium Checking'] }),
    description: Type.String({ maxLength: 2000 }),
    /** What a billing account on this plan is charged each month. */
    monthlyFee: MoneySchema,
  },
  { additionalProperties: false },
);
export type OfferedPlan = Static<typeof OfferedPlanSchema>;

export const ProductOfferingSchema = Type.Object(
  {
    productType: ProductTypeSchema,
    /** Only the plans billing knows: a plan of the catalogue billing does not list is left out (and logged). */
    plans: Type.Array(OfferedPlanSchema, { minItems: 1, maxItems: 50 }),
    /** Bounds of an application's optional `openingDeposit`, both inclusive. */
    openingDeposit: Type.Object({ min: MoneySchema, max: MoneySchema }, { additionalProperties: false }),
  },
  { additionalProperties: false },
);
export type ProductOffering = Static<typeof ProductOfferingSchema>;

export const OnboardingCatalogueSchema = Type.Object(
  {
    products: Type.Array(ProductOfferingSchema, { maxItems: 50 }),
    /** When billing's fee plans in this answer were read from it. */
    feePlansAsOf: Type.String({ format: 'date-time' }),
    /** True when billing did not answer and the last fee plans read from it are served. */
    stale: Type.Boolean(),
  },
  {
    $id: 'OnboardingCatalogue',
    title: 'OnboardingCatalogue',
    additionalProperties: false,
    description:
      'The products an application may ask for, each with the plans billing charges for it and the opening-deposit bounds. ' +
      'Fee plans are read from the billing System API and kept for a few minutes; while billing does not answer, the last ' +
      'ones read are served with `stale: true` (`feePlansAsOf` says when they were read).',
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
            ],
            openingDeposit: { min: { amountMinor: 1, currency: 'USD' }, max: { amountMinor: 2_500_000, currency: 'USD' } },
          },
        ],
        feePlansAsOf: '2026-01-05T14:30:00.000Z',
        stale: false,
      },
    ],
  },
);
export type OnboardingCatalogue = Static<typeof OnboardingCatalogueSchema>;
