import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Billing } from '../billing/billing';

declare module 'fastify' {
  interface FastifyInstance {
    /** The billing facade routes talk to: fee plans, billing accounts, ACH payment methods. */
    billing: Billing;
  }
}

/** Decorates `app.billing` over the platform's database and PII vault. */
async function billingPlugin(app: FastifyInstance): Promise<void> {
  app.decorate('billing', new Billing(app.db, app.pii));
}

export const billing = fp(billingPlugin, { name: 'billing', dependencies: ['platform'], fastify: '5.x' });
