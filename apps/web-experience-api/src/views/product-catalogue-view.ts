import type { ProductCatalogueView } from '@bartholomew/contracts-web-experience';
import type { OnboardingCatalogue } from '@bartholomew/contracts-onboarding-process';

/** The web contract's opening deposits are in USD (as the application form takes them). */
const usd = (amountMinor: number) => ({ amountMinor, currency: 'USD' as const });

/**
 * The Process API's product list (the onboarding catalogue every application is checked against,
 * each plan as billing names and charges it) as the account application form names things. Pure
 * reshaping: what is offered, and at what fee, is decided below, not here.
 */
export function productCatalogueView(catalogue: OnboardingCatalogue): ProductCatalogueView {
  return {
    products: catalogue.products.map(({ productType, plans, openingDeposit }) => ({
      productType,
      plans: plans.map(({ planCode, name, description, monthlyFee }) => ({ planCode, name, description, monthlyFee })),
      openingDeposit: { min: usd(openingDeposit.min.amountMinor), max: usd(openingDeposit.max.amountMinor) },
    })),
  };
}
