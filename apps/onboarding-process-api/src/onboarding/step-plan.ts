import { OnboardingStepName, type OnboardingStepState } from '@bartholomew/contracts-onboarding-process';

/** The steps in the order they run; positions order the timeline. */
export const STEP_ORDER: readonly OnboardingStepName[] = [
  OnboardingStepName.kyc,
  OnboardingStepName.ach_verification,
  OnboardingStepName.open_account,
  OnboardingStepName.billing_setup,
  OnboardingStepName.opening_deposit,
  OnboardingStepName.welcome_email,
];

/**
 * The timeline an onboarding starts with: every step pending, except the opening deposit when
 * none was requested (skipped from the start, so the timeline says so instead of hiding it).
 */
export function initialTimeline(withOpeningDeposit: boolean): Array<{ step: OnboardingStepName; position: number; state: OnboardingStepState }> {
  return STEP_ORDER.map((step, index) => ({
    step,
    position: index + 1,
    state: step === OnboardingStepName.opening_deposit && !withOpeningDeposit ? 'skipped' : 'pending',
  }));
}

/** The step after `step`, passing over the opening deposit when none was requested; null after the last. */
export function stepAfter(step: OnboardingStepName, withOpeningDeposit: boolean): OnboardingStepName | null {
  for (let index = STEP_ORDER.indexOf(step) + 1; index < STEP_ORDER.length; index++) {
    const next = STEP_ORDER[index];
    if (next === OnboardingStepName.opening_deposit && !withOpeningDeposit) continue;
    return next;
  }
  return null;
}

/** Steps that only ask (KYC, ACH): a "no" there rejects the application, and nothing was created yet. */
export function isVerificationStep(step: OnboardingStepName): boolean {
  return step === OnboardingStepName.kyc || step === OnboardingStepName.ach_verification;
}
