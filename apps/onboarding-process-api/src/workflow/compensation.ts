import { AccountSystemProblemCode } from '@bartholomew/contracts-account-system';
import { DownstreamRejected } from '@bartholomew/platform/http-client';
import type { OnboardingRecord } from '../onboarding/onboarding-repository';
import type { StepContext } from './step-result';

/**
 * Undoes what a failed onboarding created downstream: closes its billing account, then its
 * deposit account (with the reason recorded in the account's status history). Both calls are
 * safe to repeat — closing a closed account answers it unchanged — so a compensation interrupted
 * by a crash or an outage simply runs again. Transient faults are thrown (the workflow retries);
 * a permanent refusal is recorded in the answer for an operator, not retried forever.
 * Answers a short note for the onboarding's reason.
 */
export async function compensate(ctx: StepContext, onboarding: OnboardingRecord): Promise<string> {
  const notes: string[] = [];
  if (onboarding.billingAccountId) {
    try {
      await ctx.billingSystem.closeBillingAccount(onboarding.billingAccountId, { requestId: ctx.requestId });
      notes.push('billing account closed');
    } catch (error) {
      if (!(error instanceof DownstreamRejected)) throw error;
      notes.push(`billing account could not be closed (${error.problem?.code ?? error.status}); an operator must close it`);
      ctx.log.error({ billingAccountId: onboarding.billingAccountId, status: error.status }, 'compensation: billing account not closed');
    }
  }
  if (onboarding.accountId) {
    try {
      await ctx.accountSystem.changeAccountStatus(
        onboarding.accountId,
        { status: 'closed', reason: `Onboarding ${onboarding.id} failed: ${onboarding.reasonCode ?? 'FAILED'}` },
        { requestId: ctx.requestId },
      );
      notes.push('account closed');
    } catch (error) {
      if (!(error instanceof DownstreamRejected)) throw error;
      if (error.problem?.code === AccountSystemProblemCode.ACCOUNT_CLOSED) notes.push('account closed');
      else {
        notes.push(`account could not be closed (${error.problem?.code ?? error.status}); an operator must close it`);
        ctx.log.error({ accountId: onboarding.accountId, status: error.status }, 'compensation: account not closed');
      }
    }
  }
  return notes.join(', ') || 'nothing to undo';
}
