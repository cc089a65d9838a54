/**
 * The core-banking gateway, assembled: its database (migrated at start), the transaction programs
 * and the TCP server. Used as-is by main.ts and by the tests.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { openDatabase, runMigrations, type Database, type DbLogger } from '@bartholomew/platform/db';
import { PiiVault } from '@bartholomew/platform/server';
import { secondsUntilWindowCloses } from './batch-window';
import type { GatewayConfig } from './config';
import { GatewayMetrics } from './gateway-metrics';
import { GatewayServer } from './gateway-server';
import { migrations } from './migrations';
import { CoreTransactions } from './transactions';

export { loadGatewayConfig, GatewayConfigSchema, operationsServerConfig, type GatewayConfig } from './config';
export { parseBatchWindow, secondsUntilWindowCloses, type BatchWindow } from './batch-window';

export const SERVICE_NAME = 'core-banking-gateway';

export interface RunningGateway {
  /** The TCP port it listens on (useful with GATEWAY_PORT=0). */
  port: number;
  host: string;
  server: GatewayServer;
  db: Database;
  /** Its Prometheus metrics (served by the operations port). */
  metrics: GatewayMetrics;
  /** Stops accepting, answers what sessions already sent (up to SHUTDOWN_GRACE_MS), closes the database. Safe to call twice. */
  close(): Promise<void>;
}

export interface StartGatewayOptions {
  /** The clock the batch window is read on (tests). */
  now?: () => Date;
}

/**
 * The PII key: configured in production; for local runs generated once into the data folder so
 * the next run can read what this one stored (as the platform does for the HTTP services).
 */
function loadPiiKey(config: GatewayConfig, log: DbLogger): Buffer {
  if (config.PII_ENCRYPTION_KEY) return Buffer.from(config.PII_ENCRYPTION_KEY, 'base64');
  const dir = join(config.DATA_DIR, SERVICE_NAME);
  const file = join(dir, 'pii.key');
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600 });
  }
  log.warn({ file }, 'PII_ENCRYPTION_KEY not set: using a local development key from the data folder');
  return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
}

export async function startGateway(config: GatewayConfig, log: DbLogger, options: StartGatewayOptions = {}): Promise<RunningGateway> {
  const pii = new PiiVault(loadPiiKey(config, log));
  const db = await openDatabase({
    databaseUrl: config.DATABASE_URL,
    dataDir: config.DATA_DIR,
    databaseName: SERVICE_NAME.replace(/-/g, '_'),
    log,
    poolSize: config.DATABASE_POOL_SIZE,
  });
  const now = options.now ?? (() => new Date());
  let server: GatewayServer | undefined;
  const metrics = new GatewayMetrics(SERVICE_NAME, {
    sessions: () => server?.sessionCount ?? 0,
    maxSessions: config.GATEWAY_MAX_SESSIONS,
    batchWindowOpen: () => secondsUntilWindowCloses(config.batchWindow, now()) > 0,
  });
  let address: { port: number; address: string };
  try {
    await runMigrations(db, migrations, log);
    server = new GatewayServer({
      transactions: new CoreTransactions(db, pii),
      log,
      maxSessions: config.GATEWAY_MAX_SESSIONS,
      batchWindow: config.batchWindow,
      slowAnswerMs: config.GATEWAY_SLOW_ANSWER_MS,
      slowAnswerBusySessions: config.GATEWAY_SLOW_ANSWER_BUSY_SESSIONS,
      sessionRetrySeconds: config.GATEWAY_SESSION_RETRY_SECONDS,
      idleTimeoutMs: config.GATEWAY_IDLE_TIMEOUT_MS,
      now,
      onAnswer: (tranCode, returnCode, reasonCode) => metrics.answered(tranCode, returnCode, reasonCode),
    });
    address = await server.listen(config.GATEWAY_PORT, config.HOST);
  } catch (error) {
    await db.close();
    throw error;
  }
  log.info(
    { host: address.address, port: address.port, maxSessions: config.GATEWAY_MAX_SESSIONS, batchWindow: config.GATEWAY_BATCH_WINDOW || 'none' },
    'core-banking gateway listening',
  );
  let closing: Promise<void> | undefined;
  const listening = server; // narrowed above; a const the close() closure can rely on
  return {
    port: address.port,
    host: address.address,
    server: listening,
    db,
    metrics,
    close: () =>
      (closing ??= (async () => {
        await listening.close(config.SHUTDOWN_GRACE_MS);
        await db.close();
      })()),
  };
}
