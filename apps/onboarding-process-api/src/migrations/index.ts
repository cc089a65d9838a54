import type { Migration } from '@bartholomew/platform/db';
import { onboardingSchema } from './001-onboarding-schema';
import { workerPoolSessions } from './002-worker-pool-sessions';
import { customerMatchReview } from './003-customer-match-review';
import { onboardingChangedNotifications } from './004-onboarding-changed-notifications';

/** Every migration of the onboarding Process API, in version order. */
export const migrations: Migration[] = [onboardingSchema, workerPoolSessions, customerMatchReview, onboardingChangedNotifications];
