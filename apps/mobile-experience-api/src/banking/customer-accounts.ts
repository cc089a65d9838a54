import type { CustomerOverview, DepositAccountOverview } from '@bartholomew/contracts-onboarding-process';
import type { FastifyRequest } from 'fastify';
import type { ProcessFacade } from '../process/process-facade';

/** Completed onboardings read per call; a customer has one, or a handful. */
const COMPLETED_ONBOARDINGS_PAGE = 100;

/**
 * Everything the signed-in user is a customer for: the customers their completed onboardings
 * created, each as the Process API's overview. The Process API checks ownership again on each
 * overview (another user's customer is a 404 there), so nothing here trusts an id from the app.
 */
export async function overviewsOf(process: ProcessFacade, request: FastifyRequest): Promise<CustomerOverview[]> {
  // REVIEW: one page of completed onboardings; a user with more than 100 would need paging here.
  const completed = await process.listOnboardings(request, { status: 'completed', limit: COMPLETED_ONBOARDINGS_PAGE });
  const customerIds = [...new Set(completed.items.flatMap((onboarding) => (onboarding.customerId ? [onboarding.customerId] : [])))];
  const overviews = await Promise.all(customerIds.map((customerId) => process.getCustomerOverview(request, customerId)));
  return overviews.filter((overview): overview is CustomerOverview => overview !== undefined);
}

/** One of the user's own accounts, with the overview it belongs to; undefined for anyone else's. */
export function findAccount(overviews: CustomerOverview[], accountId: string): { account: DepositAccountOverview; overview: CustomerOverview } | undefined {
  for (const overview of overviews) {
    const account = overview.accounts.find((candidate) => candidate.accountId === accountId);
    if (account) return { account, overview };
  }
  return undefined;
}

export const accountName = (productType: DepositAccountOverview['productType']) => (productType === 'checking' ? 'Checking' : 'Savings');

/** The greeting name: the first word of the legal name. */
export const firstNameOf = (legalName: string) => legalName.trim().split(/\s+/)[0];
