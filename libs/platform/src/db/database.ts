/**
 * A service's PostgreSQL access: one pg Pool plus the two things every caller needs from it —
 * transactions that always end and release their connection, and a close() that also stops the
 * embedded server when there is one.
 */
import pg from 'pg';
import { startEmbeddedPostgres } from './embedded-postgres';
import { markDatabaseError } from './errors';
import type { DbLogger } from './logger';
import { PreparedStatementsClient } from './prepared-statements';

export interface Database {
  pool: pg.Pool;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- same default as pg's own query()
  query<R extends pg.QueryResultRow = any>(sql: string, params?: unknown[]): Promise<pg.QueryResult<R>>;
  /** BEGIN, run `fn` on one connection, COMMIT; ROLLBACK and rethrow if `fn` throws. */
  transaction<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T>;
  /** Ends the pool, then stops the embedded server if this process owns it. Safe to call twice. */
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** A real server (compose, CI, production). Absent: embedded PostgreSQL in `dataDir`. */
  databaseUrl?: string;
  /** The service's data folder; the embedded cluster lives in `<dataDir>/postgres`. */
  dataDir: string;
  /** Database created on the embedded server if missing (with `databaseUrl` the URL names it). */
  databaseName: string;
  log: DbLogger;
  poolSize?: number;
  /** How long a query waits for a connection (server unreachable, pool exhausted) before failing. */
  connectionTimeoutMs?: number;
}

const DEFAULT_POOL_SIZE = 10;
/** Below the default request timeout, so a request waiting on a dead database answers 503 itself. */
const DEFAULT_CONNECTION_TIMEOUT_MS = 5_000;

/** Opens the pool on `databaseUrl`, or starts/reuses the embedded server of `dataDir` first. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  const { log } = options;
  const max = options.poolSize ?? DEFAULT_POOL_SIZE;
  const connectionTimeoutMillis = options.connectionTimeoutMs ?? DEFAULT_CONNECTION_TIMEOUT_MS;

  if (options.databaseUrl) {
    log.info({ database: describeUrl(options.databaseUrl) }, 'using the PostgreSQL server from DATABASE_URL');
    return wrapPool(
      new pg.Pool({
        connectionString: options.databaseUrl,
        Client: PreparedStatementsClient,
        max,
        connectionTimeoutMillis,
      }),
      log,
      async () => undefined,
    );
  }

  const server = await startEmbeddedPostgres({ dataDir: options.dataDir, log });
  try {
    await ensureDatabase(server.connectionConfig('postgres'), options.databaseName);
  } catch (err) {
    await server.stop();
    throw err;
  }
  log.info(
    {
      dataDir: server.clusterDir,
      host: server.host,
      port: server.port,
      database: options.databaseName,
      mode: server.mode,
    },
    'using embedded PostgreSQL (no DATABASE_URL)',
  );
  return wrapPool(
    new pg.Pool({
      ...server.connectionConfig(options.databaseName),
      Client: PreparedStatementsClient,
      max,
      connectionTimeoutMillis,
    }),
    log,
    () => server.stop(),
  );
}

function wrapPool(pool: pg.Pool, log: DbLogger, afterEnd: () => Promise<void>): Database {
  // Without a listener, an idle connection dropped by the server (restart, failover, or the fast
  // shutdown right after pool.end()) is an unhandled 'error' that kills the process.
  pool.on('error', (err) => log.warn({ err }, 'an idle PostgreSQL connection failed'));
  let closing: Promise<void> | undefined;

  return {
    pool,
    // Errors leaving the pool are marked as the database's, so the error handler can tell a
    // database that is down (503) from a bug (500); see classifyDatabaseError.
    query: (sql, params) =>
      pool.query(sql, params).catch((err: unknown) => {
        throw markDatabaseError(err);
      }),
    async transaction(fn) {
      const client = await pool.connect().catch((err: unknown) => {
        throw markDatabaseError(err);
      });
      // A checked-out client has no pool listener; the error also reaches the pending query.
      const onError = (err: Error) => log.warn({ err }, 'a PostgreSQL connection failed inside a transaction');
      client.on('error', onError);
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        const result = await fn(client);
        await client.query('COMMIT');
        return result;
      } catch (err) {
        try {
          await client.query('ROLLBACK');
        } catch (rollbackError) {
          // The connection is unusable: destroy it instead of returning it to the pool.
          broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
          // Whatever `fn` failed with, the connection died under it.
          throw markDatabaseError(err);
        }
        throw err;
      } finally {
        client.off('error', onError);
        client.release(broken);
      }
    },
    close() {
      closing ??= (async () => {
        await pool.end();
        await afterEnd();
      })();
      return closing;
    },
  };
}

/** CREATE DATABASE unless it exists; tolerates another process creating it at the same moment. */
async function ensureDatabase(adminConfig: pg.ClientConfig, name: string): Promise<void> {
  const client = new pg.Client(adminConfig);
  client.on('error', () => undefined);
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount) return;
    try {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
    } catch (err) {
      const code = (err as { code?: string }).code;
      // 42P04 duplicate_database; 23505 when two CREATEs race on pg_database's unique index.
      if (code !== '42P04' && code !== '23505') throw err;
    }
  } finally {
    await client.end();
  }
}

/** host:port/database and user, never the password (nor query parameters that might carry one). */
function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.username ? `${decodeURIComponent(parsed.username)}@` : ''}${parsed.host}${parsed.pathname}`;
  } catch {
    return '(unparsable connection string)';
  }
}
