import type { AdditionalAccountRequest, StartOnboardingRequest } from '@bartholomew/contracts-onboarding-process';
import type { PiiVault } from '@bartholomew/platform/server';
import type { OnboardingRecord } from './onboarding-repository';

/** An application that opens another account for an existing customer of the end user. */
export interface AdditionalAccountApplication {
  customerId: string;
  /** What the caller sent (customer id and body): what its Idempotency-Key is checked against. */
  request: unknown;
}

/**
 * The whole application behind "another account, please": the applicant as the end user's
 * earlier application for the customer stated them (SSN decrypted here, encrypted again when
 * stored), the product, funding and deposit as asked now. It then passes the same checks and the
 * same workflow as any application.
 */
export function additionalAccountApplication(earlier: OnboardingRecord, request: AdditionalAccountRequest, pii: PiiVault): StartOnboardingRequest {
  return {
    applicant: {
      legalName: earlier.legalName,
      dateOfBirth: earlier.dateOfBirth,
      ssn: pii.decrypt(earlier.ssnEncrypted),
      email: earlier.email,
      phone: earlier.phone,
      address: earlier.address,
    },
    product: request.product,
    fundingAccount: request.fundingAccount,
    ...(request.openingDeposit === undefined ? {} : { openingDeposit: request.openingDeposit }),
  };
}
