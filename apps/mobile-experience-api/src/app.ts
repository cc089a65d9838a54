import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { mobileExperienceSchemas, STALE_HEADER } from '@bartholomew/contracts-mobile-experience';
import { platform } from '@bartholomew/platform';
import type { MobileExperienceConfig } from './config';
import { SubjectNotAccepted } from './errors';
import { conditionalReads } from '@bartholomew/experience-kit';
import type { OnboardingProcess } from './process/onboarding-process';
import { onboardingProcess } from './process/process-plugin';
import { bankingRoutes } from './routes/banking';
import { onboardingRoutes } from './routes/onboardings';

export { MobileExperienceConfigSchema, type MobileExperienceConfig } from './config';
export type { OnboardingProcess } from './process/onboarding-process';

export interface MobileExperienceAppOptions {
  config: MobileExperienceConfig;
  /** Test seam: replaces the Process API client built from config. */
  process?: OnboardingProcess;
}

/** A token subject the Process API accepts as an owner: 1–200 visible ASCII characters. */
const OWNER_SUBJECT = /^[\x21-\x7E]{1,200}$/;

/**
 * The mobile Experience API: what the phone app's screens need, compact, for end users with
 * bearer tokens. It has no data and no business rules of its own: every answer is shaped from
 * the onboarding Process API, the only API it calls. Used as-is by main.ts and by the tests.
 */
async function mobileExperienceApp(app: FastifyInstance, { config, process }: MobileExperienceAppOptions): Promise<void> {
  await app.register(platform, {
    service: {
      name: 'mobile-experience-api',
      title: 'Mobile Experience API',
      version: '1.0.0',
      description: 'Compact JSON for the Bartholomew Capital phone app: sign-up, home screen, accounts and billing. Bearer tokens only.',
      tags: [
        { name: 'onboarding', description: 'The sign-up journey, one screen at a time' },
        { name: 'banking', description: 'Home, account detail and billing screens' },
      ],
    },
    config,
    endUsers: config,
    schemas: [...mobileExperienceSchemas],
  });
  app.addHook('onRequest', async (request) => {
    if (request.endUser && !OWNER_SUBJECT.test(request.endUser.subject)) throw new SubjectNotAccepted();
  });
  await app.register(conditionalReads, { staleHeader: STALE_HEADER });
  await app.register(onboardingProcess, { config, process });
  await app.register(onboardingRoutes);
  await app.register(bankingRoutes);
}

// Not encapsulated: the platform's hooks, error handler and decorators belong to the server itself.
export const mobileExperience = fp(mobileExperienceApp, { name: 'mobile-experience-api', fastify: '5.x' });
