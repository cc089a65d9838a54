/** The orchestrator's handle on the load process (load-driver.js, forked from the bundle folder). */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import type {
  ClosedLoopJob,
  ClosedLoopResult,
  FixedRateJob,
  FixedRateResult,
  LoadJob,
  LoadReply,
  LoadResult,
  OnboardingJob,
  OnboardingResult,
} from './protocol';

export interface LoadProcess {
  pid: number;
  closedLoop(job: Omit<ClosedLoopJob, 'kind'>): Promise<ClosedLoopResult>;
  fixedRate(job: Omit<FixedRateJob, 'kind'>): Promise<FixedRateResult>;
  onboard(job: Omit<OnboardingJob, 'kind'>): Promise<OnboardingResult>;
  close(): Promise<void>;
}

export function startLoadProcess(bundleDir: string): LoadProcess {
  const child: ChildProcess = fork(join(bundleDir, 'load-driver.js'), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiting = new Map<number, { resolve: (result: LoadResult) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  child.on('message', (reply: LoadReply) => {
    const pending = waiting.get(reply.id);
    waiting.delete(reply.id);
    if ('error' in reply) pending?.reject(new Error(`load process: ${reply.error}`));
    else pending?.resolve(reply.result);
  });
  child.on('exit', (code, signal) => {
    for (const pending of waiting.values()) pending.reject(new Error(`the load process exited (${signal ?? code})`));
    waiting.clear();
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const send = <R extends LoadResult>(job: LoadJob) =>
    new Promise<R>((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, {
        resolve: resolve as (result: LoadResult) => void,
        reject,
      });
      child.send({ id, job });
    });

  return {
    pid: child.pid ?? 0,
    closedLoop: (job) => send<ClosedLoopResult>({ kind: 'closed', ...job }),
    fixedRate: (job) => send<FixedRateResult>({ kind: 'rate', ...job }),
    onboard: (job) => send<OnboardingResult>({ kind: 'onboard', ...job }),
    async close() {
      process.removeListener('exit', killOnExit);
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.disconnect();
      await exited;
    },
  };
}
