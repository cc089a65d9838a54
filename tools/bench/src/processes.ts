/**
 * The measured processes: each a `node <bundle>` child on a loopback port chosen before it starts
 * (so all of them can start at once, each knowing the others' URLs), its stdout and stderr written
 * straight to a file — the bench reads no log pipe while it measures, and counts log lines from
 * the file afterwards.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, existsSync, openSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;

/** A free loopback port: bound, read, released. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((resolveClose) => server.close(resolveClose));
  return port;
}

export interface MeasuredProcess {
  name: string;
  port: number;
  baseUrl: string;
  logFile: string;
  pid(): number;
  running(): boolean;
  /** Spawns it (again); resolves at once — see `ready()`. */
  start(): void;
  /** Resolves when /health/ready answers 200; rejects when it exits first or takes longer than a minute. */
  ready(): Promise<void>;
  /** Lines written to stdout/stderr so far (all incarnations). */
  logLines(): number;
  /** SIGTERM, SIGKILL after 10 s. */
  stop(): Promise<void>;
}

export async function createProcess(options: {
  name: string;
  bundle: string;
  env: Record<string, string>;
  logDir: string;
}): Promise<MeasuredProcess> {
  if (!existsSync(options.bundle)) throw new Error(`${options.bundle} is missing: run \`npx nx run-many -t build\` first`);
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const logFile = join(options.logDir, `${options.name}.log`);
  let child: ChildProcess | undefined;
  let exited: Promise<unknown> = Promise.resolve();
  const running = () => !!child && child.exitCode === null && child.signalCode === null;
  const killOnExit = () => child?.kill('SIGKILL');

  const measured: MeasuredProcess = {
    name: options.name,
    port,
    baseUrl,
    logFile,
    pid: () => child?.pid ?? 0,
    running,
    start() {
      if (running()) throw new Error(`${options.name} is already running`);
      const log = openSync(logFile, 'a');
      try {
        child = spawn(process.execPath, [options.bundle], {
          env: {
            PATH: process.env.PATH ?? '',
            HOST: '127.0.0.1',
            ...options.env,
            PORT: String(port),
          },
          stdio: ['ignore', log, log],
        });
      } finally {
        closeSync(log);
      }
      exited = once(child, 'exit');
      process.once('exit', killOnExit);
    },
    async ready() {
      const deadline = Date.now() + START_TIMEOUT_MS;
      for (;;) {
        if (!running()) throw new Error(`${options.name} exited before it was ready; its log:\n${tail(logFile)}`);
        const ok = await fetch(`${baseUrl}/health/ready`, {
          signal: AbortSignal.timeout(2_000),
        }).then(
          (res) => res.ok,
          () => false,
        );
        if (ok) return;
        if (Date.now() > deadline) throw new Error(`${options.name} was not ready within a minute; its log:\n${tail(logFile)}`);
        await delay(20);
      }
    },
    logLines() {
      if (!existsSync(logFile)) return 0;
      const text = readFileSync(logFile);
      let lines = 0;
      for (const byte of text) if (byte === 10) lines += 1;
      return lines;
    },
    async stop() {
      if (!child || !running()) return;
      child.kill('SIGCONT'); // a frozen process cannot handle SIGTERM
      child.kill('SIGTERM');
      const stopped = await Promise.race([exited.then(() => true), delay(STOP_TIMEOUT_MS, false, { ref: false })]);
      if (!stopped) {
        child.kill('SIGKILL');
        await exited;
      }
      process.removeListener('exit', killOnExit);
    },
  };
  return measured;
}

function tail(file: string): string {
  if (!existsSync(file) || statSync(file).size === 0) return '(empty)';
  return readFileSync(file, 'utf8').split('\n').slice(-30).join('\n');
}
