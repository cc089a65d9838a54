/**
 * test/running-bundle.ts of a generated client library: the deployable app (its esbuild bundle,
 * as production runs it) started as a child process on a free port. Client tests talk to it over
 * real HTTP without importing the app: a client library may not depend on an app (module
 * boundaries), and the bundle is what callers meet in production anyway.
 */
export const runningBundleFile = `import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';

const START_TIMEOUT_MS = 20_000;

export interface RunningService {
  baseUrl: string;
  stop(): Promise<void>;
}

/**
 * Starts dist/apps/<name>/main.js with \`env\` (plus HOST, PORT=0, LOG_LEVEL) and resolves once it
 * listens. The test target depends on the app's build, so the bundle is fresh.
 */
export async function startBundle(name: string, env: Record<string, string>): Promise<RunningService> {
  const bundle = resolve(__dirname, '../../../../dist/apps', name, 'main.js');
  if (!existsSync(bundle)) throw new Error(bundle + ' is missing: run nx run @bartholomew/' + name + ':build first');
  const child = spawn(process.execPath, [bundle], {
    env: { PATH: process.env.PATH, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', SHUTDOWN_GRACE_MS: '2000', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  try {
    const baseUrl = await listeningAddress(name, child, () => stderr);
    return { baseUrl, stop: () => stop(child) };
  } catch (error) {
    await stop(child);
    throw error;
  }
}

/** Resolves with the address from pino's "Server listening at ..." line. */
function listeningAddress(name: string, child: ChildProcess, stderr: () => string): Promise<string> {
  const stdout = child.stdout;
  if (!stdout) return Promise.reject(new Error(name + ' was started without a stdout pipe'));
  return new Promise((resolveAddress, reject) => {
    const timer = setTimeout(() => reject(new Error(name + ' did not start within ' + START_TIMEOUT_MS + ' ms\\n' + stderr())), START_TIMEOUT_MS);
    // After a successful start this rejects an already settled promise: harmless.
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(name + ' exited with ' + code + ' during start\\n' + stderr()));
    });
    createInterface({ input: stdout }).on('line', (line) => {
      const address = /"msg":"Server listening at (http:\\/\\/127\\.0\\.0\\.1:\\d+)"/.exec(line);
      if (address) {
        clearTimeout(timer);
        resolveAddress(address[1]);
      }
    });
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  }
}
`;
