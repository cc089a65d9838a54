import type { Onboarding, OnboardingStatus, OnboardingStep, OnboardingStepName } from '@bartholomew/contracts-onboarding-process';
import type { Application, ApplicationSummary, TimelineEntry } from '@bartholomew/contracts-web-experience';
import { maskEmail } from './customer-view';

/** What web banking calls each step and status. Words only: the steps and states are the Process API's. */
export const STEP_LABELS: Record<OnboardingStepName, string> = {
  kyc: 'Identity check',
  ach_verification: 'Bank account verification',
  open_account: 'Account opening',
  billing_setup: 'Billing setup',
  opening_deposit: 'Opening deposit',
  welcome_email: 'Welcome email',
};

export const STATUS_LABELS: Record<OnboardingStatus, string> = {
  pending: 'Received',
  in_progress: 'In progress',
  awaiting_customer: 'Waiting for you to confirm two small deposits',
  in_review: 'Being reviewed by our team',
  completed: 'Account open',
  rejected: 'Not approved',
  failed: 'Stopped: nothing was left half-done',
};

function timelineEntry(step: OnboardingStep): TimelineEntry {
  const durationMs = step.startedAt && step.finishedAt ? Math.max(0, Date.parse(step.finishedAt) - Date.parse(step.startedAt)) : undefined;
  return {
    step: step.name,
    label: STEP_LABELS[step.name],
    state: step.state,
    attempts: step.attempts,
    ...(step.startedAt ? { startedAt: step.startedAt } : {}),
    ...(step.finishedAt ? { finishedAt: step.finishedAt } : {}),
    ...(durationMs === undefined ? {} : { durationMs }),
    ...(step.outcome ? { outcome: step.outcome } : {}),
    ...(step.reason ? { reason: step.reason } : {}),
  };
}

/** The full application, with every step of its timeline, labelled. */
export function applicationView(onboarding: Onboarding): Application {
  const result = {
    ...(onboarding.customerId ? { customerId: onboarding.customerId } : {}),
    ...(onboarding.accountId ? { accountId: onboarding.accountId } : {}),
    ...(onboarding.accountNumberMasked ? { accountNumberMasked: onboarding.accountNumberMasked } : {}),
    ...(onboarding.billingAccountId ? { billingAccountId: onboarding.billingAccountId } : {}),
  };
  return {
    id: onboarding.id,
    status: onboarding.status,
    statusLabel: STATUS_LABELS[onboarding.status],
    // Masked as the overview masks it: one rule for the same address on every screen.
    applicant: {
      legalName: onboarding.applicant.legalName,
      emailMasked: maskEmail(onboarding.applicant.email),
      email: maskEmail(onboarding.applicant.email),
      ssnLast4: onboarding.applicant.ssnLast4,
    },
    product: onboarding.product,
    fundingAccount: onboarding.fundingAccountMasked,
    ...(onboarding.openingDeposit ? { openingDeposit: onboarding.openingDeposit } : {}),
    ...(Object.keys(result).length > 0 ? { result } : {}),
    ...(onboarding.reason ? { reason: onboarding.reason } : {}),
    ...(onboarding.pendingAction ? { pendingAction: onboarding.pendingAction } : {}),
    timeline: onboarding.timeline.map(timelineEntry),
    createdAt: onboarding.createdAt,
    updatedAt: onboarding.updatedAt,
  };
}

export function applicationSummary(onboarding: Onboarding): ApplicationSummary {
  return {
    id: onboarding.id,
    status: onboarding.status,
    statusLabel: STATUS_LABELS[onboarding.status],
    product: onboarding.product,
    createdAt: onboarding.createdAt,
    updatedAt: onboarding.updatedAt,
  };
}
