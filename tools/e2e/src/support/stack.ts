/**
 * The whole stack as production runs it: each service's esbuild bundle (dist/apps/<service>/main.js)
 * as its own Node process, wired only by environment variables, bottom layer first — the core-banking
 * gateway (the backend, its TCP port chosen by the OS and handed to the account System API, which
 * calls it), the two System APIs, the onboarding Process API, then both Experience APIs. Each listens on a port the OS picks
 * (PORT=0; the URL is read from its "Server listening at" log line), so nothing collides with a
 * running `npm start` or anything else on the machine. Each service with data gets a fresh database
 * (createTestDatabase); welcome emails go to an SMTP server in this process; end-user tokens are
 * signed with a key made for this run.
 *
 * `close()` stops every child (SIGTERM, then SIGKILL after a timeout), the SMTP server, drops the
 * databases and deletes the temporary DATA_DIR — and startStack() does the same itself when a
 * service fails to start, after printing that service's stderr.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';
import { createTestDatabase, type TestDatabase } from '@bartholomew/testing';
import { startSmtpSink, type SmtpSink } from '@bartholomew/testing';
import { acceptsEndUsers, loadServiceManifest, stackWiring, type ServiceDefinition } from '@bartholomew/stack-checks';
import { createDevIssuer, DEV_ISSUER, type DevIssuer } from './tokens';

const ROOT = resolve(__dirname, '../../../..');
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;
const KILL_TIMEOUT_MS = 5_000;

/** A service of services.json. */
export type ServiceName = string;

export interface RunningService {
  name: ServiceName;
  baseUrl: string;
  /** A backend's protocol port (not HTTP), from its `{ port }` "… listening" log line; undefined for an API. */
  protocolPort?: number;
  child: ChildProcess;
  /** Everything the process wrote to stderr. */
  stderr(): string;
  /** SIGTERM; SIGKILL when it has not exited after STOP_TIMEOUT_MS. Resolves once it has exited. */
  stop(): Promise<void>;
}

export interface RestartOptions {
  /** Start it on the database it had (default: a fresh one). */
  keepDatabase?: boolean;
  /** Work done while the service is down, e.g. moving its data; a failure leaves it stopped. */
  whileStopped?: () => Promise<void>;
}

export interface Stack {
  mobileUrl: string;
  webUrl: string;
  services: Partial<Record<ServiceName, RunningService>>;
  /** The environment each running service was started with (beyond spawnService's defaults). */
  environments: Partial<Record<ServiceName, Record<string, string>>>;
  smtp: SmtpSink;
  issuer: DevIssuer;
  /**
   * Stops one service and starts it again on the same port — so its callers, untouched, reach the new
   * process at the URL they were given — with `settings` added to its environment and a fresh database
   * (or its own again, with `keepDatabase`), after `whileStopped` has run.
   */
  restart(name: ServiceName, settings: Record<string, string>, options?: RestartOptions): Promise<RunningService>;
  close(): Promise<void>;
}

/** Like Promise.all, but waits for every promise to settle first: nothing is left starting behind a failure. */
async function allSettledOrThrow<T>(promises: Array<Promise<T>>): Promise<T[]> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((result) => (result as PromiseFulfilledResult<T>).value);
}

const piiKey = () => randomBytes(32).toString('base64');

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

async function stopChild(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  if (hasExited(child)) return;
  child.kill('SIGTERM');
  const graceful = await Promise.race([exited.then(() => true), delay(STOP_TIMEOUT_MS, false, { ref: false })]);
  if (graceful || hasExited(child)) return;
  child.kill('SIGKILL');
  await Promise.race([exited, delay(KILL_TIMEOUT_MS, undefined, { ref: false })]);
}

/**
 * The port of a backend's protocol listener, from the JSON log line it writes once that listener is
 * open (the core-banking gateway: `{ host, port, … }` "core-banking gateway listening", before its
 * HTTP port opens). Fastify's own "Server listening at <url>" line carries no `port` field.
 */
function announcedProtocolPort(line: string): number | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const entry = JSON.parse(line) as { msg?: unknown; port?: unknown };
    return typeof entry.msg === 'string' && entry.msg.endsWith(' listening') && typeof entry.port === 'number' ? entry.port : undefined;
  } catch {
    return undefined; // a line that only looks like JSON
  }
}

export async function spawnService(name: ServiceName, env: Record<string, string>): Promise<RunningService> {
  const bundle = join(ROOT, 'dist/apps', name, 'main.js');
  if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run \`npx nx run @bartholomew/${name}:build\` first`);
  const child = spawn(process.execPath, [bundle], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', SHUTDOWN_GRACE_MS: '2000', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = once(child, 'exit').then(([code, signal]) => String(signal ?? code));
  // If this Jest worker dies without running afterAll, the child must not outlive it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  void exited.then(() => process.removeListener('exit', killOnExit));

  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const recent: string[] = [];
  let protocolPort: number | undefined;
  let announce: (url: string) => void = () => undefined;
  const listening = new Promise<string>((resolveUrl) => (announce = resolveUrl));
  // Keep reading stdout for the process's whole life: a full pipe would block its logging.
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
    recent.push(line);
    if (recent.length > 50) recent.shift();
    const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
    if (match) announce(match[1]);
    protocolPort ??= announcedProtocolPort(line);
  });

  const service: RunningService = { name, baseUrl: '', child, stderr: () => stderr, stop: () => stopChild(child, exited) };
  try {
    const deadline = Date.now() + START_TIMEOUT_MS;
    const outcome = await Promise.race([
      listening,
      exited.then((how) => new Error(`exited (${how}) before listening`)),
      delay(START_TIMEOUT_MS, undefined, { ref: false }).then(() => new Error(`did not listen within ${START_TIMEOUT_MS / 1000} s`)),
    ]);
    if (outcome instanceof Error) throw outcome;
    service.baseUrl = outcome;
    for (;;) {
      if (hasExited(child)) throw new Error(`exited (${await exited}) before it was ready`);
      const ready = await fetch(`${service.baseUrl}/health/ready`).then(
        (res) => res.ok,
        () => false,
      );
      if (ready) return Object.assign(service, { protocolPort });
      if (Date.now() > deadline) throw new Error(`was not ready within ${START_TIMEOUT_MS / 1000} s`);
      await delay(100);
    }
  } catch (error) {
    await service.stop();
    const message = `${name} ${(error as Error).message}\n--- stderr ---\n${stderr}\n--- last stdout lines ---\n${recent.join('\n')}`;
    console.error(message);
    throw new Error(message);
  }
}

