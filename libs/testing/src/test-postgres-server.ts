/**
 * A throwaway PostgreSQL server for a test run, for machines without TEST_DATABASE_URL:
 * a testcontainers container when a container runtime answers, else an embedded server.
 *
 * The server itself is started by the platform's one launcher (libs/platform/src/db/
 * embedded-postgres-launcher.cjs: root, initdb only on an empty folder, signal hooks, port retries);
 * what differs from a service's server is only what is asked of it: disposable, durability off for
 * speed, deleted on stop.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { requireWithNode } from './node-require';

/**
 * The platform's launcher, loaded at run time by package name. REVIEW: neither a static import nor a
 * type query on purpose: the platform's own tests use this library, so either would be a cycle in the
 * project graph (lint) and in TS project references. The part of its API used here, restated
 * (libs/platform/src/db/embedded-postgres-launcher.d.cts is the full one).
 */
interface EmbeddedPostgresLauncher {
  launchEmbeddedPostgres(options: {
    clusterDir: string;
    password: string;
    persistent?: boolean;
    initdbFlags?: string[];
    postgresFlags?: string[];
  }): Promise<{ port: number; stop(): Promise<void> }>;
}
const launcher = () => requireWithNode('@bartholomew/platform/embedded-postgres-launcher') as EmbeddedPostgresLauncher;

export interface TestPostgresServer {
  /** Superuser URL of a database on the server that may be used to CREATE/DROP other databases. */
  adminUrl: string;
  kind: 'container' | 'embedded';
  /** Where an embedded server keeps its data (deleted by stop); absent for a container. */
  dataDir?: string;
  stop(): Promise<void>;
}

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
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'bartholomew-test-pg-'));
  // As root, postgres runs as the `postgres` user, who must pass through this 0700 folder.
  if (process.getuid?.() === 0) await fs.chmod(root, 0o711);
  const password = randomBytes(18).toString('base64url');
  let server: { port: number; stop(): Promise<void> };
  try {
    server = await launcher().launchEmbeddedPostgres({
      clusterDir: path.join(root, 'cluster'),
      password,
      persistent: false,
      initdbFlags: ['--no-sync'],
      postgresFlags: [...['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'], ...['-c', 'max_connections=200']],
    });
  } catch (err) {
    await fs.rm(root, { recursive: true, force: true });
    throw new Error(`embedded PostgreSQL for tests did not start: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  let stopping: Promise<void> | undefined;
  return {
    adminUrl: `postgres://postgres:${password}@127.0.0.1:${server.port}/postgres`,
    kind: 'embedded',
    dataDir: root,
    stop: () =>
      (stopping ??= (async () => {
        await server.stop();
        await fs.rm(root, { recursive: true, force: true });
      })()),
  };
}
