import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { webExperienceSchemas, STALE_HEADER } from '@bartholomew/contracts-web-experience';
import { platform } from '@bartholomew/platform/server';
import { browserCors, conditionalReads, onboardingProcess, ownerSubject, type OnboardingProcess } from '@bartholomew/experience-kit';
import type { WebExperienceConfig } from './config';
import { accountRoutes } from './routes/accounts';
import { applicationRoutes } from './routes/applications';
import { customerRoutes } from './routes/customer';
import { productRoutes } from './routes/products';

export { WebExperienceConfigSchema, type WebExperienceConfig } from './config';
export type { OnboardingProcess } from '@bartholomew/experience-kit';

export interface WebExperienceAppOptions {
  config: WebExperienceConfig;
  /** Test seam: replaces the Process API client built from config. */
  process?: OnboardingProcess;
}

/**
 * The web Experience API: richer views for web banking — the application with its full step
 * timeline, the customer overview, transactions by date.
 *
 * This is API-led reuse made visible: it calls the SAME onboarding Process API as the mobile
 * Experience API, through the same client, and nothing below this layer was changed to add it.
 * Like the mobile API it has no data and no business rules: only views.
 */
async function webExperienceApp(app: FastifyInstance, { config, process }: WebExperienceAppOptions): Promise<void> {
  // First: a browser's preflight carries no bearer token and must be answered before the platform checks one.
  await app.register(browserCors, { config });
  await app.register(platform, {
    service: {
      name: 'web-experience-api',
      title: 'Web Experience API',
      version: '1.0.0',
      description:
        'Views for Bartholomew Capital web banking: applications and their timelines, customer overview, transactions. Bearer tokens only.',
      tags: [
        {
          name: 'applications',
          description: 'Your applications and their step timelines',
        },
        {
          name: 'customer',
          description: 'Your profile, accounts, balances, billing and transactions',
        },
      ],
    },
    config,
    endUsers: config,
    schemas: [...webExperienceSchemas],
  });
  await app.register(ownerSubject);
  await app.register(conditionalReads, { staleHeader: STALE_HEADER });
  await app.register(onboardingProcess, {
    config,
    callerName: 'web-experience-api',
    process,
  });
  await app.register(applicationRoutes);
  await app.register(customerRoutes);
  await app.register(accountRoutes);
  await app.register(productRoutes);
}

// Not encapsulated: the platform's hooks, error handler and decorators belong to the server itself.
export const webExperience = fp(webExperienceApp, {
  name: 'web-experience-api',
  fastify: '5.x',
});
