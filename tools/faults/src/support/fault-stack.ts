/**
 * The whole stack as services.json declares it, with a fault proxy wherever a fault is to be injected:
 *
 *   mobile/web Experience APIs ──▶ onboarding Process API ──▶ [proxy] ──▶ every System API
 *                                          │ └──────────────▶ [proxy] ──▶ SMTP server (this process)
 *   each service with data ──▶ [proxy] ──▶ PostgreSQL (its own fresh database)
 *
 * Every service is its built bundle in its own process, on a port kept across restarts, wired as
 * the manifest implies (stackWiring in @bartholomew/stack-checks) with the proxies' URLs in front of
 * the System APIs; this file adds only the proxies, STACK_SETTINGS and the extra callers the
 * scenarios need. Redis is used for the Experience APIs' rate limits when REDIS_URL is set. The
 * suite reads the System APIs' and the Process API's databases directly (not through the proxies)
 * to count what exists.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import {
  acceptsEndUsers,
  loadServiceManifest,
  stackWiring,
  withoutBackends,
  type CallerCredential,
  type ServiceDefinition,
} from '@bartholomew/stack-checks';
import { createTestDatabase, startSmtpSink, type SmtpSink, type TestDatabase } from '@bartholomew/testing';
import { startFaultProxy, type FaultProxy } from '../fault-proxy';
import { createServiceProcess, type LogLine, type ServiceName, type ServiceProcess } from './service-process';
import { createIssuer, DEV_ISSUER, type Issuer } from './tokens';

/** The databases the scenarios read and cut by name; services.json must declare each with a database. */
const DATA_SERVICES = ['account-system-api', 'billing-system-api', 'onboarding-process-api'] as const;
export type DataService = (typeof DATA_SERVICES)[number];

/** Settings the scenarios rely on; written into the report. */
export const STACK_SETTINGS = {
  /** Process API → System API call budget (DOWNSTREAM_TIMEOUT_MS). */
  downstreamTimeoutMs: 1_000,
  downstreamBreakerResetMs: 2_000,
  /** Experience API → Process API call budget (PROCESS_TIMEOUT_MS). */
  processTimeoutMs: 2_000,
  processBreakerResetMs: 2_000,
  ratePerMinute: 300,
  /** RATE_LIMIT_BURST_PER_SECOND: an app user's pace is a few requests a second, not hundreds. */
  burstPerSecond: 20,
  /** RATE_LIMIT_PER_IP_PER_MINUTE (the default, stated): the unauthenticated flood must exceed it. */
  ratePerIpPerMinute: 1_200,
  /** RATE_LIMIT_CONCURRENT_PER_USER (the default, stated). */
  concurrentPerUser: 4,
  /** RATE_LIMIT_PER_IP_BURST_PER_SECOND (the default, stated). */
  ratePerIpBurstPerSecond: 50,
  /** RATE_LIMIT_REFUSAL_DELAY_MS (the default, stated): how long a 429 is held. */
  refusalDelayMs: 1_000,
  /** READ_CACHE_MS (the default, stated): how long a user's identical reads share one answer. */
  readCacheMs: 1_000,
};

export interface FaultStack {
  services: Record<ServiceName, ServiceProcess>;
  /** In front of the account and billing System APIs, the SMTP server, and each service's PostgreSQL. */
  proxies: {
    account: FaultProxy;
    billing: FaultProxy;
    smtp: FaultProxy;
    database: Record<DataService, FaultProxy>;
  };
  /** Direct connections to each database, for counting. */
  db: Record<DataService, pg.Pool>;
  smtp: SmtpSink;
  issuer: Issuer;
  mobileUrl: string;
  webUrl: string;
  /** Credentials of the run, for calling services directly. */
  credentials: { process: string; mobile: string; operator: string };
  redisUrl: string | undefined;
  /** Every line every service wrote (all incarnations). */
  logs(): LogLine[];
  /** Proxies back to pass, every service running and ready. */
  heal(): Promise<void>;
  close(): Promise<void>;
}

const piiKey = () => randomBytes(32).toString('base64');

