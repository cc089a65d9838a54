import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { DownstreamRegistry } from './downstreams';

const BREAKER_STATE_VALUE = { closed: 0, halfOpen: 1, open: 2 } as const;

/**
 * Prometheus metrics at /metrics: request counts and durations by route and status, process
 * metrics, and the state of every outbound circuit breaker. One registry per app instance.
 */
export function registerMetrics(app: FastifyInstance, serviceName: string, downstreams: DownstreamRegistry, registry: Registry): void {
  registry.setDefaultLabels({ service: serviceName });
  collectDefaultMetrics({ register: registry });

  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by method, route and status',
    labelNames: ['method', 'route', 'status_code'] as const,
    registers: [registry],
  });
  const durations = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration in seconds, by method, route and status',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  new Gauge({
    name: 'downstream_circuit_state',
    help: 'Circuit breaker state per downstream: 0 closed, 1 half-open, 2 open',
    labelNames: ['downstream'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const downstream of downstreams.list()) {
        this.set({ downstream: downstream.name }, BREAKER_STATE_VALUE[downstream.breakerState()]);
      }
    },
  });

  app.addHook('onResponse', async (request, reply) => {
    // The route pattern, not the raw URL: ids in paths would explode label cardinality.
    const labels = {
      method: request.method,
      route: request.routeOptions.url ?? 'unmatched',
      status_code: String(reply.statusCode),
    };
    requests.inc(labels);
    durations.observe(labels, reply.elapsedTime / 1000);
  });

  app.get('/metrics', { schema: { hide: true }, logLevel: 'warn' }, async (_request, reply) => {
    reply.type(registry.contentType);
    return registry.metrics();
  });
}
