#!/usr/bin/env node
/**
 * `npm start`: the whole stack on embedded defaults, as services.json declares it. Builds every
 * service, starts ONE embedded PostgreSQL (a database for each service that owns one) in .data/,
 * starts each service as its own process with fresh development credentials — a layer at a time,
 * the services of a layer in parallel — waits until each answers /health/ready, and prints the
 * URLs. A service that dies afterwards is restarted with capped backoff (tools/stack-supervisor.mjs).
 * Ctrl-C stops the services (gracefully, no more restarts) and then PostgreSQL.
 *
 * Core banking: the backends (the core-banking gateway) always start; the account System API uses
 * its own PostgreSQL ledger unless `CORE_BANKING_BACKEND=mainframe npm start`, which it reads from
 * this environment like every setting the launcher does not set itself.
 */
// Only built-ins and plain modules until the Node version is checked: on an older Node the
// workspace's packages crash on load with a stack trace instead of saying what is wrong.
import { requireSupportedNode } from './node-version.mjs';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Supervisor, startByLayer } from './stack-supervisor.mjs';
import { readableLogLine } from './log-lines.mjs';
import { createInterface } from 'node:readline';

requireSupportedNode();
const { DEV_ISSUER, devKeyDir, ensureDevKey } = await import('./dev-token.mjs');

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = process.env.DATA_DIR ? resolve(process.env.DATA_DIR) : join(root, '.data');

/**
 * The services of services.json (checked against its schema and the layering by tools/stack-checks),
 * bottom layer first, that have an app under apps/.
 */
const MANIFEST = JSON.parse(readFileSync(join(root, 'services.json'), 'utf8'));
const SERVICES = MANIFEST.services.filter((service) => existsSync(join(root, 'apps', service.name, 'src/main.ts')));
const byName = new Map(SERVICES.map((service) => [service.name, service]));
const databaseOf = (service) => service.name.replace(/-/g, '_');

const log = (message) => console.log(`[stack] ${message}`);

function portIsFree(port) {
  return new Promise((resolveFree) => {
    const server = createServer();
    server.once('error', () => resolveFree(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolveFree(true)));
  });
}

async function startPostgres() {
  // The platform's one embedded-PostgreSQL launcher (plain CommonJS, so no build is needed here): as
  // root it runs postgres as a `postgres` user, initdb only on an empty folder, and it removes the
  // package's SIGINT/SIGTERM hooks — this launcher stops the server only after every service has exited.
  const require = createRequire(import.meta.url);
  const { launchEmbeddedPostgres } = require('@bartholomew/platform/embedded-postgres-launcher');
  const databaseDir = join(dataDir, 'stack-postgres');
  const portFile = join(dataDir, 'stack-postgres.port');
  mkdirSync(dataDir, { recursive: true });
  const server = await launchEmbeddedPostgres({
    clusterDir: databaseDir,
    password: 'postgres',
    // The port of the last run when it is still free: URLs noted from the last run keep working.
    preferredPort: existsSync(portFile) ? Number(readFileSync(portFile, 'utf8')) : undefined,
    onError: (message) => console.error(`[postgres] ${message}`),
    onInitialise: () => log(`initialising PostgreSQL in ${databaseDir}`),
  });
  const { port } = server;
  writeFileSync(portFile, String(port));
  const { Client } = require('pg');
  const client = new Client({ host: server.host, port, user: server.user, password: 'postgres', database: 'postgres' });
  await client.connect();
  for (const service of SERVICES.filter((s) => s.database)) {
    const database = databaseOf(service);
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${database}`);
  }
  await client.end();
  log(`PostgreSQL 18 (embedded) on 127.0.0.1:${port}, data in ${databaseDir}`);
  return {
    pg: server,
    url: (database) => `postgres://postgres:postgres@127.0.0.1:${port}/${database}`,
  };
}

async function waitUntilReady(service, child) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`${service.name} exited with ${child.signalCode ?? `code ${child.exitCode}`}`);
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

/**
 * A service's environment in this run: the host's own (so CORE_BANKING_BACKEND, LOG_LEVEL and the
 * like reach the services), then what services.json implies — its port, its database, the callers
 * it accepts, the URL of each API it calls, and the host and protocol port of each backend it calls.
 */
