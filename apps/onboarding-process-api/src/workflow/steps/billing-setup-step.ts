import { BillingProblemCode } from '@bartholomew/contracts-billing-system';
import { DownstreamRejected } from '@bartholomew/platform/http-client';
import type { OnboardingRecord } from '../../onboarding/onboarding-repository';
import { downstreamKey, type StepContext, type StepResult } from '../step-result';

/**
 * `billing_setup`: billing account on the chosen fee plan, the verified funding account as its
 * ACH payment method, and the verification outcome recorded. A refusal (unknown plan, payment
 * method refused) fails the onboarding; the workflow then compensates (closes what was opened).
 */
export async function runBillingSetupStep(ctx: StepContext, onboarding: OnboardingRecord): Promise<StepResult> {
  if (!onboarding.customerId || !onboarding.accountId) throw new Error('billing_setup reached without an opened account');
  let billingAccountId: string | null = null;
  try {
    const billingAccount = await ctx.billingSystem.openBillingAccount(
      { customerId: onboarding.customerId, accountId: onboarding.accountId, planCode: onboarding.planCode },
      { idempotencyKey: downstreamKey(onboarding.id, 'billing-account'), requestId: ctx.requestId },
    );
    billingAccountId = billingAccount.billingAccountId;
    const paymentMethod = await ctx.billingSystem.addPaymentMethod(
      billingAccountId,
      {
        routingNumber: onboarding.fundingRoutingNumber,
        accountNumber: ctx.pii.decrypt(onboarding.fundingAccountEncrypted),
        accountType: onboarding.fundingAccountType,
        holderName: onboarding.legalName,
      },
      { idempotencyKey: downstreamKey(onboarding.id, 'payment-method'), requestId: ctx.requestId },
    );
    if (paymentMethod.status === 'unverified') {
      await recordVerified(ctx, onboarding, billingAccountId, paymentMethod.paymentMethodId);
    } else if (paymentMethod.status === 'failed') {
      return refused(billingAccountId, 'PAYMENT_METHOD_FAILED', 'The billing System API holds the funding account as failed');
    }
    return {
      kind: 'succeeded',
      outcome: 'billing_ready',
      changes: { billingAccountId, paymentMethodId: paymentMethod.paymentMethodId },
    };
  } catch (error) {
    if (error instanceof DownstreamRejected) {
      const code = typeof error.problem?.code === 'string' ? error.problem.code : `HTTP_${error.status}`;
      return refused(billingAccountId, code, 'Billing setup was refused by the billing System API');
    }
    throw error;
  }
}

function refused(billingAccountId: string | null, downstreamCode: string, message: string): StepResult {
  return {
    kind: 'failed',
    outcome: 'refused',
    code: 'BILLING_SETUP_REFUSED',
    message: `${message} (${downstreamCode})`,
    changes: billingAccountId ? { billingAccountId } : {},
  };
}

/**
 * The ACH verification step already verified the account; billing records it. Not keyed, so the
 * client does not retry it — but repeating it is safe: a second outcome is refused with
 * VERIFICATION_ALREADY_RECORDED, which after our own earlier attempt means it is done.
 */
async function recordVerified(ctx: StepContext, onboarding: OnboardingRecord, billingAccountId: string, paymentMethodId: string): Promise<void> {
  try {
    await ctx.billingSystem.recordPaymentMethodVerification(
      billingAccountId,
      paymentMethodId,
      { outcome: 'verified', reason: `Verified over ACH by onboarding ${onboarding.id}` },
      { requestId: ctx.requestId },
    );
  } catch (error) {
    if (error instanceof DownstreamRejected && error.problem?.code === BillingProblemCode.VERIFICATION_ALREADY_RECORDED) {
      const current = await ctx.billingSystem.getPaymentMethod(billingAccountId, paymentMethodId, { requestId: ctx.requestId });
      if (current.status === 'verified') return;
    }
    throw error;
  }
}
