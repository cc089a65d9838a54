/**
 * One service as production runs it: its esbuild bundle (dist/apps/<service>/main.js) in its own
 * Node process, on a port chosen once and kept across restarts (so whatever points at it keeps
 * working after a SIGKILL and a start), with every line it writes kept for the PII checks.
 * Like tools/e2e's launcher, but restartable and with the whole log, not the last lines.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';
import type { ServiceDefinition } from '@bartholomew/stack-checks';

const ROOT = resolve(__dirname, '../../../..');
const START_TIMEOUT_MS = 60_000;
const KILL_TIMEOUT_MS = 5_000;

/** A service services.json declares (the fault stack starts each one); scenarios name the ones they target. */
export type ServiceName = ServiceDefinition['name'];

export interface LogLine {
  at: number;
  service: ServiceName;
  stream: 'stdout' | 'stderr';
  text: string;
}

export interface ServiceProcess {
  name: ServiceName;
  port: number;
  baseUrl: string;
  /** Every line every incarnation wrote, both streams, in order. */
  logs: LogLine[];
  /** True while the current incarnation runs. */
  running(): boolean;
  /** Resolves with `signal ?? code` when the current incarnation exits. */
  exited(): Promise<string>;
  /** Starts an incarnation and waits until /health/ready answers 200 (or `ready: false`: until it listens). */
  start(options?: { ready?: boolean }): Promise<void>;
  /** Sends a signal; SIGTERM waits up to `graceMs` then SIGKILLs. Resolves once it has exited. */
  stop(signal?: 'SIGTERM' | 'SIGKILL', graceMs?: number): Promise<string>;
  /** The /health/ready answer right now (status code; 0 when it does not answer). */
  readiness(): Promise<{ status: number; body: unknown }>;
}

/** A free loopback port: bound, read, released. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((resolveClose) => server.close(resolveClose));
  return port;
}

export async function createServiceProcess(name: ServiceName, env: Record<string, string>): Promise<ServiceProcess> {
  const bundle = join(ROOT, 'dist/apps', name, 'main.js');
  if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run \`npx nx run-many -t build\` first`);
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const logs: LogLine[] = [];
  let child: ChildProcess | undefined;
  let exitedPromise: Promise<string> = Promise.resolve('never started');

  const isRunning = () => !!child && child.exitCode === null && child.signalCode === null;

  const readiness = async () => {
    try {
      const res = await fetch(`${baseUrl}/health/ready`, {
        signal: AbortSignal.timeout(5_000),
      });
      const text = await res.text();
      return {
        status: res.status,
        body: text ? (JSON.parse(text) as unknown) : undefined,
      };
    } catch {
      return { status: 0, body: undefined };
    }
  };

  const service: ServiceProcess = {
    name,
    port,
    baseUrl,
    logs,
    running: isRunning,
    exited: () => exitedPromise,
    readiness,
    async start({ ready = true } = {}) {
      if (isRunning()) throw new Error(`${name} is already running`);
      const current = spawn(process.execPath, [bundle], {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH ?? '',
          HOST: '127.0.0.1',
          LOG_LEVEL: 'info',
          SHUTDOWN_GRACE_MS: '2000',
          ...env,
          PORT: String(port),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child = current;
      exitedPromise = once(current, 'exit').then(([code, signal]) => String(signal ?? code));
      // If this Jest worker dies without its afterAll, the child must not outlive it.
      const killOnExit = () => current.kill('SIGKILL');
      process.once('exit', killOnExit);
      void exitedPromise.then(() => process.removeListener('exit', killOnExit));
      let announce: () => void = () => undefined;
      const listening = new Promise<void>((resolveListening) => (announce = resolveListening));
      for (const stream of ['stdout', 'stderr'] as const) {
        // Read for the process's whole life: a full pipe would block its logging.
        createInterface({ input: current[stream] as NodeJS.ReadableStream }).on('line', (text) => {
          logs.push({ at: Date.now(), service: name, stream, text });
          if (text.includes('Server listening at')) announce();
        });
      }
      const deadline = Date.now() + START_TIMEOUT_MS;
      const outcome = await Promise.race([
        listening,
        exitedPromise.then((how) => new Error(`exited (${how}) before listening`)),
        delay(START_TIMEOUT_MS, undefined, { ref: false }).then(() => new Error(`did not listen within ${START_TIMEOUT_MS / 1000} s`)),
      ]);
      const fail = async (error: Error) => {
        await service.stop('SIGKILL');
        const tail = logs
          .filter((line) => line.service === name)
          .slice(-40)
          .map((line) => line.text);
        throw new Error(`${name} ${error.message}\n${tail.join('\n')}`);
      };
      if (outcome instanceof Error) return fail(outcome);
      if (!ready) return;
      for (;;) {
        if (!isRunning()) return fail(new Error(`exited (${await exitedPromise}) before it was ready`));
        if ((await readiness()).status === 200) return;
        if (Date.now() > deadline) return fail(new Error(`was not ready within ${START_TIMEOUT_MS / 1000} s`));
        await delay(100);
      }
    },
    async stop(signal = 'SIGTERM', graceMs = 10_000) {
      const current = child;
      if (!current || !isRunning()) return exitedPromise;
      current.kill(signal);
      const done = await Promise.race([
        exitedPromise.then(() => true),
        delay(signal === 'SIGKILL' ? KILL_TIMEOUT_MS : graceMs, false, {
          ref: false,
        }),
      ]);
      if (!done) current.kill('SIGKILL');
      return Promise.race([exitedPromise, delay(KILL_TIMEOUT_MS, 'did not exit', { ref: false })]);
    },
  };
  return service;
}