export function environmentOf(service, { hostEnv = process.env, secrets, databaseUrl, jwks }) {
  const layerOf = (name) => (name === 'operator' ? 'operator' : byName.get(name).layer);
  const accepted = Object.keys(secrets)
    .filter((caller) => service.accepts.includes(layerOf(caller)))
    .map((caller) => `${caller}:${layerOf(caller)}:${secrets[caller]}`)
    .join(',');
  const env = {
    ...hostEnv,
    // services.json's Node options first, so any the host sets come after them and win.
    NODE_OPTIONS: [MANIFEST.nodeOptions, hostEnv.NODE_OPTIONS].filter(Boolean).join(' '),
    PORT: String(service.port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
  };
  // A backend is not an API: no service credentials; its protocol listens on the port services.json gives it.
  if (service.layer === 'backend') delete env.ACCEPTED_CALLERS;
  else env.ACCEPTED_CALLERS = accepted;
  if (service.protocolPort) env[service.protocolPort.variable] = String(service.protocolPort.port);
  delete env.DATABASE_URL; // only a service that owns a database gets one, its own
  if (service.database) env.DATABASE_URL = databaseUrl(databaseOf(service));
  // A credential for the APIs it calls; a backend's clients sign on in its own protocol.
  if (service.calls.some((call) => call.urlVariable)) env.SERVICE_CREDENTIAL_SECRET = secrets[service.name];
  for (const call of service.calls) {
    const downstream = byName.get(call.service);
    if (call.urlVariable) env[call.urlVariable] = `http://127.0.0.1:${downstream.port}`;
    else Object.assign(env, { [call.hostVariable]: '127.0.0.1', [call.portVariable]: String(downstream.protocolPort.port) });
  }
  if (service.accepts.includes('end-user'))
    Object.assign(env, {
      JWT_ISSUER: DEV_ISSUER,
      JWT_AUDIENCE: service.name,
      JWT_PUBLIC_KEYS: jwks,
    });
  return env;
}

async function main() {
  if (SERVICES.length === 0) throw new Error('no services found under apps/');
  if (!process.argv.includes('--no-build')) {
    log(`building ${SERVICES.map((s) => s.name).join(', ')}`);
    const build = spawnSync(
      'npx',
      ['nx', 'run-many', '-t', 'build', '-p', ...SERVICES.map((s) => `@bartholomew/${s.name}`), '--outputStyle=static'],
      {
        cwd: root,
        stdio: 'inherit',
        env: { ...process.env, NX_DAEMON: 'false', NX_TUI: 'false' },
      },
    );
    if (build.status !== 0) throw new Error('build failed');
  }

  const { pg, url } = await startPostgres();
  // End users: the Experience APIs trust the local dev key (`npm run token -- --sub alice` signs with it).
  const { jwks } = await ensureDevKey(devKeyDir(dataDir));
  // Fresh credentials each run: every caller gets a secret; each service accepts the layers services.json says.
  const secrets = Object.fromEntries([...SERVICES.map((s) => s.name), 'operator'].map((name) => [name, randomBytes(18).toString('base64url')]));

  // In a terminal, readable lines; piped (CI, a collector), the services' JSON as it is.
  const readable = process.stdout.isTTY && !process.argv.includes('--json');
  const supervisor = new Supervisor({
    spawnService: (service) => {
      const child = spawn(process.execPath, [join(root, 'dist/apps', service.name, 'main.js')], {
        cwd: root,
        env: environmentOf(service, { secrets, databaseUrl: url, jwks }),
        stdio: ['ignore', readable ? 'pipe' : 'inherit', 'inherit'],
      });
      if (readable) createInterface({ input: child.stdout }).on('line', (line) => console.log(readableLogLine(service.name, line)));
      return child;
    },
    waitUntilReady,
    log,
  });

  let stopping = false;
  const stop = async (code) => {
    if (stopping) return;
    stopping = true;
    log('stopping services');
    await supervisor.stop(); // no restart from here on
    await pg.stop();
    log('stopped');
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  try {
    await startByLayer(SERVICES, async (service) => {
      // Something else answering on the port would pass for this service's readiness.
      for (const port of [service.port, ...(service.protocolPort ? [service.protocolPort.port] : [])])
        if (!(await portIsFree(port))) throw new Error(`${service.name}: port ${port} is already in use (another npm start?)`);
      await supervisor.start(service);
      log(`${service.name} ready`);
    });
  } catch (error) {
    console.error(`[stack] ${error.message}`);
    await stop(1);
    return;
  }

  console.log('\n  service                  layer       API (backend: protocol)    docs (backend: metrics)');
  for (const s of SERVICES) {
    if (s.protocolPort)
      console.log(`  ${s.name.padEnd(24)} ${s.layer.padEnd(11)} tcp://127.0.0.1:${s.protocolPort.port}      http://127.0.0.1:${s.port}/metrics`);
    else console.log(`  ${s.name.padEnd(24)} ${s.layer.padEnd(11)} http://127.0.0.1:${s.port}/v1  http://127.0.0.1:${s.port}/docs`);
  }
  // The account System API reads the choice itself (default postgres); said here so nobody has to guess.
  console.log(
    `\n  core banking: ${process.env.CORE_BANKING_BACKEND || 'postgres (the default; CORE_BANKING_BACKEND=mainframe npm start for the gateway)'}`,
  );
  console.log(`\n  operator credential (this run only):\n    x-service-credential: operator.${secrets.operator}`);
  if (SERVICES.some((s) => s.accepts.includes('end-user'))) {
    console.log('  end-user token:  npm run token -- --sub alice      then: npm run demo\n');
  }
  log('all services ready — Ctrl-C to stop');
}

// Run as `npm start`; imported (by tools/stack-checks), it only offers environmentOf.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url))
  main().catch((error) => {
    console.error(`[stack] ${error.stack ?? error}`);
    process.exit(1);
  });
