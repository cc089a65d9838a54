import { AccountSystemProblemCode } from '@bartholomew/contracts-account-system';
import { DownstreamRejected } from '@bartholomew/platform';
import type { OnboardingRecord } from '../../onboarding/onboarding-repository';
import { downstreamKey, type StepContext, type StepResult } from '../step-result';

/**
 * `open_account`: the customer, then the deposit account, in the account System API. Both writes
 * carry keys derived from the onboarding, so a retry after a lost answer or a crash gets the same
 * customer and account back instead of new ones.
 */
export async function runOpenAccountStep(ctx: StepContext, onboarding: OnboardingRecord): Promise<StepResult> {
  let customerId: string;
  try {
    const customer = await ctx.accountSystem.createCustomer(
      {
        legalName: onboarding.legalName,
        dateOfBirth: onboarding.dateOfBirth,
        taxId: ctx.pii.decrypt(onboarding.ssnEncrypted),
        email: onboarding.email,
        phone: onboarding.phone,
        address: accountSystemAddress(onboarding),
      },
      { idempotencyKey: downstreamKey(onboarding.id, 'customer'), requestId: ctx.requestId },
    );
    customerId = customer.customerId;
  } catch (error) {
    if (error instanceof DownstreamRejected && error.problem?.code === AccountSystemProblemCode.CUSTOMER_ALREADY_EXISTS) {
      // REVIEW: an existing customer applying again would need a look-up by SSN, which the
      // account System API does not offer; the onboarding fails with a clear reason instead.
      return {
        kind: 'failed',
        outcome: 'customer_exists',
        code: 'CUSTOMER_ALREADY_EXISTS',
        message: 'A customer with this SSN already exists at the bank',
      };
    }
    throw error;
  }
  const account = await ctx.accountSystem.openAccount(
    { customerId, productType: onboarding.productType, currency: 'USD' },
    { idempotencyKey: downstreamKey(onboarding.id, 'account'), requestId: ctx.requestId },
  );
  return {
    kind: 'succeeded',
    outcome: 'account_opened',
    changes: { customerId, accountId: account.accountId, accountNumberMasked: account.accountNumberMasked },
  };
}

/** The account System API's address has no optional-dash ZIP+4: normalise `100012345` to `10001-2345`. */
function accountSystemAddress(onboarding: OnboardingRecord) {
  const { postalCode, ...rest } = onboarding.address;
  const digits = postalCode.replace('-', '');
  return { ...rest, postalCode: digits.length === 9 ? `${digits.slice(0, 5)}-${digits.slice(5)}` : digits };
}
