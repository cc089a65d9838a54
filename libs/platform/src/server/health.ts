import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { DownstreamRegistry } from './downstreams';

const HealthSchema = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded'), Type.Literal('unavailable')]),
  checks: Type.Optional(
    Type.Object({
      database: Type.Optional(Type.Union([Type.Literal('ok'), Type.Literal('unavailable')])),
      downstreams: Type.Optional(Type.Record(Type.String(), Type.String())),
      components: Type.Optional(Type.Record(Type.String(), Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]))),
    }),
  ),
});

/** A part of a service that must work for it to take traffic (e.g. a worker pool); throws when it doesn't. */
export type ReadinessCheck = () => Promise<void>;

export interface ReadinessChecks {
  database?: () => Promise<void>;
  downstreams: DownstreamRegistry;
  /** Checks a service adds itself (`app.readinessChecks.set(name, check)`). */
  components: Map<string, ReadinessCheck>;
}

/**
 * /health/live: the process answers. /health/ready: the database and every component check the
 * service registered answer (503 when one does not); open
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
    const components: Record<string, 'ok' | 'unavailable'> = {};
    for (const [name, check] of checks.components) {
      try {
        await check();
        components[name] = 'ok';
      } catch (error) {
        request.log.warn({ err: error, component: name }, 'readiness: component unavailable');
        components[name] = 'unavailable';
      }
    }
    const downstreams = Object.fromEntries(checks.downstreams.list().map((d) => [d.name, d.breakerState()]));
    const anyOpen = Object.values(downstreams).some((state) => state === 'open');
    const anyDown = database === 'unavailable' || Object.values(components).includes('unavailable');
    const status = anyDown ? 'unavailable' : anyOpen ? 'degraded' : 'ok';
    return reply.code(status === 'unavailable' ? 503 : 200).send({
      status,
      checks: { ...(database ? { database } : {}), downstreams, ...(checks.components.size > 0 ? { components } : {}) },
    });
  });
}
