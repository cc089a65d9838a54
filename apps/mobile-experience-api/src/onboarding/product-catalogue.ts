import type { ProductCatalogue } from '@bartholomew/contracts-mobile-experience';
import { ONBOARDING_PRODUCTS, type OnboardingProduct } from '@bartholomew/onboarding-rules';

/**
 * The bank's onboarding catalogue (libs/onboarding-rules: the one the Process API checks each
 * application against) as the app's forms name things: `account`, `plan`, `initialDepositCents`.
 * Pure reshaping: what is offered is decided there, not here.
 */
export function productCatalogue(): ProductCatalogue {
  return {
    products: (Object.keys(ONBOARDING_PRODUCTS) as OnboardingProduct[]).map((account) => {
      const { plans, openingDeposit } = ONBOARDING_PRODUCTS[account];
      return {
        account,
        plans: plans.map((plan) => ({ plan })),
        initialDepositCents: { min: openingDeposit.minMinor, max: openingDeposit.maxMinor },
      };
    }),
  };
}
