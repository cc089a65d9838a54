import type { CustomerOverview } from '@bartholomew/contracts-onboarding-process';
import type { CustomerOverviewView, MaskedProfile } from '@bartholomew/contracts-web-experience';
import type { FastifyRequest } from 'fastify';
import type { ProcessFacade } from '../process/process-facade';

/** Completed onboardings read per call; a customer has one, or a handful. */
const COMPLETED_ONBOARDINGS_PAGE = 100;

/** The customers the signed-in user's completed onboardings created, newest onboarding first. */
export async function customerIdsOf(process: ProcessFacade, request: FastifyRequest): Promise<string[]> {
  // REVIEW: one page of completed onboardings; a user with more than 100 would need paging here.
  const completed = await process.listOnboardings(request, { status: 'completed', limit: COMPLETED_ONBOARDINGS_PAGE });
  return [...new Set(completed.items.flatMap((onboarding) => (onboarding.customerId ? [onboarding.customerId] : [])))];
}

/**
 * Everything the signed-in user is a customer for, newest customer first: the customers their
 * completed onboardings created, each as the Process API's overview. The Process API checks
 * ownership again on each overview, so nothing here trusts an id from the browser.
 */
export async function overviewsOf(process: ProcessFacade, request: FastifyRequest): Promise<CustomerOverview[]> {
  const customerIds = await customerIdsOf(process, request);
  const overviews = await Promise.all(customerIds.map((customerId) => process.getCustomerOverview(request, customerId)));
  return overviews.filter((overview): overview is CustomerOverview => overview !== undefined);
}

/** `ada@example.com` → `a•••@example.com`: enough to recognise, not enough to harvest. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '•••';
  return `${email[0]}•••${email.slice(at)}`;
}

/** `+12125550123` → `•••0123`. */
export const maskPhone = (phone: string) => `•••${phone.slice(-4)}`;

function maskedProfile(overview: CustomerOverview): MaskedProfile {
  const { customer } = overview;
  return {
    customerId: customer.customerId,
    legalName: customer.legalName,
    emailMasked: maskEmail(customer.email),
    phoneMasked: maskPhone(customer.phone),
    address: { city: customer.address.city, state: customer.address.state, postalCode: customer.address.postalCode },
    ssnLast4: customer.ssnLast4,
    customerSince: customer.customerSince,
  };
}

/** One overview of everything the user holds, from the newest customer's profile and every customer's accounts and billing. */
export function customerOverviewView(overviews: [CustomerOverview, ...CustomerOverview[]]): CustomerOverviewView {
  return {
    profile: maskedProfile(overviews[0]),
    accounts: overviews.flatMap((overview) =>
      overview.accounts.map((account) => ({
        accountId: account.accountId,
        accountNumberMasked: account.accountNumberMasked,
        productType: account.productType,
        status: account.status,
        openedAt: account.openedAt,
        ledgerBalance: account.ledgerBalance,
        availableBalance: account.availableBalance,
      })),
    ),
    billingAccounts: overviews.flatMap((overview) =>
      overview.billingAccounts.map((billing) => ({
        billingAccountId: billing.billingAccountId,
        accountId: billing.accountId,
        status: billing.status,
        plan: billing.plan,
        paymentMethods: billing.paymentMethod ? [billing.paymentMethod] : [],
      })),
    ),
    unavailable: [...new Set(overviews.flatMap((overview) => overview.unavailable))],
  };
}