function throughProxy(databaseUrl: string, proxy: FaultProxy): string {
  const url = new URL(databaseUrl);
  url.hostname = proxy.host;
  url.port = String(proxy.port);
  return url.toString();
}

/** One of the services the scenarios name: services.json must declare it (with what they rely on). */
function named<T>(entries: Map<string, T>, name: string, what: string): T {
  const found = entries.get(name);
  if (found === undefined) throw new Error(`services.json declares no ${what} ${name}, which the fault scenarios target`);
  return found;
}

/** What the scenarios rely on beyond the wiring: STACK_SETTINGS, fast workflow steps, mail through the SMTP proxy. */
function settingsOf(service: ServiceDefinition, smtpUrl: string, redisUrl: string | undefined): Record<string, string> {
  return {
    ...(service.layer === 'process' && {
      DOWNSTREAM_TIMEOUT_MS: String(STACK_SETTINGS.downstreamTimeoutMs),
      DOWNSTREAM_BREAKER_RESET_MS: String(STACK_SETTINGS.downstreamBreakerResetMs),
    }),
    ...(service.name === 'onboarding-process-api' && {
      SMTP_URL: smtpUrl,
      WORKFLOW_POLL_INTERVAL_MS: '100',
      STEP_RETRY_BASE_MS: '100',
      STEP_RETRY_MAX_MS: '1000',
    }),
    ...(acceptsEndUsers(service) && {
      PROCESS_TIMEOUT_MS: String(STACK_SETTINGS.processTimeoutMs),
      PROCESS_BREAKER_RESET_MS: String(STACK_SETTINGS.processBreakerResetMs),
      RATE_LIMIT_PER_MINUTE: String(STACK_SETTINGS.ratePerMinute),
      RATE_LIMIT_BURST_PER_SECOND: String(STACK_SETTINGS.burstPerSecond),
      RATE_LIMIT_PER_IP_PER_MINUTE: String(STACK_SETTINGS.ratePerIpPerMinute),
      RATE_LIMIT_PER_IP_BURST_PER_SECOND: String(STACK_SETTINGS.ratePerIpBurstPerSecond),
      RATE_LIMIT_CONCURRENT_PER_USER: String(STACK_SETTINGS.concurrentPerUser),
      RATE_LIMIT_REFUSAL_DELAY_MS: String(STACK_SETTINGS.refusalDelayMs),
      READ_CACHE_MS: String(STACK_SETTINGS.readCacheMs),
      ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
    }),
  };
}

