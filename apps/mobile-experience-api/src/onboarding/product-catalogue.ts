import type { ProductCatalogue } from '@bartholomew/contracts-mobile-experience';
import type { OnboardingCatalogue } from '@bartholomew/contracts-onboarding-process';

/**
 * The Process API's product list (the onboarding catalogue every application is checked against,
 * each plan as billing names and charges it) as the app's forms name things: `account`, `plan`,
 * `initialDepositCents`, and the plan's fee in cents. Pure reshaping: what is offered, and at what
 * fee, is decided below, not here.
 */
export function productCatalogue(catalogue: OnboardingCatalogue): ProductCatalogue {
  return {
    products: catalogue.products.map(({ productType, plans, openingDeposit }) => ({
      account: productType,
      plans: plans.map(({ planCode, name, description, monthlyFee }) => ({
        plan: planCode,
        name,
        description,
        monthlyFeeCents: monthlyFee.amountMinor,
        currency: monthlyFee.currency,
      })),
      initialDepositCents: { min: openingDeposit.min.amountMinor, max: openingDeposit.max.amountMinor },
    })),
  };
}
