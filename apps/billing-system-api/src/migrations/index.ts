import type { Migration } from '@bartholomew/platform/db';
import { billingSchema } from './001-billing-schema';

/** The billing database's migrations, in order. Imported explicitly so the bundle carries them. */
export const billingMigrations: Migration[] = [billingSchema];
