/**
 * The services of services.json as production runs them — their built bundles
 * (dist/apps/<service>/main.js), each its own process, wired only by environment variables as the
 * manifest implies (stackWiring in @bartholomew/stack-checks) — on fresh PostgreSQL databases (one
 * per service with data) and an SMTP server in this process. Settings are the services' defaults
 * except those listed in STACK_SETTINGS (written into the report). All are spawned at once, each
 * knowing the others' ports, and `startAll()` times how long until every one is ready.
 */
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  acceptsEndUsers,
  loadServiceManifest,
  stackWiring,
  withoutBackends,
  type CallerCredential,
  type ServiceDefinition,
} from '@bartholomew/stack-checks';
import { createTestDatabase, startSmtpSink, type SmtpSink, type TestDatabase } from '@bartholomew/testing';
import { createProcess, type MeasuredProcess } from './processes';
import { DEV_ISSUER, type SigningKey } from './tokens';

export const ROOT = resolve(__dirname, '../../..');

// The backend layer is left out: the bench measures the account System API on its default core (its own
// PostgreSQL), so the core-banking gateway would only add its start-up and memory.
const MANIFEST = withoutBackends(loadServiceManifest(join(ROOT, 'services.json')));
/** The services of services.json, bottom layer first. */
export const SERVICES: readonly ServiceName[] = MANIFEST.services.map((service) => service.name);
export type ServiceName = ServiceDefinition['name'];
/** The databases the bench copies for the monolith, by name; services.json must declare each (every service's database is in `databases`). */
const DATA_SERVICES = ['account-system-api', 'billing-system-api', 'onboarding-process-api'] as const;
export type DataService = (typeof DATA_SERVICES)[number];

/** What differs from the services' defaults at the edge (every service that accepts end users), and why. */
const EDGE_SETTINGS: Record<string, { value: string; why: string }> = {
  RATE_LIMIT_PER_MINUTE: { value: '100000', why: 'the maximum; the bench sends far more than 120 requests a minute per user' },
  RATE_LIMIT_BURST_PER_SECOND: { value: '10000', why: 'the maximum; one bench user sends hundreds a second' },
  RATE_LIMIT_CONCURRENT_PER_USER: { value: '10000', why: 'the maximum; one bench user keeps 32 requests in progress' },
  RATE_LIMIT_PER_IP_PER_MINUTE: { value: '1000000', why: 'the maximum; every bench client is 127.0.0.1' },
  RATE_LIMIT_PER_IP_BURST_PER_SECOND: { value: '100000', why: 'the maximum, for the same reason' },
  READ_CACHE_MS: { value: '0', why: "every read reaches the layers below: the figures are the layers' uncached cost" },
};

const EDGE_ENV = Object.fromEntries(Object.entries(EDGE_SETTINGS).map(([name, { value }]) => [name, value]));

/**
 * By hand, to try a setting across the stack before making it a default: BENCH_SERVICE_ENV is a
 * JSON object of environment variables given to every service (e.g. {"WORKFLOW_CONCURRENCY":"8"}),
 * and the report lists each. Never set for the committed report.
 */
function triedSettings(): Record<string, string> {
  const raw = process.env['BENCH_SERVICE_ENV'];
  if (!raw) return {};
  const parsed: unknown = JSON.parse(raw);
  if (typeof parsed !== 'object' || parsed === null || Object.values(parsed).some((value) => typeof value !== 'string')) {
    throw new Error('BENCH_SERVICE_ENV must be a JSON object of strings');
  }
  return parsed as Record<string, string>;
}
const TRIED_ENV = triedSettings();

/** What differs from the services' defaults, and why. */
export const STACK_SETTINGS: Record<string, string> = {
  ...Object.fromEntries(Object.entries(EDGE_SETTINGS).map(([name, { value, why }]) => [name, `${value} (${why})`])),
  LOG_LEVEL: 'unset (the default, info)',
  NODE_OPTIONS: `${MANIFEST.nodeOptions ?? 'none'} (services.json nodeOptions, as every service runs; the baselines run with Node's defaults)`,
  ...Object.fromEntries(Object.entries(TRIED_ENV).map(([name, value]) => [name, `${value} (BENCH_SERVICE_ENV: tried by hand, not a default)`])),
};

