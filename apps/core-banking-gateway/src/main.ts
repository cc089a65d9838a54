import closeWithGrace from 'close-with-grace';
import Fastify from 'fastify';
import { ConfigError, serviceServerOptions } from '@bartholomew/platform/server';
import { loadGatewayConfig, operationsServerConfig, startGateway } from './gateway';
import { operations } from './operations';

/** Reads the configuration, starts the gateway (TCP) and its operations port (HTTP), and serves until SIGTERM/SIGINT. */
async function main(): Promise<void> {
  const config = loadGatewayConfig();
  // The platform's server options: its scrubbing logger (the gateway logs through it too), timeouts and connection limits.
  const app = Fastify(serviceServerOptions(operationsServerConfig(config)));
  const log = app.log;
  const starting = (async () => {
    const gateway = await startGateway(config, log);
    try {
      await app.register(operations, { gateway });
      await app.listen({ host: config.HOST, port: config.PORT });
    } catch (error) {
      await gateway.close();
      throw error;
    }
    return gateway;
  })();
  // Hooked before start finishes: a signal during start (initdb can take seconds) waits for it and
  // then closes, instead of leaving an embedded PostgreSQL behind. close-with-grace forces the exit
  // if closing takes longer than the grace period plus a margin for the database.
  closeWithGrace({ delay: config.SHUTDOWN_GRACE_MS + 5_000 }, async ({ signal, err }) => {
    if (err) log.error({ err }, 'shutting down after an uncaught error');
    else log.info({ signal }, 'shutting down');
    const gateway = await starting.catch(() => undefined);
    // The TCP side first: /health/ready answers 503 while sessions finish, then the operations port closes.
    await gateway?.close();
    await app.close();
  });
  await starting;
}

main().catch((error: unknown) => {
  // Before the logger exists a bad configuration can only be told on stderr; its message names the variables.
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
