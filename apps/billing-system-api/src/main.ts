import Fastify from 'fastify';
import { loadConfig, serviceServerOptions, startService } from '@bartholomew/platform/server';
import { billingSystemApi } from './app';
import { BillingConfigSchema } from './config';

/** Starts the billing System API: config from the environment, then listen until a signal. */
async function main(): Promise<void> {
  const config = loadConfig(BillingConfigSchema);
  const app = Fastify(serviceServerOptions(config));
  await app.register(billingSystemApi, { config });
  await startService(app, config);
}

main().catch((error: unknown) => {
  // Config errors name the bad variables; anything else failed during start-up.
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
