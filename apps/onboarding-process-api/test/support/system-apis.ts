/**
 * The REAL account and billing System APIs, built from their app plugins exactly as their main.ts
 * builds them, each listening on its own port with its own fresh test database. The billing API
 * can be stopped and started again on the same port (an outage the Process API must ride out).
 */
import Fastify, { type FastifyInstance } from 'fastify';
import pg from 'pg';
import { loadConfig, serviceServerOptions } from '@bartholomew/platform';
import { captureLogs, createTestDatabase, type CapturedLogs, type TestDatabase } from '@bartholomew/testing';
import { accountSystem, AccountSystemConfigSchema } from '@bartholomew/account-system-api';
import { BillingConfigSchema, billingSystemApi } from '@bartholomew/billing-system-api';

/** The Process API's outbound secret, as both System APIs are told to accept it. */
export const PROCESS_SECRET = 'process-secret-for-onboarding-tests';

interface RunningSystemApi {
  baseUrl: string;
  database: TestDatabase;
  logs: CapturedLogs;
  /** Runs SQL on the System API's own database (tests count what it created). */
  query<R extends pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<R[]>;
}

export interface SystemApis {
  account: RunningSystemApi;
  billing: RunningSystemApi & {
    /** Closes the billing API: calls now fail to connect. */
    stop(): Promise<void>;
    /** Starts it again on the same port and database. */
    start(): Promise<void>;
  };
  close(): Promise<void>;
}

function environment(databaseUrl: string, port: number): Record<string, string> {
  return {
    PORT: String(port),
    LOG_LEVEL: 'info',
    DATABASE_URL: databaseUrl,
    ACCEPTED_CALLERS: `onboarding-process-api:process:${PROCESS_SECRET}`,
    PII_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64'),
  };
}

async function listen(app: FastifyInstance, port: number): Promise<number> {
  await app.listen({ host: '127.0.0.1', port });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

export async function startSystemApis(): Promise<SystemApis> {
  const pools: pg.Pool[] = [];
  const querier = (url: string) => {
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    pool.on('error', () => undefined);
    pools.push(pool);
    return async <R extends pg.QueryResultRow>(sql: string, params?: unknown[]) => (await pool.query<R>(sql, params)).rows;
  };

  const accountDb = await createTestDatabase();
  const accountLogs = captureLogs();
  const accountConfig = loadConfig(AccountSystemConfigSchema, environment(accountDb.url, 0));
  const accountApp = Fastify(serviceServerOptions(accountConfig, { logStream: accountLogs.stream }));
  await accountApp.register(accountSystem, { config: accountConfig });
  const accountPort = await listen(accountApp, 0);

  const billingDb = await createTestDatabase();
  const billingLogs = captureLogs();
  let billingPort = 0;
  let billingApp: FastifyInstance | undefined;
  const startBilling = async () => {
    const config = loadConfig(BillingConfigSchema, environment(billingDb.url, billingPort));
    const app = Fastify(serviceServerOptions(config, { logStream: billingLogs.stream }));
    await app.register(billingSystemApi, { config });
    billingPort = await listen(app, billingPort);
    billingApp = app;
  };
  await startBilling();

  return {
    account: { baseUrl: `http://127.0.0.1:${accountPort}`, database: accountDb, logs: accountLogs, query: querier(accountDb.url) },
    billing: {
      baseUrl: `http://127.0.0.1:${billingPort}`,
      database: billingDb,
      logs: billingLogs,
      query: querier(billingDb.url),
      stop: async () => {
        await billingApp?.close();
        billingApp = undefined;
      },
      start: startBilling,
    },
    close: async () => {
      await Promise.all(pools.map((pool) => pool.end()));
      await accountApp.close();
      await billingApp?.close();
      await accountDb.drop();
      await billingDb.drop();
    },
  };
}
