import { randomUUID } from 'node:crypto';
import { composeWelcomeEmail } from '../../email/welcome-email';
import { insertOutboxMessage } from '../../email/email-outbox';
import { scheduleEmailDelivery } from '../../jobs/job-queue';
import type { OnboardingRecord } from '../../onboarding/onboarding-repository';
import type { StepContext, StepResult } from '../step-result';

/**
 * `welcome_email`: writes the welcome message to the outbox IN the transaction that completes the
 * step (and the onboarding), with its delivery job. Nothing is sent here: the relay
 * (email/email-relay.ts) delivers it, so a crash can neither lose the email (it is committed with
 * the step) nor send it from a step that then rolls back. The Message-ID is fixed at this point
 * and derived from the onboarding, so a redelivery is recognisably the same message.
 */
export async function runWelcomeEmailStep(ctx: StepContext, onboarding: OnboardingRecord): Promise<StepResult> {
  if (!onboarding.accountNumberMasked) throw new Error('welcome_email reached without an opened account');
  const message = composeWelcomeEmail(onboarding, ctx.mail);
  return {
    kind: 'succeeded',
    outcome: 'queued',
    alsoInTransaction: async (client) => {
      const emailId = await insertOutboxMessage(client, { emailId: randomUUID(), onboardingId: onboarding.id, kind: 'welcome', ...message });
      await scheduleEmailDelivery(client, emailId);
    },
  };
}
