import type { Migration } from '@bartholomew/platform';
import { onboardingSchema } from './001-onboarding-schema';

/** Every migration of the onboarding Process API, in version order. */
export const migrations: Migration[] = [onboardingSchema];
