import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { CustomerOverviewService } from './customer-overview-service';
import { OnboardingChanges } from './onboarding-changes';
import { OnboardingService } from './onboarding-service';

declare module 'fastify' {
  interface FastifyInstance {
    /** Commands and queries on onboardings (what the routes call). */
    onboardings: OnboardingService;
    /** The customer overview composed from both System APIs. */
    customerOverview: CustomerOverviewService;
    /** Reads waiting for an onboarding's next change (long polls). */
    onboardingChanges: OnboardingChanges;
  }
}

/** The onboarding facades the routes use, over the database and the downstream clients. */
async function onboardingPlugin(app: FastifyInstance): Promise<void> {
  app.decorate('onboardings', new OnboardingService({ db: app.db, pii: app.pii, log: app.log.child({ component: 'onboardings' }) }));
  const changes = new OnboardingChanges({ connection: app.db.pool.options, log: app.log.child({ component: 'onboarding-changes' }) });
  app.decorate('onboardingChanges', changes);
  await changes.start();
  // Before the server drains: a waiting read answers now instead of holding up the shutdown.
  app.addHook('preClose', async () => changes.close());
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