/**
 * What the tests set beyond the wiring the manifest gives: a fast workflow for the Process API,
 * and limits no single test client should hit on the Experience APIs.
 */
const TEST_SETTINGS: Record<string, (smtpUrl: string) => Record<string, string>> = {
  'onboarding-process-api': (smtpUrl) => ({
    SMTP_URL: smtpUrl,
    WORKFLOW_POLL_INTERVAL_MS: '100',
    STEP_RETRY_BASE_MS: '100',
    STEP_RETRY_MAX_MS: '1000',
  }),
};
const END_USER_TEST_SETTINGS = {
  RATE_LIMIT_PER_MINUTE: '10000',
  RATE_LIMIT_BURST_PER_SECOND: '10000',
  RATE_LIMIT_CONCURRENT_PER_USER: '10000',
  RATE_LIMIT_PER_IP_BURST_PER_SECOND: '100000',
  RATE_LIMIT_PER_IP_PER_MINUTE: '1000000', // every test client is 127.0.0.1
};

/**
 * The stack as services.json declares it: layer by layer from the bottom (each layer's services in
 * parallel), every service wired only by what the manifest implies (stackWiring) — its database, the
 * callers it accepts with their credentials, the URL variable of each API it calls, end-user tokens
 * at the edge — plus the test settings above. A service added to the manifest (e.g. by `nx g`) is
 * started here with no edit.
 */
export async function startStack(): Promise<Stack> {
  const wiring = stackWiring(loadServiceManifest());
  const dataDir = mkdtempSync(join(tmpdir(), 'bartholomew-e2e-'));
  const databases: TestDatabase[] = [];
  const services: Partial<Record<ServiceName, RunningService>> = {};
  const environments: Partial<Record<ServiceName, Record<string, string>>> = {};
  let smtp: SmtpSink | undefined;

  const close = async () => {
    // Top layer first, as a deployment would drain; every step runs even when one fails.
    for (const layer of [...wiring.layers].reverse()) await Promise.allSettled(layer.map((service) => services[service.name]?.stop()));
    await smtp?.close().catch(() => undefined);
    await Promise.allSettled(databases.map((database) => database.drop()));
    rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    const sink = await startSmtpSink();
    smtp = sink;
    const issuer = await createDevIssuer(dataDir);
    const urlOf = (name: string) => {
      const url = services[name]?.baseUrl;
      if (!url) throw new Error(`${name} is not running (is it in services.json?)`);
      return url;
    };
    const protocolAddressOf = (name: string) => {
      const port = services[name]?.protocolPort;
      if (port === undefined) throw new Error(`${name} is not running, or never said where its protocol listens`);
      return { host: '127.0.0.1', port };
    };
    const newDatabaseUrl = async () => {
      const created = await createTestDatabase();
      databases.push(created);
      return created.url;
    };

    const start = async (service: ServiceDefinition) => {
      const databaseUrl = service.database ? await newDatabaseUrl() : undefined;
      const env: Record<string, string> = {
        DATA_DIR: dataDir,
        PII_ENCRYPTION_KEY: piiKey(),
        ...wiring.environmentOf(service, { urlOf, protocolAddressOf, databaseUrl, endUsers: { issuer: DEV_ISSUER, publicKeys: issuer.jwks } }),
        ...TEST_SETTINGS[service.name]?.(sink.url),
        ...(acceptsEndUsers(service) ? END_USER_TEST_SETTINGS : {}),
      };
      environments[service.name] = env;
      services[service.name] = await spawnService(service.name, env);
    };
    for (const layer of wiring.layers) await allSettledOrThrow(layer.map(start));

    const restart = async (name: ServiceName, settings: Record<string, string>, options: RestartOptions = {}) => {
      const running = services[name];
      const previous = environments[name];
      if (!running || !previous) throw new Error(`${name} is not running`);
      await running.stop();
      await options.whileStopped?.();
      const freshDatabase = previous.DATABASE_URL !== undefined && !options.keepDatabase;
      const env: Record<string, string> = {
        ...previous,
        ...settings,
        PORT: new URL(running.baseUrl).port,
        ...(freshDatabase ? { DATABASE_URL: await newDatabaseUrl() } : {}),
      };
      environments[name] = env;
      const restarted = await spawnService(name, env);
      services[name] = restarted;
      return restarted;
    };

    return {
      mobileUrl: urlOf('mobile-experience-api'),
      webUrl: urlOf('web-experience-api'),
      services,
      environments,
      smtp: sink,
      issuer,
      restart,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
