import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { onboardingProcessSchemas } from '@bartholomew/contracts-onboarding-process';
import { platform } from '@bartholomew/platform/server';
import type { OnboardingConfig } from './config';
import { downstreams, type Downstreams } from './downstreams/downstreams-plugin';
import type { MailTransport } from './email/mail-transport';
import { migrations } from './migrations';
import { onboardingFacades } from './onboarding/onboarding-plugin';
import { customerRoutes } from './routes/customers';
import { onboardingRoutes } from './routes/onboardings';
import { productRoutes } from './routes/products';
import { workflowEngine } from './workflow/workflow-plugin';

export { OnboardingConfigSchema, type OnboardingConfig } from './config';

export interface OnboardingAppOptions {
  config: OnboardingConfig;
  /**
   * Test seams: replace a downstream port or the mail transport built from config; how long fee
   * plans read from billing are reused (default five minutes).
   */
  overrides?: Partial<Downstreams> & { mailTransport?: MailTransport; feePlansFreshForMs?: number };
}

/**
 * The onboarding Process API: the durable onboarding workflow over the account and billing
 * System APIs, and the read side (onboardings, customer overview) the Experience APIs use.
 * Accepts experience-layer and operator callers. Used as-is by main.ts and by the tests; routes
 * and plugins are imported explicitly (the esbuild bundle would lose autoloaded ones).
 */
async function onboardingProcessApp(app: FastifyInstance, { config, overrides = {} }: OnboardingAppOptions): Promise<void> {
  await app.register(platform, {
    service: {
      name: 'onboarding-process-api',
      title: 'Onboarding Process API',
      version: '1.0.0',
      description: 'Turns an applicant into a customer with a funded, billed account: KYC, ACH verification, account, billing, welcome email.',
      tags: [
        { name: 'onboardings', description: 'Applications and their durable workflow' },
        { name: 'customers', description: 'What a customer has, composed from the System APIs' },
        { name: 'products', description: 'What an application may ask for, with billing’s plan names and fees' },
      ],
    },
    config,
    acceptedLayers: ['experience', 'operator'],
    migrations,
    schemas: [...onboardingProcessSchemas],
  });
  const { mailTransport, feePlansFreshForMs, ...downstreamOverrides } = overrides;
  await app.register(downstreams, { config, overrides: downstreamOverrides, feePlansFreshForMs });
  await app.register(workflowEngine, { config, mailTransport });
  await app.register(onboardingFacades);
  await app.register(onboardingRoutes);
  await app.register(customerRoutes);
  await app.register(productRoutes);
}

// Not encapsulated: the platform's hooks, error handler and decorators belong to the server itself.
export const onboardingProcess = fp(onboardingProcessApp, { name: 'onboarding-process-api', fastify: '5.x' });
