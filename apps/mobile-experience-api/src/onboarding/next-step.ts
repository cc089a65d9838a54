import type { DisplayReason, NextStep } from '@bartholomew/contracts-mobile-experience';
import type { Onboarding, OnboardingReason } from '@bartholomew/contracts-onboarding-process';
import { ProcessAnswerIncomplete } from '@bartholomew/experience-kit';

/** How soon the app should ask again while checks run, and while a person reviews. */
export const POLL_PROCESSING_S = 2;
export const POLL_IN_REVIEW_S = 60;

/**
 * Words for the applicant, by the Process API's reason code. Identity-check refusals are all
 * shown alike: telling an applicant that they matched a watch list or a deceased-persons record
 * would disclose what the bank must not. Bank-account problems are specific — the applicant can
 * fix them with another account.
 */
const IDENTITY_NOT_VERIFIED: DisplayReason = {
  code: 'IDENTITY_NOT_VERIFIED',
  message: "We couldn't verify your identity, so we can't open an account right now.",
};
const BANK_ACCOUNT_REFUSED = (message: string): DisplayReason => ({ code: 'BANK_ACCOUNT_NOT_ACCEPTED', message });
const DISPLAY_REASONS: Record<string, DisplayReason> = {
  UNDERAGE: {
    code: 'UNDERAGE',
    message: 'You need to be of age in your state (18; 19 in Alabama and Nebraska; 21 in Mississippi) to open an account.',
  },
  INVALID_SSN: { code: 'INVALID_SSN', message: 'The Social Security number doesn’t look right. Please start again and check it.' },
  INVALID_DATE_OF_BIRTH: { code: 'INVALID_DATE_OF_BIRTH', message: 'The date of birth doesn’t look right. Please start again and check it.' },
  INVALID_ROUTING_NUMBER: BANK_ACCOUNT_REFUSED('That routing number isn’t valid. Please start again with your bank’s routing number.'),
  INVALID_ACCOUNT_NUMBER: BANK_ACCOUNT_REFUSED('Your bank says that account number isn’t valid. Please start again and check it.'),
  ACCOUNT_CLOSED: BANK_ACCOUNT_REFUSED('Your bank says that account is closed. Please start again with another account.'),
  NO_ACCOUNT: BANK_ACCOUNT_REFUSED('Your bank can’t find that account. Please start again and check the number.'),
  ACCOUNT_FROZEN: BANK_ACCOUNT_REFUSED('Your bank says that account is frozen. Please start again with another account.'),
  NON_TRANSACTION_ACCOUNT: BANK_ACCOUNT_REFUSED('That account can’t receive transfers. Please start again with a checking or savings account.'),
  MICRO_DEPOSIT_ATTEMPTS_EXCEEDED: {
    code: 'DEPOSITS_NOT_CONFIRMED',
    message: 'The deposit amounts didn’t match too many times. Please start again.',
  },
  MICRO_DEPOSITS_EXPIRED: { code: 'DEPOSITS_NOT_CONFIRMED', message: 'The time to confirm the deposits ran out. Please start again.' },
};
/**
 * Onboardings that `failed` because a System API refused what the applicant chose — the plan, the
 * bank account as a payment method, the opening deposit — not because something broke. "Try again
 * later" would send them round the same refusal again: they are told what to change instead.
 */
const BUSINESS_FAILURES: Record<string, DisplayReason> = {
  BILLING_SETUP_REFUSED: {
    code: 'PLAN_OR_BANK_ACCOUNT_NOT_ACCEPTED',
    message:
      'We couldn’t set up billing with the plan and bank account you chose. Nothing was charged. Please start again and choose another plan or account.',
  },
  OPENING_DEPOSIT_REFUSED: {
    code: 'DEPOSIT_NOT_ACCEPTED',
    message: 'We couldn’t make the opening deposit you asked for. Nothing was charged. Please start again with a different amount.',
  },
};
const FAILED: DisplayReason = {
  code: 'SOMETHING_WENT_WRONG',
  message: 'Something went wrong on our side and your application was stopped. Nothing was charged. Please try again later.',
};

export function displayReason(status: 'rejected' | 'failed', reason: OnboardingReason | undefined): DisplayReason {
  if (status === 'failed') return (reason && BUSINESS_FAILURES[reason.code]) ?? FAILED;
  return (reason && DISPLAY_REASONS[reason.code]) ?? IDENTITY_NOT_VERIFIED;
}

/** The one thing the app shows next for an onboarding, with only the fields that screen needs. */
export function nextStepOf(onboarding: Onboarding): NextStep {
  const { id } = onboarding;
  switch (onboarding.status) {
    case 'pending':
    case 'in_progress':
      return { id, next: 'processing', pollAfterSeconds: POLL_PROCESSING_S };
    case 'awaiting_customer': {
      const action = onboarding.pendingAction;
      if (action?.action !== 'confirm_micro_deposits') return { id, next: 'processing', pollAfterSeconds: POLL_PROCESSING_S };
      return { id, next: 'verify_deposits', deposits: { attemptsLeft: action.attemptsRemaining, expiresAt: action.expiresAt } };
    }
    case 'in_review':
      return { id, next: 'in_review', pollAfterSeconds: POLL_IN_REVIEW_S };
    case 'completed':
      // The workflow completes only after the account is opened: without it the welcome screen has nothing to show.
      if (!onboarding.accountId || !onboarding.accountNumberMasked) throw new ProcessAnswerIncomplete(id, 'the account it opened');
      return { id, next: 'welcome', account: { id: onboarding.accountId, number: onboarding.accountNumberMasked } };
    case 'rejected':
    case 'failed':
      return { id, next: onboarding.status, reason: displayReason(onboarding.status, onboarding.reason) };
  }
}
