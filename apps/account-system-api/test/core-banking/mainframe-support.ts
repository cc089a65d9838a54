import { mkdtempSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadGatewayConfig, startGateway, type RunningGateway } from '@bartholomew/core-banking-gateway';
import { openDatabase, runMigrations, type Database, type DbLogger } from '@bartholomew/platform';
import { createTestDatabase, type TestDatabase } from '@bartholomew/testing';
import { CoreBankingGateway, type CoreBankingGatewayOptions } from '../../src/core-banking/mainframe/core-banking-gateway';
import { MainframeCoreBanking } from '../../src/core-banking/mainframe/mainframe-core-banking';
import { migrations } from '../../src/migrations';

/** A fixed PII key, the app's and the gateway's alike: tests decrypt stored values to prove what was stored. */
export const TEST_PII_KEY = Buffer.alloc(32, 9).toString('base64');

export const quiet: DbLogger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** The real core-banking gateway, in-process on a fresh database of its own and a free port. */
export interface TestGateway {
  gateway: RunningGateway;
  database: TestDatabase;
  /** Another gateway on the same core database (e.g. with a batch window); closed with this one. */
  startAnother(env: Record<string, string>, now?: () => Date): Promise<RunningGateway>;
  close(): Promise<void>;
}

export async function startTestGateway(): Promise<TestGateway> {
  const database = await createTestDatabase();
  const started: RunningGateway[] = [];
  const start = async (env: Record<string, string> = {}, now?: () => Date) => {
    const config = loadGatewayConfig({
      PORT: '0',
      GATEWAY_PORT: '0',
      LOG_LEVEL: 'silent',
      DATABASE_URL: database.url,
      DATA_DIR: mkdtempSync(join(tmpdir(), 'account-system-gateway-')),
      PII_ENCRYPTION_KEY: TEST_PII_KEY,
      SHUTDOWN_GRACE_MS: '1000',
      ...env,
    });
    const gateway = await startGateway(config, quiet, now ? { now } : {});
    started.push(gateway);
    return gateway;
  };
  try {
    return {
      gateway: await start(),
      database,
      startAnother: start,
      close: async () => {
        await Promise.all(started.map((gateway) => gateway.close()));
        await database.drop();
      },
    };
  } catch (error) {
    await database.drop();
    throw error;
  }
}

/** The account System API's own database, migrated (the adapter's idempotency keys live there). */
export async function startApiDatabase(): Promise<{ database: TestDatabase; db: Database }> {
  const database = await createTestDatabase();
  const db = await openDatabase({ databaseUrl: database.url, dataDir: '.data', databaseName: database.name, log: quiet });
  await runMigrations(db, migrations, quiet);
  return { database, db };
}

export function gatewayClient(port: number, options: Partial<CoreBankingGatewayOptions> = {}): CoreBankingGateway {
  return new CoreBankingGateway({ host: '127.0.0.1', port, sessions: 8, timeoutMs: 5_000, clientId: 'TESTAPI', ...options });
}

export function mainframeCoreBanking(db: Database, gateway: CoreBankingGateway): MainframeCoreBanking {
  return new MainframeCoreBanking(db, gateway);
}

/** A port nothing listens on: bound once by us, then released. */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A gateway that accepts sessions and reads requests but never answers: a core that hangs. */
export async function silentGateway(): Promise<{ port: number; connections: () => number; bytesReceived: () => number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  let connections = 0;
  let bytes = 0;
  const server = net.createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('data', (chunk) => {
      bytes += chunk.length;
    });
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    connections: () => connections,
    bytesReceived: () => bytes,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
