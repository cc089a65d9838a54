import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { DownstreamRegistry } from './downstreams';

const HealthSchema = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded'), Type.Literal('unavailable')]),
  checks: Type.Optional(
    Type.Object({
      database: Type.Optional(Type.Union([Type.Literal('ok'), Type.Literal('unavailable')])),
      downstreams: Type.Optional(Type.Record(Type.String(), Type.String())),
    }),
  ),
});

export interface ReadinessChecks {
  database?: () => Promise<void>;
  downstreams: DownstreamRegistry;
}

/**
 * /health/live: the process answers. /health/ready: the database answers (503 when not); open
 * circuit breakers are listed and make the status `degraded`, but do not take the service out
 * of rotation — its other features still work.
 */
export function registerHealth(app: FastifyInstance, checks: ReadinessChecks): void {
  const hidden = { hide: true, response: { 200: HealthSchema, 503: HealthSchema } };
  app.get('/health/live', { schema: hidden, logLevel: 'warn' }, async () => ({ status: 'ok' as const }));
  app.get('/health/ready', { schema: hidden, logLevel: 'warn' }, async (request, reply) => {
    let database: 'ok' | 'unavailable' | undefined;
    if (checks.database) {
      try {
        await checks.database();
        database = 'ok';
      } catch (error) {
        request.log.warn({ err: error }, 'readiness: database unavailable');
        database = 'unavailable';
      }
    }
    const downstreams = Object.fromEntries(checks.downstreams.list().map((d) => [d.name, d.breakerState()]));
    const anyOpen = Object.values(downstreams).some((state) => state === 'open');
    const status = database === 'unavailable' ? 'unavailable' : anyOpen ? 'degraded' : 'ok';
    return reply.code(status === 'unavailable' ? 503 : 200).send({
      status,
      checks: { ...(database ? { database } : {}), downstreams },
    });
  });
}