export interface BenchStack {
  services: Record<ServiceName, MeasuredProcess>;
  databases: Record<DataService, TestDatabase>;
  /** `x-service-credential` value of an operator the account System API accepts. */
  operatorCredential: string;
  /** Spawns every service at once; resolves with the milliseconds until every /health/ready answered 200. */
  startAll(): Promise<number>;
  /**
   * Another process of one service, on its own port, with its environment but for `overrides`
   * (e.g. the mobile Experience API with reads shared): spawned, not started.
   */
  variantOf(name: ServiceName, label: string, overrides: Record<string, string>): Promise<MeasuredProcess>;
  stopAll(): Promise<void>;
  close(): Promise<void>;
}

const piiKey = () => randomBytes(32).toString('base64');

export async function createBenchStack(options: { logDir: string; key: SigningKey }): Promise<BenchStack> {
  const missing = DATA_SERVICES.filter((name) => !MANIFEST.services.some((service) => service.name === name && service.database));
  if (missing.length > 0) throw new Error(`services.json declares no database for ${missing.join(', ')}, which the bench copies for the monolith`);
  const wiring = stackWiring(MANIFEST);
  const databases = new Map<string, TestDatabase>();
  const services = new Map<string, MeasuredProcess>();
  const environments = new Map<string, Record<string, string>>();
  const variants: MeasuredProcess[] = [];
  let smtp: SmtpSink | undefined;
  const close = async () => {
    await Promise.allSettled([...services.values(), ...variants].map((service) => service.stop()));
    await smtp?.close().catch(() => undefined);
    await Promise.allSettled([...databases.values()].map((database) => database.drop()));
  };

  try {
    smtp = await startSmtpSink();
    for (const service of MANIFEST.services.filter((s) => s.database)) databases.set(service.name, await createTestDatabase());
    const dataDir = join(options.logDir, 'data');
    // An operator wherever services.json lets one in: the bench opens accounts on the account System API alone.
    const operator: CallerCredential = { name: 'bench-operator', layer: 'operator', secret: randomBytes(18).toString('base64url') };
    const urlOf = (name: string) => {
      const found = services.get(name);
      if (!found) throw new Error(`${name} is not in services.json`);
      return found.baseUrl;
    };
    // Bottom layer first, so each knows the URLs of those it calls (ports are chosen before anything starts).
    for (const service of wiring.layers.flat()) {
      const env: Record<string, string> = {
        DATA_DIR: dataDir,
        PII_ENCRYPTION_KEY: piiKey(),
        ...wiring.environmentOf(service, {
          urlOf,
          databaseUrl: databases.get(service.name)?.url,
          endUsers: { issuer: DEV_ISSUER, publicKeys: options.key.jwks },
          extraCallers: service.accepts.includes('operator') ? [operator] : [],
        }),
        ...(service.name === 'onboarding-process-api' && { SMTP_URL: smtp.url }),
        ...(acceptsEndUsers(service) && EDGE_ENV),
        ...TRIED_ENV,
      };
      // By hand, to see where a hop's CPU goes: each service writes a V8 CPU profile when it stops.
      if (process.env['BENCH_CPU_PROFILE_DIR']) {
        env.NODE_OPTIONS = [env.NODE_OPTIONS, `--cpu-prof --cpu-prof-dir=${process.env['BENCH_CPU_PROFILE_DIR']}`].filter(Boolean).join(' ');
      }
      environments.set(service.name, env);
      services.set(
        service.name,
        await createProcess({ name: service.name, bundle: join(ROOT, 'dist/apps', service.name, 'main.js'), env, logDir: options.logDir }),
      );
    }
    const byName = Object.fromEntries(services) as Record<ServiceName, MeasuredProcess>;
    return {
      services: byName,
      databases: Object.fromEntries(databases) as Record<DataService, TestDatabase>,
      operatorCredential: `${operator.name}.${operator.secret}`,
      async startAll() {
        const started = performance.now();
        for (const service of services.values()) service.start();
        await Promise.all([...services.values()].map((service) => service.ready()));
        return performance.now() - started;
      },
      async variantOf(name, label, overrides) {
        const env = environments.get(name);
        if (!env) throw new Error(`${name} is not in services.json`);
        const variant = await createProcess({
          name: label,
          bundle: join(ROOT, 'dist/apps', name, 'main.js'),
          env: { ...env, ...overrides },
          logDir: options.logDir,
        });
        variants.push(variant);
        return variant;
      },
      async stopAll() {
        // Top layer first, as a deployment drains.
        for (const layer of [...wiring.layers].reverse()) await Promise.all(layer.map((service) => byName[service.name].stop()));
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
