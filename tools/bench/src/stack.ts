/**
 * The five services as production runs them — their built bundles (dist/apps/<service>/main.js),
 * each its own process, wired only by environment variables — on fresh PostgreSQL databases (one
 * per service with data) and an SMTP server in this process. Settings are the services' defaults
 * except those listed in STACK_SETTINGS (written into the report). All five are spawned at once,
 * each knowing the others' ports, and `startAll()` times how long until every one is ready.
 */
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createTestDatabase, startSmtpSink, type SmtpSink, type TestDatabase } from '@bartholomew/testing';
import { createProcess, type MeasuredProcess } from './processes';
import { DEV_ISSUER, type SigningKey } from './tokens';

export const ROOT = resolve(__dirname, '../../..');

export const SERVICES = [
  'account-system-api',
  'billing-system-api',
  'onboarding-process-api',
  'mobile-experience-api',
  'web-experience-api',
] as const;
export type ServiceName = (typeof SERVICES)[number];
export type DataService = 'account-system-api' | 'billing-system-api' | 'onboarding-process-api';

/** What differs from the services' defaults, and why. */
export const STACK_SETTINGS: Record<string, string> = {
  RATE_LIMIT_PER_MINUTE: '100000 (the maximum; the bench sends far more than 120 requests a minute per user)',
  RATE_LIMIT_BURST_PER_SECOND: '10000 (the maximum; one bench user sends hundreds a second)',
  RATE_LIMIT_CONCURRENT_PER_USER: '10000 (the maximum; one bench user keeps 32 requests in progress)',
  RATE_LIMIT_PER_IP_PER_MINUTE: '1000000 (the maximum; every bench client is 127.0.0.1)',
  RATE_LIMIT_PER_IP_BURST_PER_SECOND: '100000 (the maximum, for the same reason)',
  LOG_LEVEL: 'unset (the default, info)',
};

export interface BenchStack {
  services: Record<ServiceName, MeasuredProcess>;
  databases: Record<DataService, TestDatabase>;
  /** `x-service-credential` value of an operator the account System API accepts. */
  operatorCredential: string;
  /** Spawns all five at once; resolves with the milliseconds until every /health/ready answered 200. */
  startAll(): Promise<number>;
  stopAll(): Promise<void>;
  close(): Promise<void>;
}

const secret = () => randomBytes(18).toString('base64url');
const piiKey = () => randomBytes(32).toString('base64');

export async function createBenchStack(options: { logDir: string; key: SigningKey }): Promise<BenchStack> {
  const databases: Partial<Record<DataService, TestDatabase>> = {};
  let smtp: SmtpSink | undefined;
  const created: MeasuredProcess[] = [];
  const close = async () => {
    await Promise.allSettled(created.map((service) => service.stop()));
    await smtp?.close().catch(() => undefined);
    await Promise.allSettled(Object.values(databases).map((database) => database.drop()));
  };

  try {
    smtp = await startSmtpSink();
    for (const name of ['account-system-api', 'billing-system-api', 'onboarding-process-api'] as const) databases[name] = await createTestDatabase();
    const dataDir = join(options.logDir, 'data');
    const secrets = {
      process: secret(),
      mobile: secret(),
      web: secret(),
      operator: secret(),
    };
    const make = async (name: ServiceName, env: Record<string, string>) => {
      const service = await createProcess({
        name,
        bundle: join(ROOT, 'dist/apps', name, 'main.js'),
        env: { DATA_DIR: dataDir, PII_ENCRYPTION_KEY: piiKey(), ...env },
        logDir: options.logDir,
      });
      created.push(service);
      return service;
    };
    const systemCallers = `onboarding-process-api:process:${secrets.process},bench-operator:operator:${secrets.operator}`;
    const account = await make('account-system-api', {
      DATABASE_URL: (databases['account-system-api'] as TestDatabase).url,
      ACCEPTED_CALLERS: systemCallers,
    });
    const billing = await make('billing-system-api', {
      DATABASE_URL: (databases['billing-system-api'] as TestDatabase).url,
      ACCEPTED_CALLERS: systemCallers,
    });
    const processApi = await make('onboarding-process-api', {
      DATABASE_URL: (databases['onboarding-process-api'] as TestDatabase).url,
      ACCEPTED_CALLERS: `mobile-experience-api:experience:${secrets.mobile},web-experience-api:experience:${secrets.web}`,
      SERVICE_CREDENTIAL_SECRET: secrets.process,
      ACCOUNT_SYSTEM_URL: account.baseUrl,
      BILLING_SYSTEM_URL: billing.baseUrl,
      SMTP_URL: smtp.url,
    });
    const experience = (audience: ServiceName, outbound: string) => ({
      ACCEPTED_CALLERS: '',
      JWT_ISSUER: DEV_ISSUER,
      JWT_AUDIENCE: audience,
      JWT_PUBLIC_KEYS: options.key.jwks,
      ONBOARDING_PROCESS_URL: processApi.baseUrl,
      SERVICE_CREDENTIAL_SECRET: outbound,
      RATE_LIMIT_PER_MINUTE: '100000',
      RATE_LIMIT_BURST_PER_SECOND: '10000',
      RATE_LIMIT_CONCURRENT_PER_USER: '10000',
      RATE_LIMIT_PER_IP_BURST_PER_SECOND: '100000',
      RATE_LIMIT_PER_IP_PER_MINUTE: '1000000',
    });
    const mobile = await make('mobile-experience-api', experience('mobile-experience-api', secrets.mobile));
    const web = await make('web-experience-api', experience('web-experience-api', secrets.web));
    const services = {
      'account-system-api': account,
      'billing-system-api': billing,
      'onboarding-process-api': processApi,
      'mobile-experience-api': mobile,
      'web-experience-api': web,
    };
    return {
      services,
      databases: databases as Record<DataService, TestDatabase>,
      operatorCredential: `bench-operator.${secrets.operator}`,
      async startAll() {
        const started = performance.now();
        for (const name of SERVICES) services[name].start();
        await Promise.all(SERVICES.map((name) => services[name].ready()));
        return performance.now() - started;
      },
      async stopAll() {
        // Top layer first, as a deployment drains.
        for (const layer of [
          ['mobile-experience-api', 'web-experience-api'],
          ['onboarding-process-api'],
          ['account-system-api', 'billing-system-api'],
        ] as const) {
          await Promise.all(layer.map((name) => services[name].stop()));
        }
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
