import type { Migration } from '@bartholomew/platform';
import { onboardingSchema } from './001-onboarding-schema';
import { workerPoolSessions } from './002-worker-pool-sessions';

/** Every migration of the onboarding Process API, in version order. */
export const migrations: Migration[] = [onboardingSchema, workerPoolSessions];
