import { maskLastFour } from '@bartholomew/platform/server';
import type { Onboarding, OnboardingStep } from '@bartholomew/contracts-onboarding-process';
import type { OnboardingRecord, StepRecord } from './onboarding-repository';

/**
 * The onboarding as callers see it: PII only masked (SSN and funding account as last four), no
 * date of birth, address or phone, no internal error text — step `reason`s are the recorded,
 * caller-safe reasons only.
 */
export function toOnboardingView(record: OnboardingRecord, steps: StepRecord[]): Onboarding {
  const timeline: OnboardingStep[] = steps.map((step) => ({
    name: step.step,
    state: step.state,
    attempts: step.attempts,
    ...(step.startedAt ? { startedAt: step.startedAt.toISOString() } : {}),
    ...(step.finishedAt ? { finishedAt: step.finishedAt.toISOString() } : {}),
    ...(step.outcome ? { outcome: step.outcome } : {}),
    ...(step.reason ? { reason: step.reason } : {}),
  }));
  return {
    id: record.id,
    status: record.status,
    owner: record.owner,
    applicant: { legalName: record.legalName, email: record.email, ssnLast4: record.ssnLast4 },
    product: { productType: record.productType, planCode: record.planCode },
    fundingAccountMasked: {
      routingNumber: record.fundingRoutingNumber,
      accountNumberMasked: maskLastFour(record.fundingAccountLast4),
      accountType: record.fundingAccountType,
    },
    ...(record.openingDeposit ? { openingDeposit: record.openingDeposit } : {}),
    ...(record.customerId ? { customerId: record.customerId } : {}),
    ...(record.accountId ? { accountId: record.accountId } : {}),
    ...(record.accountNumberMasked ? { accountNumberMasked: record.accountNumberMasked } : {}),
    ...(record.billingAccountId ? { billingAccountId: record.billingAccountId } : {}),
    ...(record.reasonCode ? { reason: { code: record.reasonCode, message: record.reasonMessage ?? record.reasonCode } } : {}),
    ...(record.status === 'awaiting_customer' && record.achExpiresAt
      ? {
          pendingAction: {
            action: 'confirm_micro_deposits' as const,
            expiresAt: record.achExpiresAt.toISOString(),
            attemptsRemaining: record.achAttemptsRemaining ?? 0,
          },
        }
      : {}),
    timeline,
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
  };
}
