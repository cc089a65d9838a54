import type { OnboardingForm } from '@bartholomew/contracts-mobile-experience';
import type { StartOnboardingRequest } from '@bartholomew/contracts-onboarding-process';

/**
 * The mobile sign-up form, field for field, as the Process API's application. Pure reshaping —
 * names, nesting, units — with no rule of its own: the Process API decides what is acceptable.
 */
export function applicationFrom(form: OnboardingForm): StartOnboardingRequest {
  const { address, bank } = form;
  return {
    applicant: {
      legalName: `${form.firstName.trim()} ${form.lastName.trim()}`,
      dateOfBirth: form.dateOfBirth,
      ssn: form.ssn,
      email: form.email,
      phone: form.phone,
      address: {
        line1: address.street,
        ...(address.unit === undefined ? {} : { line2: address.unit }),
        city: address.city,
        state: address.state,
        postalCode: address.zip,
      },
    },
    product: { productType: form.account, planCode: form.plan },
    fundingAccount: { routingNumber: bank.routingNumber, accountNumber: bank.accountNumber, accountType: bank.type },
    ...(form.initialDepositCents === undefined ? {} : { openingDeposit: { amountMinor: form.initialDepositCents, currency: 'USD' as const } }),
  };
}
