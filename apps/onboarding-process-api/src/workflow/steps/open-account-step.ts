import { AccountSystemProblemCode, type Customer } from '@bartholomew/contracts-account-system';
import { DownstreamRejected } from '@bartholomew/platform';
import { compareIdentity } from '../../onboarding/customer-identity';
import type { OnboardingRecord } from '../../onboarding/onboarding-repository';
import { downstreamKey, type StepContext, type StepResult } from '../step-result';

/**
 * What the timeline says while an operator compares the applicant with the bank's customer. The
 * applicant reads it too, so it says neither that the SSN is a customer's nor what differs (that
 * would answer "whose SSN is this?"); the log line of the decision says why, for the operator.
 */
export const CUSTOMER_MATCH_REVIEW_REASON = "IDENTITY_REVIEW: A member of our team is confirming the applicant's identity";

type CustomerDecision = { kind: 'created' | 'reused'; customerId: string } | { kind: 'review'; customerId: string };

/**
 * `open_account`: the customer, then the deposit account, in the account System API. Both writes
 * carry keys derived from the onboarding, so a retry after a lost answer or a crash gets the same
 * customer and account back instead of new ones.
 *
 * The customer is the one the onboarding already names (another account for an existing
 * customer, or a match an operator approved), else a new one — or, when the bank already has a
 * customer with this SSN, that customer: reused when the applicant's name and date of birth match
 * it and no other sign-in owns it, else held for review. An earlier application that failed never
 * blocks a new one.
 */
export async function runOpenAccountStep(ctx: StepContext, onboarding: OnboardingRecord): Promise<StepResult> {
  const customer: CustomerDecision = onboarding.customerId
    ? { kind: 'reused', customerId: onboarding.customerId }
    : await customerFor(ctx, onboarding);
  if (customer.kind === 'review') {
    return {
      kind: 'waiting',
      outcome: 'customer_match_review',
      status: 'in_review',
      reason: CUSTOMER_MATCH_REVIEW_REASON,
      changes: { matchedCustomerId: customer.customerId },
    };
  }
  const { customerId } = customer;
  const account = await ctx.accountSystem.openAccount(
    { customerId, productType: onboarding.productType, currency: 'USD' },
    { idempotencyKey: downstreamKey(onboarding.id, 'account'), requestId: ctx.requestId },
  );
  return {
    kind: 'succeeded',
    outcome: customer.kind === 'created' ? 'account_opened' : 'account_opened_for_existing_customer',
    changes: { customerId, accountId: account.accountId, accountNumberMasked: account.accountNumberMasked },
  };
}

/** A new customer, or the bank's existing customer with this SSN and what to do with them. */
async function customerFor(ctx: StepContext, onboarding: OnboardingRecord): Promise<CustomerDecision> {
  const taxId = ctx.pii.decrypt(onboarding.ssnEncrypted);
  try {
    const created = await ctx.accountSystem.createCustomer(
      {
        legalName: onboarding.legalName,
        dateOfBirth: onboarding.dateOfBirth,
        taxId,
        email: onboarding.email,
        phone: onboarding.phone,
        address: accountSystemAddress(onboarding),
      },
      { idempotencyKey: downstreamKey(onboarding.id, 'customer'), requestId: ctx.requestId },
    );
    return { kind: 'created', customerId: created.customerId };
  } catch (error) {
    if (!(error instanceof DownstreamRejected && error.problem?.code === AccountSystemProblemCode.CUSTOMER_ALREADY_EXISTS)) throw error;
  }
  // The SSN's fingerprint is unique at the account System API: whoever created the customer
  // first — an earlier application, or a concurrent one of the same person — it is found here.
  const existing = await ctx.accountSystem.findCustomerByTaxId(taxId, { requestId: ctx.requestId });
  // Refused as existing, then not found: core banking contradicts itself. Not a refusal to record
  // against the applicant; the job is retried and the error logged.
  if (!existing) throw new Error('account System API refused the customer as existing but finds no customer with the SSN');
  return decideOnExisting(ctx, onboarding, existing);
}

async function decideOnExisting(ctx: StepContext, onboarding: OnboardingRecord, existing: Customer): Promise<CustomerDecision> {
  const identity = compareIdentity(onboarding, existing);
  if (!identity.matches) {
    ctx.log.warn(
      { customerId: existing.customerId, cause: 'identity_mismatch', differs: identity.differs },
      'the applicant’s SSN belongs to a customer with another identity: held for review',
    );
    return { kind: 'review', customerId: existing.customerId };
  }
  // An onboarding that has not yet recorded the customer (a concurrent one of this person, or one
  // that failed before recording it) owns nothing: only another sign-in's recorded ownership counts.
  const owners = await ctx.customerOwners(existing.customerId);
  if (owners.length > 0 && !owners.includes(onboarding.owner)) {
    // REVIEW: the same person under a second sign-in is held for an operator rather than linked at
    // once: SSN, name and date of birth are exactly what leaks in data breaches, and linking would
    // show this sign-in every account of the customer. A step-up check could replace the review.
    ctx.log.warn({ customerId: existing.customerId, cause: 'another_sign_in' }, 'the applicant is a customer another sign-in owns: held for review');
    return { kind: 'review', customerId: existing.customerId };
  }
  ctx.log.info({ customerId: existing.customerId }, 'applicant is an existing customer: opening the account for them');
  return { kind: 'reused', customerId: existing.customerId };
}

/** The account System API's address has no optional-dash ZIP+4: normalise `100012345` to `10001-2345`. */
function accountSystemAddress(onboarding: OnboardingRecord) {
  const { postalCode, ...rest } = onboarding.address;
  const digits = postalCode.replace('-', '');
  return { ...rest, postalCode: digits.length === 9 ? `${digits.slice(0, 5)}-${digits.slice(5)}` : digits };
}
