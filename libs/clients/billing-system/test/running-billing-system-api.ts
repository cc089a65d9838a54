import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';
import { createTestDatabase, type TestDatabase } from '@bartholomew/testing';

/**
 * The deployable billing System API — the esbuild bundle, as production runs it — started as a
 * child process on a free port over a fresh test database. Client tests talk to it over real HTTP
 * without importing the app: a client library may not depend on an app (module boundaries), and
 * the bundle is what callers meet in production anyway. The test target depends on the app's build.
 */
const BUNDLE = resolve(__dirname, '../../../../dist/apps/billing-system-api/main.js');
const START_TIMEOUT_MS = 20_000;

export const PROCESS_CALLER = { callerName: 'onboarding-process-api', secret: 'process-secret-for-client-tests' };

export interface RunningBillingSystemApi {
  baseUrl: string;
  /** The first log line that matches, waiting for it: the service logs after answering, through a pipe. */
  waitForLogRecord(matches: (record: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  stop(): Promise<void>;
}

export async function startBillingSystemApi(): Promise<RunningBillingSystemApi> {
  if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: run \`nx run @bartholomew/billing-system-api:build\` first`);
  const database = await createTestDatabase();
  const child = spawn(process.execPath, [BUNDLE], {
    env: {
      PATH: process.env.PATH,
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'info',
      DATABASE_URL: database.url,
      ACCEPTED_CALLERS: `${PROCESS_CALLER.callerName}:process:${PROCESS_CALLER.secret}`,
      PII_ENCRYPTION_KEY: Buffer.alloc(32, 5).toString('base64'),
      SHUTDOWN_GRACE_MS: '2000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const records: Array<Record<string, unknown>> = [];
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  try {
    const baseUrl = await listeningAddress(child, records, () => stderr);
    return {
      baseUrl,
      waitForLogRecord: async (matches, timeoutMs = 2_000) => {
        for (const deadline = Date.now() + timeoutMs; ; await delay(20)) {
          const found = records.find(matches);
          if (found) return found;
          if (Date.now() > deadline) throw new Error(`no matching log line within ${timeoutMs} ms`);
        }
      },
      stop: () => stop(child, database),
    };
  } catch (error) {
    await stop(child, database);
    throw error;
  }
}

/** Resolves with the address from pino's "Server listening at ..." line. */
function listeningAddress(child: ChildProcess, records: Array<Record<string, unknown>>, stderr: () => string): Promise<string> {
  const stdout = child.stdout;
  if (!stdout) return Promise.reject(new Error('billing-system-api was started without a stdout pipe'));
  return new Promise((resolveAddress, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`billing-system-api did not start within ${START_TIMEOUT_MS} ms\n${stderr()}`)),
      START_TIMEOUT_MS,
    );
    // After a successful start this rejects an already settled promise: harmless.
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`billing-system-api exited with ${code} during start\n${stderr()}`));
    });
    createInterface({ input: stdout }).on('line', (line) => {
      const record = parseJson(line);
      if (!record) return;
      records.push(record);
      const address = /^Server listening at (http:\/\/127\.0\.0\.1:\d+)$/.exec(String(record.msg));
      if (address) {
        clearTimeout(timer);
        resolveAddress(address[1]);
      }
    });
  });
}

function parseJson(line: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

async function stop(child: ChildProcess, database: TestDatabase): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  }
  await database.drop();
}
