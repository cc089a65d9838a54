import type { ReviewDecisionRequest } from '@bartholomew/contracts-onboarding-process';
import { scheduleOnboardingRun } from '../jobs/job-queue';
import { skipPendingSteps, updateOnboarding, updateStep, type OnboardingRecord, type Queryable } from './onboarding-repository';

/**
 * An operator's decision on an application held at `open_account` because the bank already has a
 * customer with the applicant's SSN whose identity did not match (or whom another sign-in owns).
 * Approve: the applicant is that customer — it becomes the onboarding's customer (and so theirs)
 * and the step runs again, opening the account for it. Reject: the application is rejected;
 * nothing was created downstream, and the customer stays as it was.
 * Runs in the caller's transaction, on the row it locked.
 */
export async function decideCustomerMatch(client: Queryable, record: OnboardingRecord, decision: ReviewDecisionRequest, note: string): Promise<void> {
  if (decision.decision === 'approve') {
    // Without a held customer (not expected) the step simply runs again and decides afresh.
    const matched = record.matchedCustomerId ? { customerId: record.matchedCustomerId, matchedCustomerId: null } : {};
    await updateOnboarding(client, record.id, record.version, { status: 'in_progress', ...matched });
    await updateStep(client, record.id, 'open_account', { state: 'pending', outcome: 'approved_on_review', reason: note });
    await scheduleOnboardingRun(client, record.id);
    return;
  }
  await updateOnboarding(client, record.id, record.version, {
    status: 'rejected',
    currentStep: null,
    matchedCustomerId: null,
    reasonCode: 'IDENTITY_REJECTED_ON_REVIEW',
    reasonMessage: decision.reason.slice(0, 500),
    finishedAt: new Date(),
  });
  await updateStep(client, record.id, 'open_account', { state: 'failed', outcome: 'rejected_on_review', reason: note, finishedAt: new Date() });
  await skipPendingSteps(client, record.id);
}
