/**
 * The gateway's HTTP operations port — the same three routes every service of the stack has, so
 * `npm start`, compose and the images probe it like the others. No API routes: the gateway's
 * protocol is its TCP port; any other path is a 404 problem+json.
 *
 * - /health/live: the process answers.
 * - /health/ready: 200 when its database answers and the TCP listener accepts sessions; else 503
 *   naming what is down (the shape of the platform's readiness answer).
 * - /metrics: Prometheus text (src/gateway-metrics.ts).
 */
import type { FastifyInstance } from 'fastify';
import { buildProblem, sendProblem } from '@bartholomew/platform/server';
import type { RunningGateway } from './gateway';

type Check = 'ok' | 'unavailable';

export interface OperationsOptions {
  gateway: Pick<RunningGateway, 'db' | 'server' | 'metrics'>;
}

export async function operations(app: FastifyInstance, { gateway }: OperationsOptions): Promise<void> {
  // Any other path: problem+json like every service, the path not echoed (whatever a caller put in it stays out).
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, buildProblem(request, 404, 'ROUTE_NOT_FOUND', `No route answers ${request.method} at this path`)),
  );

  app.get('/health/live', { logLevel: 'warn' }, async () => ({ status: 'ok' as const }));

  app.get('/health/ready', { logLevel: 'warn' }, async (request, reply) => {
    let database: Check = 'ok';
    try {
      await gateway.db.query('SELECT 1');
    } catch (error) {
      request.log.warn({ err: error }, 'readiness: database unavailable');
      database = 'unavailable';
    }
    const listener: Check = gateway.server.accepting ? 'ok' : 'unavailable';
    const ready = database === 'ok' && listener === 'ok';
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ok' : 'unavailable', checks: { database, components: { listener } } });
  });

  app.get('/metrics', { logLevel: 'warn' }, async (_request, reply) => {
    reply.type(gateway.metrics.registry.contentType);
    return gateway.metrics.registry.metrics();
  });
}
