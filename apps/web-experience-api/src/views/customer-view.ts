import type { CustomerOverview } from '@bartholomew/contracts-onboarding-process';
import type { CustomerOverviewView, MaskedProfile } from '@bartholomew/contracts-web-experience';

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
    address: {
      city: customer.address.city,
      state: customer.address.state,
      postalCode: customer.address.postalCode,
    },
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
