import Fastify from 'fastify';
import { ConfigError, loadConfig, serviceServerOptions, startService } from '@bartholomew/platform/server';
import { onboardingProcess, OnboardingConfigSchema } from './app';

/** Reads the configuration, builds the server and listens until SIGTERM/SIGINT. */
async function main(): Promise<void> {
  const config = loadConfig(OnboardingConfigSchema);
  const app = Fastify(serviceServerOptions(config));
  await app.register(onboardingProcess, { config });
  await startService(app, config);
}

main().catch((error: unknown) => {
  // Before the logger exists a bad configuration can only be told on stderr; its message names the variables.
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
