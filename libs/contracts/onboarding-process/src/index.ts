import type { TSchema } from '@sinclair/typebox';
import { AccountTransactionPageSchema } from './account-transactions';
import { CustomerListSchema, CustomerOverviewSchema } from './customer-overview';
import {
  AdditionalAccountRequestSchema,
  ConfirmMicroDepositsRequestSchema,
  OnboardingListSchema,
  OnboardingSchema,
  ReviewDecisionRequestSchema,
  StartOnboardingRequestSchema,
} from './onboarding';
import { OnboardingCatalogueSchema } from './products';

/**
 * The onboarding Process API's contract: TypeBox schemas and types shared by its server routes and
 * its client (the Experience APIs' only way to onboarding and customer data).
 */
export * from './account-transactions';
export * from './customer-overview';
export { literalUnion } from './literal-union';
export * from './onboarding';
export * from './problem-codes';
export * from './products';
export { ref } from '@bartholomew/contracts-shared';

/**
 * Every named (`$id`) schema of the contract: the server registers them with the platform, the
 * client gives them to its response validator, so `$ref`s resolve on both sides.
 */
export const onboardingProcessSchemas: readonly TSchema[] = [
  StartOnboardingRequestSchema,
  AdditionalAccountRequestSchema,
  OnboardingSchema,
  OnboardingListSchema,
  ConfirmMicroDepositsRequestSchema,
  ReviewDecisionRequestSchema,
  CustomerOverviewSchema,
  CustomerListSchema,
  AccountTransactionPageSchema,
  OnboardingCatalogueSchema,
];
