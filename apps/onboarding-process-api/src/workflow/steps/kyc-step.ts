import { KycOutcome } from '../../kyc/kyc-provider';
import type { OnboardingRecord } from '../../onboarding/onboarding-repository';
import type { StepContext, StepResult } from '../step-result';

/**
 * `kyc`: ask the KYC provider about the applicant. Approved → next step; rejected → the
 * onboarding is rejected with the provider's reason code; manual review → held `in_review` until
 * an operator decides (POST /v1/onboardings/{id}/review). Provider outages are thrown (retried).
 */
export async function runKycStep(ctx: StepContext, onboarding: OnboardingRecord): Promise<StepResult> {
  const decision = await ctx.kyc.checkApplicant(
    {
      legalName: onboarding.legalName,
      dateOfBirth: onboarding.dateOfBirth,
      ssn: ctx.pii.decrypt(onboarding.ssnEncrypted),
      address: onboarding.address,
    },
    { idempotencyKey: `${onboarding.id}:kyc`, requestId: ctx.requestId },
  );
  const kycReference = decision.providerReference ?? null;
  switch (decision.outcome) {
    case KycOutcome.approved:
      return { kind: 'succeeded', outcome: 'approved', changes: { kycReference } };
    case KycOutcome.rejected:
      return { kind: 'rejected', outcome: 'rejected', code: decision.reasonCode, message: decision.reason, changes: { kycReference } };
    case KycOutcome.manual_review:
      return {
        kind: 'waiting',
        outcome: 'manual_review',
        status: 'in_review',
        reason: `${decision.reasonCode}: ${decision.reason}`,
        changes: { kycReference },
      };
  }
}
