/**
 * The REAL account and billing System APIs, built from their app plugins exactly as their main.ts
 * builds them, each listening on its own port with its own fresh test database. The billing API
 * can be stopped and started again on the same port (an outage the Process API must ride out).
 * With `mainframe`, the account System API runs on its mainframe backend over the REAL
 * core-banking gateway, started in-process on its own database and port, on the test's clock.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import pg from 'pg';
import { loadConfig, serviceServerOptions } from '@bartholomew/platform';
import { captureLogs, createTestDatabase, type CapturedLogs, type TestDatabase } from '@bartholomew/testing';
import { accountSystem, AccountSystemConfigSchema } from '@bartholomew/account-system-api';
import { loadGatewayConfig, startGateway, type RunningGateway } from '@bartholomew/core-banking-gateway';
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

export interface SystemApisOptions {
  /** The account System API on CORE_BANKING_BACKEND=mainframe, over a real gateway. */
  mainframe?: {
    /** GATEWAY_BATCH_WINDOW, `HH:MM-HH:MM` UTC; none by default. */
    batchWindow?: string;
    /** The clock the gateway reads its batch window on (default: the real one). */
    now?: () => Date;
  };
}

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** The core-banking gateway in-process: its own database, a free port, the given batch window and clock. */
async function startCoreBankingGateway(
  options: NonNullable<SystemApisOptions['mainframe']>,
): Promise<{ gateway: RunningGateway; close(): Promise<void> }> {
  const database = await createTestDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'onboarding-gateway-'));
  try {
    const config = loadGatewayConfig({
      PORT: '0',
      GATEWAY_PORT: '0',
      LOG_LEVEL: 'silent',
      DATABASE_URL: database.url,
      DATA_DIR: dataDir,
      PII_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
      SHUTDOWN_GRACE_MS: '500',
      GATEWAY_BATCH_WINDOW: options.batchWindow ?? '',
    });
    const gateway = await startGateway(config, silent, options.now ? { now: options.now } : {});
    return {
      gateway,
      close: async () => {
        await gateway.close();
        await database.drop();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await database.drop();
    throw error;
  }
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

export async function startSystemApis(options: SystemApisOptions = {}): Promise<SystemApis> {
  const pools: pg.Pool[] = [];
  const querier = (url: string) => {
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    pool.on('error', () => undefined);
    pools.push(pool);
    return async <R extends pg.QueryResultRow>(sql: string, params?: unknown[]) => (await pool.query<R>(sql, params)).rows;
  };

  const core = options.mainframe ? await startCoreBankingGateway(options.mainframe) : undefined;
  const accountDb = await createTestDatabase();
  const accountLogs = captureLogs();
  const accountConfig = loadConfig(AccountSystemConfigSchema, {
    ...environment(accountDb.url, 0),
    ...(core
      ? { CORE_BANKING_BACKEND: 'mainframe', CORE_BANKING_GATEWAY_HOST: '127.0.0.1', CORE_BANKING_GATEWAY_PORT: String(core.gateway.port) }
      : {}),
  });
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
      await core?.close();
      await accountDb.drop();
      await billingDb.drop();
    },
  };
}
