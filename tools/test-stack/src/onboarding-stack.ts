/**
 * The REAL layers below the Experience API, each built from its app plugin exactly as its main.ts
 * builds it, listening on its own port with its own fresh test database: the account and billing
 * System APIs and the onboarding Process API (its workflow worker running; welcome emails as
 * .eml files in a temporary folder). The Process API can be stopped and started again on the same
 * port and database — the outage the Experience APIs must ride out. With `coreBanking: 'mainframe'`
 * the account System API runs on its mainframe backend over the REAL core-banking gateway, started
 * in-process on its own database and port (optionally with a batch window, on a given clock).
 */
import { randomInt, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { loadConfig, serviceServerOptions } from '@bartholomew/platform';
import { captureLogs, createTestDatabase, type CapturedLogs, type TestDatabase } from '@bartholomew/testing';
import { accountSystem, AccountSystemConfigSchema } from '@bartholomew/account-system-api';
import { BillingConfigSchema, billingSystemApi } from '@bartholomew/billing-system-api';
import { onboardingProcess, OnboardingConfigSchema } from '@bartholomew/onboarding-process-api';
import { loadGatewayConfig, startGateway, type RunningGateway } from '@bartholomew/core-banking-gateway';

const PROCESS_SECRET = 'process-secret-for-experience-tests';
/** Outbound secrets of the two Experience APIs, as the Process API is told to accept them. */
export const EXPERIENCE_SECRETS = {
  'mobile-experience-api': 'mobile-secret-for-experience-tests',
  'web-experience-api': 'web-secret-for-experience-tests',
} as const;
const OPERATOR_SECRET = 'operator-secret-for-experience-tests';

export interface OnboardingStackOptions {
  /** The account System API's CORE_BANKING_BACKEND; `mainframe` starts a core-banking gateway for it. Default `postgres`. */
  coreBanking?: 'postgres' | 'mainframe';
  /** With `mainframe`: the gateway's GATEWAY_BATCH_WINDOW (`HH:MM-HH:MM` UTC) and the clock it reads it on. */
  gateway?: { batchWindow?: string; now?: () => Date };
}

export interface OnboardingStack {
  processUrl: string;
  accountUrl: string;
  /** Headers of a process-layer caller of the System APIs (to add transactions in tests). */
  asProcess: Record<string, string>;
  /**
   * Moves an account's postings of these amounts to `instant` in the account System API's ledger, as if posted then.
   * Postgres backend only: the mainframe's postings are the gateway's.
   */
  backdateTransactions(accountId: string, amountsMinor: number[], instant: string): Promise<void>;
  /** Headers of an operator of the Process API (to decide reviews in tests). */
  asOperator: Record<string, string>;
  processLogs: CapturedLogs;
  /** Closes the Process API: calls to it now fail to connect. */
  stopProcess(): Promise<void>;
  /** Starts it again on the same port and database. */
  startProcess(): Promise<void>;
  close(): Promise<void>;
}

async function listen(app: FastifyInstance, port: number): Promise<number> {
  await app.listen({ host: '127.0.0.1', port });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

const common = (databaseUrl: string, acceptedCallers: string, piiByte: number) => ({
  PORT: '0',
  LOG_LEVEL: 'warn',
  DATABASE_URL: databaseUrl,
  ACCEPTED_CALLERS: acceptedCallers,
  PII_ENCRYPTION_KEY: Buffer.alloc(32, piiByte).toString('base64'),
  SHUTDOWN_GRACE_MS: '500',
});

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

export async function startOnboardingStack(options: OnboardingStackOptions = {}): Promise<OnboardingStack> {
  const databases: TestDatabase[] = [];
  const apps: FastifyInstance[] = [];
  const database = async () => {
    const created = await createTestDatabase();
    databases.push(created);
    return created;
  };
  const systemCallers = `onboarding-process-api:process:${PROCESS_SECRET}`;
  const mainframe = options.coreBanking === 'mainframe';

  let gateway: RunningGateway | undefined;
  const gatewayDir = mainframe ? mkdtempSync(join(tmpdir(), 'experience-tests-gateway-')) : undefined;
  if (gatewayDir) {
    const gatewayDb = await database();
    const gatewayConfig = loadGatewayConfig({
      PORT: '0',
      GATEWAY_PORT: '0',
      LOG_LEVEL: 'silent',
      DATABASE_URL: gatewayDb.url,
      PII_ENCRYPTION_KEY: Buffer.alloc(32, 6).toString('base64'),
      SHUTDOWN_GRACE_MS: '500',
      DATA_DIR: gatewayDir,
      GATEWAY_BATCH_WINDOW: options.gateway?.batchWindow ?? '',
    });
    gateway = await startGateway(gatewayConfig, silent, options.gateway?.now ? { now: options.gateway.now } : {});
  }

  const accountDb = await database();
  const accountConfig = loadConfig(AccountSystemConfigSchema, {
    ...common(accountDb.url, systemCallers, 3),
    ...(gateway
      ? { CORE_BANKING_BACKEND: 'mainframe', CORE_BANKING_GATEWAY_HOST: '127.0.0.1', CORE_BANKING_GATEWAY_PORT: String(gateway.port) }
      : {}),
  });
  const accountApp = Fastify(serviceServerOptions(accountConfig, { logStream: captureLogs().stream }));
  await accountApp.register(accountSystem, { config: accountConfig });
  apps.push(accountApp);
  const accountUrl = `http://127.0.0.1:${await listen(accountApp, 0)}`;

  const billingDb = await database();
  const billingConfig = loadConfig(BillingConfigSchema, common(billingDb.url, systemCallers, 4));
  const billingApp = Fastify(serviceServerOptions(billingConfig, { logStream: captureLogs().stream }));
  await billingApp.register(billingSystemApi, { config: billingConfig });
  apps.push(billingApp);
  const billingUrl = `http://127.0.0.1:${await listen(billingApp, 0)}`;

  const processDb = await database();
  const mailDir = mkdtempSync(join(tmpdir(), 'experience-tests-'));
  const processCallers = [
    ...Object.entries(EXPERIENCE_SECRETS).map(([name, secret]) => `${name}:experience:${secret}`),
    `ops-console:operator:${OPERATOR_SECRET}`,
  ].join(',');
  const processLogs = captureLogs();
  let processPort = 0;
  let processApp: FastifyInstance | undefined;
  const startProcess = async () => {
    const config = loadConfig(OnboardingConfigSchema, {
      ...common(processDb.url, processCallers, 5),
      LOG_LEVEL: 'info',
      DATA_DIR: mailDir,
      SERVICE_CREDENTIAL_SECRET: PROCESS_SECRET,
      ACCOUNT_SYSTEM_URL: accountUrl,
      BILLING_SYSTEM_URL: billingUrl,
      WORKFLOW_POLL_INTERVAL_MS: '100',
      STEP_RETRY_BASE_MS: '100',
      STEP_RETRY_MAX_MS: '500',
    });
    const app = Fastify(serviceServerOptions(config, { logStream: processLogs.stream }));
    await app.register(onboardingProcess, { config });
    processPort = await listen(app, processPort);
    processApp = app;
  };
  await startProcess();

  return {
    processUrl: `http://127.0.0.1:${processPort}`,
    accountUrl,
    asProcess: { 'x-service-credential': `onboarding-process-api.${PROCESS_SECRET}` },
    asOperator: { 'x-service-credential': `ops-console.${OPERATOR_SECRET}` },
    backdateTransactions: async (accountId, amountsMinor, instant) => {
      if (mainframe) throw new Error('backdateTransactions needs the postgres core-banking backend');
      await accountApp.db.query('UPDATE account_transactions SET posted_at = $3 WHERE account_id = $1 AND amount_minor = ANY($2::bigint[])', [
        accountId,
        amountsMinor,
        instant,
      ]);
    },
    processLogs,
    stopProcess: async () => {
      await processApp?.close();
      processApp = undefined;
    },
    startProcess,
    close: async () => {
      await processApp?.close();
      for (const app of apps.reverse()) await app.close();
      await gateway?.close();
      for (const created of databases) await created.drop();
      rmSync(mailDir, { recursive: true, force: true });
      if (gatewayDir) rmSync(gatewayDir, { recursive: true, force: true });
    },
  };
}

/** A valid SSN no KYC test value uses (area 200–599), so each applicant is a new bank customer. */
export function freshSsn(): string {
  return `${randomInt(200, 600)}-${String(randomInt(1, 100)).padStart(2, '0')}-${String(randomInt(1, 9999)).padStart(4, '0')}`;
}

/** A funding account number no other test uses, ending in `suffix` (the ACH sandbox's test endings). */
export const freshAccountNumber = (suffix = '7') => `${randomInt(1, 10)}${String(randomInt(0, 1e8)).padStart(8, '0')}${suffix}`;

export const newKey = () => `key-${randomUUID()}`;

/** Documented sandbox values of the Process API (see its kyc/ and ach-verification/ READMEs). */
export const SANDBOX = {
  /** The instant-verification bank: any valid account there verifies at once. */
  instantRouting: '011000015',
  /** A valid routing number where the sandbox sends micro-deposits. */
  microDepositRouting: '021000021',
  /** Account-number ending that makes the micro-deposits exactly 32 and 45 cents. */
  fixedDepositsSuffix: '3245',
  fixedDeposits: [32, 45] as [number, number],
  /** SSN that KYC rejects (IDENTITY_NOT_VERIFIED). */
  rejectedSsn: '123-45-0001',
  /** SSN that KYC sends to manual review. */
  reviewSsn: '123-45-0003',
};
