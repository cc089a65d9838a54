/**
 * The typed client the Bartholomew Capital React Native app uses to call the mobile Experience
 * API. Runs anywhere with a standard `fetch` (React Native, browsers, Node ≥ 18); types come from
 * the API's contract, imported as types only.
 */
export { MobileExperienceClient, type Fetch, type MobileExperienceClientOptions, type PageOptions } from './mobile-experience-client';
export { MobileApiError, MobileNetworkError, type ProblemCode } from './errors';
export type {
  AccountDetail,
  AccountTile,
  Billing,
  BillingPlan,
  DisplayReason,
  FailedStep,
  Home,
  InReviewStep,
  NewAccountForm,
  NextStep,
  NextStepName,
  OnboardingForm,
  ProcessingStep,
  ProductCatalogue,
  ProductOffer,
  RejectedStep,
  TransactionLine,
  VerifyDepositsStep,
  WelcomeStep,
} from '@bartholomew/contracts-mobile-experience';
