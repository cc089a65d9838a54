import { AchVerificationOutcome } from '../../ach-verification/ach-verifier';
import type { OnboardingRecord } from '../../onboarding/onboarding-repository';
import { downstreamKey, type StepContext, type StepResult } from '../step-result';

/**
 * `ach_verification`: verify the funding bank account. Instantly verified → next step; the
 * verifier refuses it (bad ABA checksum, closed account, ...) → rejected; otherwise two
 * micro-deposits were sent: their amounts are stored encrypted and the onboarding waits
 * `awaiting_customer` until the applicant confirms them (POST .../ach-confirmation) or they
 * expire (the workflow wakes at the expiry and rejects the onboarding).
 */
export async function runAchVerificationStep(ctx: StepContext, onboarding: OnboardingRecord): Promise<StepResult> {
  const result = await ctx.ach.startVerification(
    {
      routingNumber: onboarding.fundingRoutingNumber,
      accountNumber: ctx.pii.decrypt(onboarding.fundingAccountEncrypted),
      accountType: onboarding.fundingAccountType,
    },
    { idempotencyKey: downstreamKey(onboarding.id, 'ach-verification') },
  );
  switch (result.outcome) {
    case AchVerificationOutcome.verified:
      return { kind: 'succeeded', outcome: 'verified_instantly' };
    case AchVerificationOutcome.failed:
      return { kind: 'rejected', outcome: 'failed', code: result.reasonCode, message: result.reason };
    case AchVerificationOutcome.micro_deposits_sent:
      return {
        kind: 'waiting',
        outcome: 'micro_deposits_sent',
        status: 'awaiting_customer',
        changes: {
          achMicroDepositsEncrypted: ctx.pii.encrypt(JSON.stringify(result.amountsMinor)),
          achExpiresAt: result.expiresAt,
          achAttemptsRemaining: ctx.microDeposits.maxAttempts,
        },
        wakeAt: result.expiresAt,
      };
  }
}
