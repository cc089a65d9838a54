import type { ProductCatalogueView } from '@bartholomew/contracts-web-experience';
import { ONBOARDING_PRODUCTS, type OnboardingProduct } from '@bartholomew/onboarding-rules';

const usd = (amountMinor: number) => ({ amountMinor, currency: 'USD' as const });

/**
 * The bank's onboarding catalogue (libs/onboarding-rules: the one the Process API checks each
 * application against) as the account application form names things. Pure reshaping: what is
 * offered is decided there, not here.
 */
export function productCatalogueView(): ProductCatalogueView {
  return {
    products: (Object.keys(ONBOARDING_PRODUCTS) as OnboardingProduct[]).map((productType) => {
      const { plans, openingDeposit } = ONBOARDING_PRODUCTS[productType];
      return {
        productType,
        plans: plans.map((planCode) => ({ planCode })),
        openingDeposit: { min: usd(openingDeposit.minMinor), max: usd(openingDeposit.maxMinor) },
      };
    }),
  };
}
