import { existsSync } from 'node:fs';
import pg from 'pg';
import globalSetup from './jest-global-setup';
import globalTeardown from './jest-global-teardown';
import { RUN_SERVER_KEY, type RunServerGlobal } from './run-server';
import { startEmbeddedTestServer } from './test-postgres-server';

async function serverVersion(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return (await client.query<{ server_version: string }>('SHOW server_version')).rows[0]?.server_version ?? '';
  } finally {
    await client.end();
  }
}

describe('embedded test server', () => {
  it('runs a real PostgreSQL 18 and deletes its folder on stop', async () => {
    const server = await startEmbeddedTestServer();
    expect(server.kind).toBe('embedded');
    expect(server.dataDir && existsSync(server.dataDir)).toBe(true);

    expect(await serverVersion(server.adminUrl)).toMatch(/^18\./);

    await server.stop();
    await expect(serverVersion(server.adminUrl)).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
    expect(existsSync(server.dataDir ?? '')).toBe(false);
  });
});

// A function, so TypeScript does not narrow the variable across the awaited setup calls.
const exportedUrl = () => process.env.TEST_DATABASE_URL;

describe('jest globalSetup / globalTeardown', () => {
  // This run's own setup may have left its server in a global that Jest copies into test
  // environments: hide it, or calling globalTeardown here would stop the server of the run.
  const holder = globalThis as RunServerGlobal;
  const outsideUrl = process.env.TEST_DATABASE_URL;
  const runServer = holder[RUN_SERVER_KEY];
  beforeEach(() => {
    delete holder[RUN_SERVER_KEY];
  });
  afterEach(() => {
    if (outsideUrl === undefined) delete process.env.TEST_DATABASE_URL;
    else process.env.TEST_DATABASE_URL = outsideUrl;
    if (runServer) holder[RUN_SERVER_KEY] = runServer;
  });

  it('starts a server for the run and exports its URL when none is configured, and stops it after', async () => {
    delete process.env.TEST_DATABASE_URL;

    await globalSetup();
    const url = exportedUrl();
    if (!url) throw new Error('globalSetup did not export TEST_DATABASE_URL');
    expect(await serverVersion(url)).toMatch(/^\d+\./);

    await globalTeardown();
    expect(exportedUrl()).toBeUndefined();
    await expect(serverVersion(url)).rejects.toBeDefined();
  });

  it('leaves a configured TEST_DATABASE_URL alone', async () => {
    process.env.TEST_DATABASE_URL = 'postgres://someone@db.example:5432/postgres';

    await globalSetup();
    await globalTeardown();

    expect(process.env.TEST_DATABASE_URL).toBe('postgres://someone@db.example:5432/postgres');
  });
});
