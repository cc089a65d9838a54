import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { billingSystemSchemas } from '@bartholomew/contracts-billing-system';
import { platform } from '@bartholomew/platform/server';
import type { BillingConfig } from './config';
import { billingMigrations } from './migrations';
import { billing } from './plugins/billing-plugin';
import { billingAccountRoutes } from './routes/billing-accounts';
import { feePlanRoutes } from './routes/fee-plans';
import { paymentMethodRoutes } from './routes/payment-methods';

export { BillingConfigSchema, type BillingConfig } from './config';

export interface BillingAppOptions {
  config: BillingConfig;
}

/**
 * The billing System API: hides the billing database (fee plans, billing accounts, ACH payment
 * methods) behind a stable contract. Process-layer services and operators may call it; nothing
 * else. Used as is by main.ts and by the tests. Routes are imported explicitly: the esbuild bundle
 * would silently lose routes autoloaded from a folder.
 */
async function billingSystemApp(app: FastifyInstance, { config }: BillingAppOptions): Promise<void> {
  await app.register(platform, {
    service: {
      name: 'billing-system-api',
      title: 'Billing System API',
      version: '1.0.0',
      description: 'Fee plans, billing accounts and ACH payment methods of Bartholomew Capital customers.',
      tags: [
        { name: 'fee-plans', description: 'The catalogue of monthly fee plans' },
        { name: 'billing-accounts', description: 'Billing profiles of deposit accounts' },
        { name: 'payment-methods', description: 'ACH bank accounts that pay a billing account' },
      ],
    },
    config,
    acceptedLayers: ['process', 'operator'],
    migrations: billingMigrations,
    schemas: [...billingSystemSchemas],
  });
  await app.register(billing);
  await app.register(feePlanRoutes);
  await app.register(billingAccountRoutes);
  await app.register(paymentMethodRoutes);
}

// Not encapsulated: the platform's hooks, error handler and decorators belong to the server itself.
export const billingSystemApi = fp(billingSystemApp, { name: 'billing-system-api', fastify: '5.x' });
