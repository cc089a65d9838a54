import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { mobileExperienceSchemas, STALE_HEADER } from '@bartholomew/contracts-mobile-experience';
import { platform } from '@bartholomew/platform/server';
import { conditionalReads, onboardingProcess, ownerSubject, type OnboardingProcess } from '@bartholomew/experience-kit';
import type { MobileExperienceConfig } from './config';
import { bankingRoutes } from './routes/banking';
import { newAccountRoutes } from './routes/new-account';
import { onboardingRoutes } from './routes/onboardings';
import { productRoutes } from './routes/products';

export { MobileExperienceConfigSchema, type MobileExperienceConfig } from './config';
export type { OnboardingProcess } from '@bartholomew/experience-kit';

export interface MobileExperienceAppOptions {
  config: MobileExperienceConfig;
  /** Test seam: replaces the Process API client built from config. */
  process?: OnboardingProcess;
}

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
  await app.register(ownerSubject);
  await app.register(conditionalReads, { staleHeader: STALE_HEADER });
  await app.register(onboardingProcess, { config, callerName: 'mobile-experience-api', process });
  // `/v1` as published; `/v2` describes the "what next" answer as a union (see routes/responses.ts).
  for (const version of ['v1', 'v2'] as const) {
    await app.register(onboardingRoutes, { version });
    await app.register(newAccountRoutes, { version });
  }
  await app.register(bankingRoutes);
  await app.register(productRoutes);
}

// Not encapsulated: the platform's hooks, error handler and decorators belong to the server itself.
export const mobileExperience = fp(mobileExperienceApp, { name: 'mobile-experience-api', fastify: '5.x' });
