import type { NewAccountForm } from '@bartholomew/contracts-mobile-experience';
import type { AdditionalAccountRequest } from '@bartholomew/contracts-onboarding-process';
import type { FieldPointerMap } from '@bartholomew/experience-kit';

/**
 * The "another account" form, field for field, as the Process API's request. Pure reshaping, no
 * rule of its own: the Process API decides what is acceptable.
 */
export function additionalAccountFrom(form: NewAccountForm): AdditionalAccountRequest {
  return {
    product: { productType: form.account, planCode: form.plan },
    fundingAccount: { routingNumber: form.bank.routingNumber, accountNumber: form.bank.accountNumber, accountType: form.bank.type },
    ...(form.initialDepositCents === undefined ? {} : { openingDeposit: { amountMinor: form.initialDepositCents, currency: 'USD' as const } }),
  };
}

/** Where each field of the Process API's request is in this form; the applicant's are not in it (the whole form is named). */
const FORM_POINTERS: Readonly<Record<string, string>> = {
  '/product/productType': '/account',
  '/product/planCode': '/plan',
  '/fundingAccount/routingNumber': '/bank/routingNumber',
  '/fundingAccount/accountNumber': '/bank/accountNumber',
  '/fundingAccount/accountType': '/bank/type',
  '/openingDeposit': '/initialDepositCents',
  '/openingDeposit/amountMinor': '/initialDepositCents',
};

export const newAccountFormPointer: FieldPointerMap = (processPointer) => FORM_POINTERS[processPointer];
