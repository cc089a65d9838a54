import type { OnboardingForm } from '@bartholomew/contracts-mobile-experience';
import type { StartOnboardingRequest } from '@bartholomew/contracts-onboarding-process';
import type { FieldPointerMap } from '@bartholomew/experience-kit';
import { isPrintableText } from '@bartholomew/onboarding-rules';

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

/** Where each field of the Process API's application is in the sign-up form (the inverse of `applicationFrom`). */
const FORM_POINTERS: Readonly<Record<string, string>> = {
  '/applicant/dateOfBirth': '/dateOfBirth',
  '/applicant/ssn': '/ssn',
  '/applicant/email': '/email',
  '/applicant/phone': '/phone',
  '/applicant/address/line1': '/address/street',
  '/applicant/address/line2': '/address/unit',
  '/applicant/address/city': '/address/city',
  '/applicant/address/state': '/address/state',
  '/applicant/address/postalCode': '/address/zip',
  '/product/productType': '/account',
  '/product/planCode': '/plan',
  '/fundingAccount/routingNumber': '/bank/routingNumber',
  '/fundingAccount/accountNumber': '/bank/accountNumber',
  '/fundingAccount/accountType': '/bank/type',
  '/openingDeposit': '/initialDepositCents',
  '/openingDeposit/amountMinor': '/initialDepositCents',
};

/**
 * The Process API's field pointers as pointers into this form, so the app highlights the field the
 * applicant typed. The legal name is two fields here: the one that holds what was refused.
 */
export function formPointerOf(form: OnboardingForm): FieldPointerMap {
  return (processPointer) => {
    if (processPointer === '/applicant/legalName') return isPrintableText(form.firstName) ? '/lastName' : '/firstName';
    return FORM_POINTERS[processPointer];
  };
}
