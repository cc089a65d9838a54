/**
 * What the bank offers at onboarding: each deposit product, the fee plans it can be opened on, and
 * how much may be deposited when it is opened (funded by one ACH debit of the applicant's verified
 * account).
 *
 * REVIEW: the plans mirror the billing System API's fee-plan catalogue (its 001 migration seeds
 * them). Checking them here lets an unknown plan be refused when the application arrives instead
 * of after KYC, ACH verification and account opening; a plan added to billing must be added here
 * to be offered at onboarding. The deposit limit is bank policy (one ACH debit of at most
 * $25,000 for an unseasoned account), not a law.
 */
export const ONBOARDING_PRODUCTS = {
  checking: {
    plans: ['basic-checking', 'premium-checking'],
    openingDeposit: { minMinor: 1, maxMinor: 2_500_000 },
  },
  savings: {
    plans: ['everyday-savings'],
    openingDeposit: { minMinor: 1, maxMinor: 2_500_000 },
  },
} as const satisfies Record<string, { plans: readonly string[]; openingDeposit: { minMinor: number; maxMinor: number } }>;

export type OnboardingProduct = keyof typeof ONBOARDING_PRODUCTS;

export function isOnboardingProduct(product: string): product is OnboardingProduct {
  return Object.hasOwn(ONBOARDING_PRODUCTS, product);
}

/** The product a plan belongs to, or undefined for a plan the catalogue does not have. */
export function productOfPlan(planCode: string): OnboardingProduct | undefined {
  return (Object.keys(ONBOARDING_PRODUCTS) as OnboardingProduct[]).find((product) =>
    (ONBOARDING_PRODUCTS[product].plans as readonly string[]).includes(planCode),
  );
}

/** `$25,000.00` from 2500000 cents: limits are told to people in dollars. */
export function formatUsd(amountMinor: number): string {
  return `$${(amountMinor / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}
