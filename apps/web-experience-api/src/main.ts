import Fastify from 'fastify';
import { ConfigError, loadConfig, startService, serviceServerOptions } from '@bartholomew/platform/server';
import { webExperience, WebExperienceConfigSchema } from './app';

/** Reads the configuration, builds the server and listens until SIGTERM/SIGINT. */
async function main(): Promise<void> {
  const config = loadConfig(WebExperienceConfigSchema);
  const app = Fastify(serviceServerOptions(config));
  await app.register(webExperience, { config });
  await startService(app, config);
}

main().catch((error: unknown) => {
  // Before the logger exists a bad configuration can only be told on stderr; its message names the variables.
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
