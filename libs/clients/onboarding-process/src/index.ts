export {
  END_USER_HEADER,
  HttpOnboardingProcessClient,
  ONBOARDING_PROCESS_API,
  type EndUserCallOptions,
  type FollowOnboarding,
  type FollowedOnboarding,
  type OnboardingProcessClient,
  type OnboardingProcessClientOptions,
  type StartOnboardingOptions,
} from './onboarding-process-client';
