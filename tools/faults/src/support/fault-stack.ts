/**
 * The whole stack, with a fault proxy wherever a fault is to be injected:
 *
 *   mobile/web Experience APIs ──▶ onboarding Process API ──▶ [proxy] ──▶ account / billing System APIs
 *                                          │ └──────────────▶ [proxy] ──▶ SMTP server (this process)
 *   each service with data ──▶ [proxy] ──▶ PostgreSQL (its own fresh database)
 *
 * Every service is its built bundle in its own process, on a port kept across restarts. Redis is
 * used for the Experience APIs' rate limits when REDIS_URL is set. The suite reads the System
 * APIs' and the Process API's databases directly (not through the proxies) to count what exists.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createTestDatabase, startSmtpSink, type SmtpSink, type TestDatabase } from '@bartholomew/testing';
import { startFaultProxy, type FaultProxy } from '../fault-proxy';
import { createServiceProcess, type LogLine, type ServiceName, type ServiceProcess } from './service-process';
import { createIssuer, DEV_ISSUER, type Issuer } from './tokens';

export type DataService = 'account-system-api' | 'billing-system-api' | 'onboarding-process-api';

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

const secret = () => randomBytes(18).toString('base64url');
const piiKey = () => randomBytes(32).toString('base64');

function throughProxy(databaseUrl: string, proxy: FaultProxy): string {
  const url = new URL(databaseUrl);
  url.hostname = proxy.host;
  url.port = String(proxy.port);
  return url.toString();
}

export async function startFaultStack(): Promise<FaultStack> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) throw new Error('TEST_DATABASE_URL is not set (the Jest global setup sets it)');
  const postgresPort = Number(new URL(adminUrl).port || 5432);
  const redisUrl = process.env.REDIS_URL || undefined;

  const dataDir = mkdtempSync(join(tmpdir(), 'bartholomew-faults-'));
  const databases: TestDatabase[] = [];
  const pools: pg.Pool[] = [];
  const proxies: FaultProxy[] = [];
  const started: ServiceProcess[] = [];
  let smtp: SmtpSink | undefined;

  const close = async () => {
    const order: ServiceName[][] = [
      ['mobile-experience-api', 'web-experience-api'],
      ['onboarding-process-api'],
      ['account-system-api', 'billing-system-api'],
    ];
    for (const layer of order)
      await Promise.allSettled(started.filter((service) => layer.includes(service.name)).map((service) => service.stop('SIGTERM', 5_000)));
    await Promise.allSettled(pools.map((pool) => pool.end()));
    await Promise.allSettled(proxies.map((proxy) => proxy.close()));
    await smtp?.close().catch(() => undefined);
    await Promise.allSettled(databases.map((database) => database.drop()));
    rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    smtp = await startSmtpSink();
    const issuer = await createIssuer();
    const secrets = {
      process: secret(),
      mobile: secret(),
      web: secret(),
      operator: secret(),
    };
    const proxy = async (port: number, name: string) => {
      const created = await startFaultProxy(port, { name });
      proxies.push(created);
      return created;
    };
    const dataService = async (name: DataService) => {
      const database = await createTestDatabase();
      databases.push(database);
      const pool = new pg.Pool({ connectionString: database.url, max: 2 });
      pool.on('error', () => undefined);
      pools.push(pool);
      const databaseProxy = await proxy(postgresPort, `${name} database`);
      return {
        pool,
        databaseProxy,
        url: throughProxy(database.url, databaseProxy),
      };
    };
    const [accountData, billingData, processData] = await Promise.all([
      dataService('account-system-api'),
      dataService('billing-system-api'),
      dataService('onboarding-process-api'),
    ]);
    const common = (extra: Record<string, string>) => ({
      DATA_DIR: dataDir,
      PII_ENCRYPTION_KEY: piiKey(),
      ...extra,
    });
    const create = async (name: ServiceName, env: Record<string, string>) => {
      const service = await createServiceProcess(name, common(env));
      started.push(service);
      return service;
    };

    // System APIs accept the Process API; the mobile Experience API is listed too — as what it
    // is, an experience-layer caller — so the auth-abuse scenario can show the layer is refused.
    const systemCallers = `onboarding-process-api:process:${secrets.process},mobile-experience-api:experience:${secrets.mobile}`;
    const account = await create('account-system-api', {
      DATABASE_URL: accountData.url,
      ACCEPTED_CALLERS: systemCallers,
    });
    const billing = await create('billing-system-api', {
      DATABASE_URL: billingData.url,
      ACCEPTED_CALLERS: systemCallers,
    });
    await Promise.all([account.start(), billing.start()]);
    const accountProxy = await proxy(account.port, 'account System API');
    const billingProxy = await proxy(billing.port, 'billing System API');
    const smtpProxy = await proxy(Number(new URL(smtp.url).port), 'SMTP');

    const processApi = await create('onboarding-process-api', {
      DATABASE_URL: processData.url,
      ACCEPTED_CALLERS: [
        `mobile-experience-api:experience:${secrets.mobile}`,
        `web-experience-api:experience:${secrets.web}`,
        `fault-suite:operator:${secrets.operator}`,
      ].join(','),
      SERVICE_CREDENTIAL_SECRET: secrets.process,
      ACCOUNT_SYSTEM_URL: accountProxy.url,
      BILLING_SYSTEM_URL: billingProxy.url,
      SMTP_URL: `smtp://127.0.0.1:${smtpProxy.port}`,
      DOWNSTREAM_TIMEOUT_MS: String(STACK_SETTINGS.downstreamTimeoutMs),
      DOWNSTREAM_BREAKER_RESET_MS: String(STACK_SETTINGS.downstreamBreakerResetMs),
      WORKFLOW_POLL_INTERVAL_MS: '100',
      STEP_RETRY_BASE_MS: '100',
      STEP_RETRY_MAX_MS: '1000',
    });
    await processApi.start();

    const experience = (audience: ServiceName, outbound: string) => ({
      ACCEPTED_CALLERS: '',
      JWT_ISSUER: DEV_ISSUER,
      JWT_AUDIENCE: audience,
      JWT_PUBLIC_KEYS: issuer.jwks,
      ONBOARDING_PROCESS_URL: processApi.baseUrl,
      SERVICE_CREDENTIAL_SECRET: outbound,
      PROCESS_TIMEOUT_MS: String(STACK_SETTINGS.processTimeoutMs),
      PROCESS_BREAKER_RESET_MS: String(STACK_SETTINGS.processBreakerResetMs),
      RATE_LIMIT_PER_MINUTE: String(STACK_SETTINGS.ratePerMinute),
      RATE_LIMIT_BURST_PER_SECOND: String(STACK_SETTINGS.burstPerSecond),
      RATE_LIMIT_PER_IP_PER_MINUTE: String(STACK_SETTINGS.ratePerIpPerMinute),
      RATE_LIMIT_PER_IP_BURST_PER_SECOND: String(STACK_SETTINGS.ratePerIpBurstPerSecond),
      RATE_LIMIT_CONCURRENT_PER_USER: String(STACK_SETTINGS.concurrentPerUser),
      RATE_LIMIT_REFUSAL_DELAY_MS: String(STACK_SETTINGS.refusalDelayMs),
      ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
    });
    const mobile = await create('mobile-experience-api', experience('mobile-experience-api', secrets.mobile));
    const web = await create('web-experience-api', experience('web-experience-api', secrets.web));
    await Promise.all([mobile.start(), web.start()]);

    const services = {
      'account-system-api': account,
      'billing-system-api': billing,
      'onboarding-process-api': processApi,
      'mobile-experience-api': mobile,
      'web-experience-api': web,
    };
    const allProxies = {
      account: accountProxy,
      billing: billingProxy,
      smtp: smtpProxy,
      database: {
        'account-system-api': accountData.databaseProxy,
        'billing-system-api': billingData.databaseProxy,
        'onboarding-process-api': processData.databaseProxy,
      },
    };
    return {
      services,
      proxies: allProxies,
      db: {
        'account-system-api': accountData.pool,
        'billing-system-api': billingData.pool,
        'onboarding-process-api': processData.pool,
      },
      smtp,
      issuer,
      mobileUrl: mobile.baseUrl,
      webUrl: web.baseUrl,
      credentials: {
        process: `onboarding-process-api.${secrets.process}`,
        mobile: `mobile-experience-api.${secrets.mobile}`,
        operator: `fault-suite.${secrets.operator}`,
      },
      redisUrl,
      logs: () => started.flatMap((service) => service.logs).sort((a, b) => a.at - b.at),
      async heal() {
        await Promise.all(proxies.map((each) => each.setMode('pass')));
        // Bottom layer first, as the stack was started.
        for (const name of [
          'account-system-api',
          'billing-system-api',
          'onboarding-process-api',
          'mobile-experience-api',
          'web-experience-api',
        ] as const) {
          if (!services[name].running()) await services[name].start();
        }
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