export async function startFaultStack(): Promise<FaultStack> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) throw new Error('TEST_DATABASE_URL is not set (the Jest global setup sets it)');
  const postgresPort = Number(new URL(adminUrl).port || 5432);
  const redisUrl = process.env.REDIS_URL || undefined;
  // The backend layer is left out (the account System API on its default core, its own PostgreSQL): the
  // scenarios are about the API layers; the mainframe backend is exercised by the e2e journey.
  const manifest = withoutBackends(loadServiceManifest());
  const wiring = stackWiring(manifest);

  const dataDir = mkdtempSync(join(tmpdir(), 'bartholomew-faults-'));
  const databases: TestDatabase[] = [];
  const pools = new Map<string, pg.Pool>();
  const proxies: FaultProxy[] = [];
  const services = new Map<string, ServiceProcess>();
  let smtp: SmtpSink | undefined;

  const close = async () => {
    // Top layer first, as a deployment would drain.
    for (const layer of [...wiring.layers].reverse())
      await Promise.allSettled(layer.map((service) => services.get(service.name)?.stop('SIGTERM', 5_000)));
    await Promise.allSettled([...pools.values()].map((pool) => pool.end()));
    await Promise.allSettled(proxies.map((proxy) => proxy.close()));
    await smtp?.close().catch(() => undefined);
    await Promise.allSettled(databases.map((database) => database.drop()));
    rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    smtp = await startSmtpSink();
    const issuer = await createIssuer();
    const proxy = async (port: number, name: string) => {
      const created = await startFaultProxy(port, { name });
      proxies.push(created);
      return created;
    };
    const smtpProxy = await proxy(Number(new URL(smtp.url).port), 'SMTP');

    // Each service with data: a fresh database, reached through its own proxy; a direct pool for counting.
    const databaseProxies = new Map<string, FaultProxy>();
    const databaseUrls = new Map<string, string>();
    await Promise.all(
      manifest.services
        .filter((service) => service.database)
        .map(async ({ name }) => {
          const database = await createTestDatabase();
          databases.push(database);
          const pool = new pg.Pool({ connectionString: database.url, max: 2 });
          pool.on('error', () => undefined);
          pools.set(name, pool);
          const databaseProxy = await proxy(postgresPort, `${name} database`);
          databaseProxies.set(name, databaseProxy);
          databaseUrls.set(name, throughProxy(database.url, databaseProxy));
        }),
    );

    // Callers beyond the wiring. System APIs: the mobile Experience API, as what it is, an
    // experience-layer caller — so the auth-abuse scenario can show the layer is refused.
    // Process APIs: an operator, so scenarios can read an onboarding straight from the Process API.
    const mobile: CallerCredential = { name: 'mobile-experience-api', layer: 'experience', secret: wiring.secretOf('mobile-experience-api') };
    const operator: CallerCredential = { name: 'fault-suite', layer: 'operator', secret: randomBytes(18).toString('base64url') };
    const extraCallers = { backend: [], system: [mobile], process: [operator], experience: [] };

    // Callers reach a System API through its proxy, anything else directly.
    const systemProxies = new Map<string, FaultProxy>();
    const urlOf = (name: string) => systemProxies.get(name)?.url ?? named(services, name, 'service').baseUrl;
    const create = async (service: ServiceDefinition) => {
      const created = await createServiceProcess(service.name, {
        DATA_DIR: dataDir,
        PII_ENCRYPTION_KEY: piiKey(),
        ...wiring.environmentOf(service, {
          urlOf,
          databaseUrl: databaseUrls.get(service.name),
          endUsers: { issuer: DEV_ISSUER, publicKeys: issuer.jwks },
          extraCallers: extraCallers[service.layer],
        }),
        ...settingsOf(service, `smtp://127.0.0.1:${smtpProxy.port}`, redisUrl),
      });
      services.set(service.name, created);
      return created;
    };
    for (const layer of wiring.layers) {
      const processes = await Promise.all(layer.map(create));
      await Promise.all(processes.map((service) => service.start()));
      for (const service of layer.filter((s) => s.layer === 'system'))
        systemProxies.set(service.name, await proxy(named(services, service.name, 'service').port, `${service.name} (System API)`));
    }

    const dataRecord = <T>(entries: Map<string, T>) => {
      for (const name of DATA_SERVICES) named(entries, name, 'service with a database');
      return Object.fromEntries(entries) as Record<DataService, T>;
    };
    return {
      services: Object.fromEntries(services) as Record<ServiceName, ServiceProcess>,
      proxies: {
        account: named(systemProxies, 'account-system-api', 'System API'),
        billing: named(systemProxies, 'billing-system-api', 'System API'),
        smtp: smtpProxy,
        database: dataRecord(databaseProxies),
      },
      db: dataRecord(pools),
      smtp,
      issuer,
      mobileUrl: named(services, 'mobile-experience-api', 'service').baseUrl,
      webUrl: named(services, 'web-experience-api', 'service').baseUrl,
      credentials: {
        process: wiring.credentialOf('onboarding-process-api'),
        mobile: wiring.credentialOf('mobile-experience-api'),
        operator: `${operator.name}.${operator.secret}`,
      },
      redisUrl,
      logs: () => [...services.values()].flatMap((service) => service.logs).sort((a, b) => a.at - b.at),
      async heal() {
        await Promise.all(proxies.map((each) => each.setMode('pass')));
        // Bottom layer first, as the stack was started.
        for (const service of wiring.layers.flat()) {
          const running = named(services, service.name, 'service');
          if (!running.running()) await running.start();
        }
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
