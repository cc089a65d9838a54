/**
 * Keeps the services of `npm start` running. Starts them a layer at a time (the services of one
 * layer in parallel, each layer once the one below is ready), notices a service that dies after
 * start-up, says so and restarts it with capped exponential backoff; `stop()` ends restarts first,
 * then stops every service gracefully (SIGTERM) and waits for each to exit.
 * Plain Node (tools/start-stack.mjs is not compiled); tested by tools/stack-checks.
 */

/** Backoff of restarts: doubles from `initialMs` up to `maxMs`; a service that stayed up `resetAfterMs` starts over. */
export const DEFAULT_BACKOFF = {
  initialMs: 1_000,
  maxMs: 30_000,
  resetAfterMs: 60_000,
};

/** Runs `start` for each service, the services of a layer in parallel, layer after layer in the given order. */
export async function startByLayer(services, start) {
  const layers = [];
  for (const service of services) {
    const last = layers.at(-1);
    if (last && last[0].layer === service.layer) last.push(service);
    else layers.push([service]);
  }
  for (const layer of layers) {
    const results = await Promise.allSettled(layer.map((service) => start(service)));
    const failed = results.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
  }
}

export class Supervisor {
  /**
   * @param {object} options
   * @param {(service) => import('node:child_process').ChildProcess} options.spawnService starts one process of a service
   * @param {(service, child) => Promise<void>} options.waitUntilReady resolves when it answers ready, rejects if it exits first
   * @param {(message: string) => void} options.log
   * @param {typeof DEFAULT_BACKOFF} [options.backoff]
   * @param {(fn: () => void, ms: number) => unknown} [options.setTimer] test seam (default setTimeout)
   * @param {(handle: unknown) => void} [options.clearTimer]
   * @param {() => number} [options.now]
   */
  constructor({ spawnService, waitUntilReady, log, backoff = DEFAULT_BACKOFF, setTimer = setTimeout, clearTimer = clearTimeout, now = Date.now }) {
    Object.assign(this, {
      spawnService,
      waitUntilReady,
      log,
      backoff,
      setTimer,
      clearTimer,
      now,
    });
    /** name -> { service, child, startedAt, restarts, timer } */
    this.running = new Map();
    this.stopping = false;
  }

  /** Starts a service and waits until it is ready; from then on it is restarted whenever it dies. */
  async start(service) {
    const entry = {
      service,
      child: undefined,
      startedAt: 0,
      restarts: 0,
      timer: undefined,
    };
    this.running.set(service.name, entry);
    this.#launch(entry);
    await this.waitUntilReady(service, entry.child);
  }

  #launch(entry) {
    const child = this.spawnService(entry.service);
    entry.child = child;
    entry.startedAt = this.now();
    child.once('exit', (code, signal) => this.#exited(entry, child, code, signal));
  }

  #exited(entry, child, code, signal) {
    if (this.stopping || entry.child !== child) return;
    const { service } = entry;
    if (this.now() - entry.startedAt >= this.backoff.resetAfterMs) entry.restarts = 0;
    const delay = Math.min(this.backoff.initialMs * 2 ** entry.restarts, this.backoff.maxMs);
    entry.restarts += 1;
    const how = signal ? `signal ${signal}` : `code ${code}`;
    this.log(`${service.name} died (${how}); restarting in ${formatDelay(delay)} (restart ${entry.restarts})`);
    entry.timer = this.setTimer(() => {
      entry.timer = undefined;
      if (this.stopping) return;
      this.#launch(entry);
      this.waitUntilReady(service, entry.child).then(
        () => this.log(`${service.name} ready again`),
        (error) => this.log(`${service.name} did not come back: ${error.message}`), // its exit schedules the next try
      );
    }, delay);
  }

  /** No more restarts; SIGTERM to every running service, resolved once all have exited. */
  async stop() {
    this.stopping = true;
    const exits = [];
    for (const entry of this.running.values()) {
      if (entry.timer !== undefined) this.clearTimer(entry.timer);
      const { child } = entry;
      if (!child || child.exitCode !== null || child.signalCode !== null) continue;
      exits.push(new Promise((resolveExit) => child.once('exit', resolveExit)));
      child.kill('SIGTERM');
    }
    await Promise.all(exits);
  }
}

const formatDelay = (ms) => (ms >= 1_000 ? `${ms / 1_000} s` : `${ms} ms`);
