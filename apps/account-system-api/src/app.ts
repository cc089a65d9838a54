import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { accountSystemSchemas } from '@bartholomew/contracts-account-system';
import { platform } from '@bartholomew/platform/server';
import type { AccountSystemConfig } from './config';
import { migrations } from './migrations';
import { coreBanking } from './plugins/core-banking';
import { accountRoutes } from './routes/accounts';
import { customerRoutes } from './routes/customers';
import { transactionRoutes } from './routes/transactions';

export { AccountSystemConfigSchema, type AccountSystemConfig } from './config';

export interface AccountSystemAppOptions {
  config: AccountSystemConfig;
}

/**
 * The account System API: core banking (customers, deposit accounts, balances, transactions)
 * behind a stable contract, for process-layer services and operators only.
 * Used as-is by main.ts and by the tests. Routes are imported explicitly: the esbuild bundle
 * would silently lose routes autoloaded from a folder.
 */
async function accountSystemApp(app: FastifyInstance, { config }: AccountSystemAppOptions): Promise<void> {
  await app.register(platform, {
    service: {
      name: 'account-system-api',
      title: 'Account System API',
      version: '1.0.0',
      description: 'Core banking behind a stable contract: customers, deposit accounts, balances and transactions.',
      tags: [
        { name: 'customers', description: 'Customers of the bank' },
        { name: 'accounts', description: 'Deposit accounts, their status and balance' },
        { name: 'transactions', description: 'Credits and debits on an account' },
      ],
    },
    config,
    acceptedLayers: ['process', 'operator'],
    migrations,
    schemas: [...accountSystemSchemas],
  });
  // Every route takes JSON only: a text/plain body is the wrong media type (415), not a string to validate.
  await app.register(coreBanking);
  await app.register(customerRoutes);
  await app.register(accountRoutes);
  await app.register(transactionRoutes);
}

// Not encapsulated: the platform's hooks, error handler and decorators belong to the server itself.
export const accountSystem = fp(accountSystemApp, { name: 'account-system-api', fastify: '5.x' });
