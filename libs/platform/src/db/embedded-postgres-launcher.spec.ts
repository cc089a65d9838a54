import { chmod, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { launchEmbeddedPostgres, requireWithNode, type LaunchedEmbeddedPostgres } from './embedded-postgres-launcher.cjs';

describe('the embedded PostgreSQL launcher', () => {
  let root: string;
  let taken: net.Server;
  let server: LaunchedEmbeddedPostgres | undefined;
  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'launcher-spec-'));
    await chmod(root, 0o711); // as root, postgres runs as the `postgres` user, who must pass through
    taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await server?.stop();
    await new Promise((resolve) => taken.close(resolve));
    await rm(root, { recursive: true, force: true });
  });

  it('starts on another port when the preferred one is taken, leaves the signals to its owner, and initialises only an empty folder', async () => {
    const takenPort = (taken.address() as net.AddressInfo).port;
    const failedPorts: number[] = [];
    let initialised = 0;
    const options = {
      clusterDir: path.join(root, 'cluster'),
      password: 'launcher-spec',
      initdbFlags: ['--no-sync'],
      preferredPort: takenPort,
      onInitialise: () => (initialised += 1),
      onStartFailed: ({ port }: { port: number }) => failedPorts.push(port),
    };
    server = await launchEmbeddedPostgres(options);
    expect(failedPorts).toEqual([takenPort]);
    expect(server.port).not.toBe(takenPort);
    expect(initialised).toBe(1);

    const client = new pg.Client({ host: server.host, port: server.port, user: server.user, password: 'launcher-spec', database: 'postgres' });
    await client.connect();
    expect((await client.query<{ server_version: string }>('SHOW server_version')).rows[0].server_version).toMatch(/^18\./);
    await client.end();

    // The package's SIGINT/SIGTERM/SIGHUP hooks would stop the server and exit, racing a graceful shutdown.
    const exitHook = requireWithNode('async-exit-hook') as { hookedEvents(): string[] };
    expect(exitHook.hookedEvents()).toEqual(expect.arrayContaining(['exit']));
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) expect(exitHook.hookedEvents()).not.toContain(signal);

    await server.stop();
    server = await launchEmbeddedPostgres({ ...options, preferredPort: undefined });
    expect(initialised).toBe(1); // the cluster is there: initdb would refuse it
  });
});
