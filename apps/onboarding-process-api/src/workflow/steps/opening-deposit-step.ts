import { DownstreamRejected } from '@bartholomew/platform/http-client';
import type { OnboardingRecord } from '../../onboarding/onboarding-repository';
import { downstreamKey, type StepContext, type StepResult } from '../step-result';

/**
 * `opening_deposit` (only when one was requested): credit the new account. The posting's key is
 * derived from the onboarding, so however often the step is retried the money posts once.
 */
export async function runOpeningDepositStep(ctx: StepContext, onboarding: OnboardingRecord): Promise<StepResult> {
  if (!onboarding.accountId || !onboarding.openingDeposit) throw new Error('opening_deposit reached without an account or a deposit');
  try {
    const transaction = await ctx.accountSystem.postTransaction(
      onboarding.accountId,
      {
        direction: 'credit',
        amount: onboarding.openingDeposit,
        description: 'Opening deposit',
        reference: `onboarding:${onboarding.id}`,
      },
      { idempotencyKey: downstreamKey(onboarding.id, 'opening-deposit'), requestId: ctx.requestId },
    );
    return { kind: 'succeeded', outcome: 'deposit_posted', changes: { depositTransactionId: transaction.transactionId } };
  } catch (error) {
    if (error instanceof DownstreamRejected) {
      const code = typeof error.problem?.code === 'string' ? error.problem.code : `HTTP_${error.status}`;
      return {
        kind: 'failed',
        outcome: 'refused',
        code: 'OPENING_DEPOSIT_REFUSED',
        message: `The opening deposit was refused by the account System API (${code})`,
      };
    }
    throw error;
  }
}
