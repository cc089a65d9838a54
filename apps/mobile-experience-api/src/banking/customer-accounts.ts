import type { CustomerOverview, DepositAccountOverview } from '@bartholomew/contracts-onboarding-process';

/** One of the user's own accounts, with the overview it belongs to; undefined for anyone else's. */
export function findAccount(
  overviews: CustomerOverview[],
  accountId: string,
): { account: DepositAccountOverview; overview: CustomerOverview } | undefined {
  for (const overview of overviews) {
    const account = overview.accounts.find((candidate) => candidate.accountId === accountId);
    if (account) return { account, overview };
  }
  return undefined;
}

export const accountName = (productType: DepositAccountOverview['productType']) => (productType === 'checking' ? 'Checking' : 'Savings');

/** The greeting name: the first word of the legal name. */
export const firstNameOf = (legalName: string) => legalName.trim().split(/\s+/)[0];
