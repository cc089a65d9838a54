import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import helmet from '@fastify/helmet';
import type { TSchema } from '@sinclair/typebox';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { openDatabase, runMigrations, type Database, type Migration } from '../db';
import type { ServiceConfig } from './config';
import { DownstreamRegistry } from './downstreams';
import { registerHealth, type ReadinessCheck } from './health';
import { Registry } from 'prom-client';
import { registerMetrics } from './metrics';
import { registerOpenApi } from './openapi';
import { PiiVault } from './pii-vault';
import { buildProblem, registerProblemHandlers, sendProblem } from './problem-details';
import { CallerDirectory, SERVICE_CREDENTIAL_HEADER, type Caller, type CallerLayer } from './service-credentials';
import type { ServiceDescription } from './service-description';
import { registerValidation } from './validation';
import { endUserAuth, type EndUserAuthConfig } from './end-user-auth';
import { registerTimeBudget } from './time-budget';

export interface PlatformOptions {
  service: ServiceDescription;
  config: ServiceConfig;
  /** Layers allowed to call this service's API routes with a service credential (System and Process APIs). */
  acceptedLayers?: CallerLayer[];
  /** End users with bearer tokens instead of service callers (Experience APIs). */
  endUsers?: EndUserAuthConfig;
  /** When given, the service owns a database: opened (embedded when no DATABASE_URL) and migrated at start. */
  migrations?: Migration[];
  /** Shared schemas with an `$id`, referenced from routes with `Type.Ref` and named so in OpenAPI. */
  schemas?: TSchema[];
}

declare module 'fastify' {
  interface FastifyInstance {
    config: ServiceConfig;
    /** This service's Prometheus registry: add service metrics with `registers: [app.metricsRegistry]`. */
    metricsRegistry: Registry;
    /** Components that must work for the service to be ready, by name; shown in /health/ready. */
    readinessChecks: Map<string, ReadinessCheck>;
    db: Database;
    pii: PiiVault;
    downstreams: DownstreamRegistry;
  }
  interface FastifyRequest {
    caller: Caller;
  }
}

/** Routes operators and orchestrators reach without a service credential. */
const OPERATIONAL_PREFIXES = ['/health/', '/metrics', '/openapi.json', '/docs'];
const isOperational = (url: string | undefined) => !url || OPERATIONAL_PREFIXES.some((prefix) => url.startsWith(prefix));

/**
 * The PII key: configured in production; for local runs generated once and kept in the data
 * folder, so data written by one run can be read by the next.
 */
function loadPiiKey(config: ServiceConfig, serviceName: string, log: FastifyBaseLogger): Buffer {
  if (config.PII_ENCRYPTION_KEY) return Buffer.from(config.PII_ENCRYPTION_KEY, 'base64');
  const dir = join(config.DATA_DIR, serviceName);
  const file = join(dir, 'pii.key');
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600 });
  }
  log.warn({ file }, 'PII_ENCRYPTION_KEY not set: using a local development key from the data folder');
  return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
}

/** Service credentials: every API route needs a known caller of an accepted layer. */
function registerServiceCredentialCheck(app: FastifyInstance, config: ServiceConfig, service: ServiceDescription, acceptedLayers: CallerLayer[]) {
  const callers = new CallerDirectory(config.ACCEPTED_CALLERS);
  const accepted = new Set(acceptedLayers);
  app.addHook('onRequest', async (request, reply) => {
    if (isOperational(request.routeOptions.url)) return undefined;
    const header = request.headers[SERVICE_CREDENTIAL_HEADER];
    const caller = callers.identify(typeof header === 'string' ? header : undefined);
    if (!caller) {
      return sendProblem(reply, buildProblem(request, 401, 'UNAUTHENTICATED_CALLER', `A valid ${SERVICE_CREDENTIAL_HEADER} header is required`), {
        'www-authenticate': `ServiceCredential header="${SERVICE_CREDENTIAL_HEADER}"`,
      });
    }
    if (!accepted.has(caller.layer)) {
      return sendProblem(
        reply,
        buildProblem(request, 403, 'CALLER_NOT_ALLOWED', `Callers from the ${caller.layer} layer may not call ${service.name}`),
      );
    }
    request.caller = caller;
    return undefined;
  });
}

async function platformPlugin(app: FastifyInstance, options: PlatformOptions): Promise<void> {
  const { service, config } = options;
  const downstreams = new DownstreamRegistry();
  app.decorate('config', config);
  app.decorate('downstreams', downstreams);
  const metricsRegistry = new Registry();
  const readinessChecks = new Map<string, ReadinessCheck>();
  app.decorate('metricsRegistry', metricsRegistry);
  app.decorate('readinessChecks', readinessChecks);
  // Created on first use: services that keep no personal data (Experience APIs) need no key.
  let pii: PiiVault | undefined;
  app.decorate('pii', {
    getter: () => (pii ??= new PiiVault(loadPiiKey(config, service.name, app.log))),
  });
  app.decorateRequest('caller', null as unknown as Caller);

  for (const schema of options.schemas ?? []) app.addSchema(schema);
  registerValidation(app);
  registerProblemHandlers(app);
  // JSON only: a text/plain body is a wrong content type (415), not a malformed JSON body (400).
  app.removeContentTypeParser('text/plain');

  // Graceful shutdown: once closing, answers still in flight ask the client to hang up, so
  // keep-alive sockets don't hold the server open until their idle timeout.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });

  // Echo the request id so callers can quote it; it is already on every log line.
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
    if (closing) reply.header('connection', 'close');
  });

  // One access line per request (Fastify's own request logging, two lines each, is off): what
  // operators search, at a cost the bench measures.
  app.addHook('onResponse', (request, reply, done) => {
    request.log.info({ req: request, res: reply, responseTime: Math.round(reply.elapsedTime * 10) / 10 }, 'request completed');
    done();
  });

  await app.register(helmet, { global: true });
  registerTimeBudget(app, { requestTimeoutMs: config.REQUEST_TIMEOUT_MS, trustCallers: !options.endUsers });

  if (options.endUsers) {
    await app.register(endUserAuth, { config: options.endUsers });
  } else {
    registerServiceCredentialCheck(app, config, service, options.acceptedLayers ?? []);
  }

  let databaseCheck: (() => Promise<void>) | undefined;
  if (options.migrations) {
    const db = await openDatabase({
      databaseUrl: config.DATABASE_URL,
      dataDir: config.DATA_DIR,
      databaseName: service.name.replace(/-/g, '_'),
      log: app.log,
      poolSize: config.DATABASE_POOL_SIZE,
    });
    app.decorate('db', db);
    app.addHook('onClose', async () => db.close());
    await runMigrations(db, options.migrations, app.log);
    databaseCheck = async () => {
      await db.query('SELECT 1');
    };
  }

  await registerOpenApi(app, service, options.endUsers ? 'end-users' : 'services');
  registerHealth(app, { database: databaseCheck, downstreams, components: readinessChecks });
  registerMetrics(app, service.name, downstreams, metricsRegistry);
}

/** Everything a service shares with the others; each service's app.ts registers it first. */
export const platform = fp(platformPlugin, { name: 'platform', fastify: '5.x' });
