import closeWithGrace from 'close-with-grace';
import type { FastifyInstance } from 'fastify';
import type { ServiceConfig } from './config';

/**
 * Listens, then on SIGINT/SIGTERM stops accepting connections, lets in-flight requests finish
 * (up to SHUTDOWN_GRACE_MS) and closes what the plugins opened (pools, embedded Postgres).
 */
export async function startService(app: FastifyInstance, config: ServiceConfig): Promise<void> {
  closeWithGrace({ delay: config.SHUTDOWN_GRACE_MS }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'shutting down after an uncaught error');
    else app.log.info({ signal }, 'shutting down');
    await app.close();
  });
  await app.listen({ host: config.HOST, port: config.PORT });
}
