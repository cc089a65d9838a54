import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { CustomerOverviewService } from './customer-overview-service';
import { OnboardingService } from './onboarding-service';

declare module 'fastify' {
  interface FastifyInstance {
    /** Commands and queries on onboardings (what the routes call). */
    onboardings: OnboardingService;
    /** The customer overview composed from both System APIs. */
    customerOverview: CustomerOverviewService;
  }
}

/** The onboarding facades the routes use, over the database and the downstream clients. */
async function onboardingPlugin(app: FastifyInstance): Promise<void> {
  app.decorate('onboardings', new OnboardingService({ db: app.db, pii: app.pii, log: app.log.child({ component: 'onboardings' }) }));
  app.decorate(
    'customerOverview',
    new CustomerOverviewService({
      db: app.db,
      accountSystem: app.downstream.accountSystem,
      billingSystem: app.downstream.billingSystem,
      feePlans: app.feePlans,
      log: app.log.child({ component: 'customer-overview' }),
    }),
  );
}

export const onboardingFacades = fp(onboardingPlugin, {
  name: 'onboarding-facades',
  dependencies: ['platform', 'onboarding-downstreams'],
  fastify: '5.x',
});
