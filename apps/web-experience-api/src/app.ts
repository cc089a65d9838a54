import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { webExperienceSchemas, STALE_HEADER } from '@bartholomew/contracts-web-experience';
import { platform } from '@bartholomew/platform';
import type { WebExperienceConfig } from './config';
import { SubjectNotAccepted } from './errors';
import { conditionalReads } from '@bartholomew/experience-kit';
import type { OnboardingProcess } from './process/onboarding-process';
import { onboardingProcess } from './process/process-plugin';
import { applicationRoutes } from './routes/applications';
import { customerRoutes } from './routes/customer';

export { WebExperienceConfigSchema, type WebExperienceConfig } from './config';
export type { OnboardingProcess } from './process/onboarding-process';

export interface WebExperienceAppOptions {
  config: WebExperienceConfig;
  /** Test seam: replaces the Process API client built from config. */
  process?: OnboardingProcess;
}

/** A token subject the Process API accepts as an owner: 1–200 visible ASCII characters. */
const OWNER_SUBJECT = /^[\x21-\x7E]{1,200}$/;

/**
 * The web Experience API: richer views for web banking — the application with its full step
 * timeline, the customer overview, transactions by date.
 *
 * This is API-led reuse made visible: it calls the SAME onboarding Process API as the mobile
 * Experience API, through the same client, and nothing below this layer was changed to add it.
 * Like the mobile API it has no data and no business rules: only views.
 */
async function webExperienceApp(app: FastifyInstance, { config, process }: WebExperienceAppOptions): Promise<void> {
  await app.register(platform, {
    service: {
      name: 'web-experience-api',
      title: 'Web Experience API',
      version: '1.0.0',
      description: 'Views for Bartholomew Capital web banking: applications and their timelines, customer overview, transactions. Bearer tokens only.',
      tags: [
        { name: 'applications', description: 'Your applications and their step timelines' },
        { name: 'customer', description: 'Your profile, accounts, balances, billing and transactions' },
      ],
    },
    config,
    endUsers: config,
    schemas: [...webExperienceSchemas],
  });
  app.addHook('onRequest', async (request) => {
    if (request.endUser && !OWNER_SUBJECT.test(request.endUser.subject)) throw new SubjectNotAccepted();
  });
  await app.register(conditionalReads, { staleHeader: STALE_HEADER });
  await app.register(onboardingProcess, { config, process });
  await app.register(applicationRoutes);
  await app.register(customerRoutes);
}

// Not encapsulated: the platform's hooks, error handler and decorators belong to the server itself.
export const webExperience = fp(webExperienceApp, { name: 'web-experience-api', fastify: '5.x' });
