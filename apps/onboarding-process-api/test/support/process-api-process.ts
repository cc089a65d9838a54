/**
 * The deployable Process API — the esbuild bundle, as production runs it — as a child process,
 * so a test can SIGKILL it. The `test` target depends on `build`, so the bundle is current.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';

const BUNDLE = resolve(__dirname, '../../../../dist/apps/onboarding-process-api/main.js');

export interface ProcessApiProcess {
  baseUrl: string;
  child: ChildProcess;
  /** Every log line the process wrote (JSON, one per line). */
  lines: string[];
  /** Resolves with the signal or exit code when the process ends. */
  exited: Promise<string>;
  stop(): Promise<void>;
}

export async function spawnProcessApi(env: Record<string, string>): Promise<ProcessApiProcess> {
  if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: run \`nx run @bartholomew/onboarding-process-api:build\` first`);
  const child = spawn(process.execPath, [BUNDLE], { env: { PATH: process.env.PATH ?? '', ...env, PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const exited = once(child, 'exit').then(([code, signal]) => String(signal ?? code));
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const baseUrl = await new Promise<string>((resolvePort, reject) => {
    const timer = setTimeout(() => reject(new Error(`the Process API did not start: ${stderr}`)), 20_000);
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      lines.push(line);
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
      if (match) {
        clearTimeout(timer);
        resolvePort(match[1]);
      }
    });
    void exited.then((how) => {
      clearTimeout(timer);
      reject(new Error(`the Process API exited (${how}) before listening: ${stderr}`));
    });
  });
  return {
    baseUrl,
    child,
    lines,
    exited,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
