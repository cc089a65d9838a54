import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { EndUserAuthConfigSchema, loadConfig, platform, ServiceConfigSchema } from '@bartholomew/platform';
import {
  READINESS_PATH,
  SERVICES,
  buildArgsOf,
  devKeysDataDir,
  devTokenScript,
  dockerfilePath,
  healthcheckUrl,
  loadAppConfigSchema,
  loadCompose,
  parseDockerfile,
  portsOf,
  schemaDefault,
  stageEnv,
  workspaceApps,
  workspaceRoot,
} from './workspace';

const compose = loadCompose();
const apps = workspaceApps().filter((app) => SERVICES.some((s) => s.name === app.name));

/** What the image sets (ENV of its runtime stage, built for this service), which compose's environment adds to. */
function imageEnv(service: string): Record<string, string> {
  const definition = SERVICES.find((s) => s.name === service);
  if (!definition) throw new Error(`${service} is not in services.json`);
  const dockerfile = parseDockerfile(readFileSync(dockerfilePath, 'utf8'), buildArgsOf(definition));
  return stageEnv(dockerfile.stages[dockerfile.stages.length - 1]);
}

/** Read by Node or libraries, not by the service's config. */
const RUNTIME_VARIABLES = new Set(['NODE_ENV', 'NODE_OPTIONS']);

describe.each(SERVICES.map((s) => [s.name, s] as const))('compose service %s', (name, definition) => {
  const service = compose.services[name];
  const { port } = definition;

  it(`probes ${READINESS_PATH} on its own port ${port}`, () => {
    expect(service.healthcheck?.disable).not.toBe(true);
    expect(healthcheckUrl(service.healthcheck?.test)?.toString()).toBe(`http://127.0.0.1:${port}${READINESS_PATH}`);
  });

  it(`exposes (or publishes) container port ${portsOf(definition).join(' and ')} and no other`, () => {
    const ports = new Set([...service.expose, ...service.ports.map((p) => p.target)]);
    expect([...ports].sort()).toEqual(portsOf(definition).sort());
  });

  it('takes nothing from the host environment without a value in the file: every variable has its (dev) value or default', () => {
    expect(service.passThrough).toEqual([]);
  });
});

describe.each(apps.map((app) => [app.name, app] as const))('%s: compose environment against its config schema', (name, app) => {
  const service = compose.services[name];
  const port = SERVICES.find((s) => s.name === name)?.port;

  it(`defaults PORT to ${port}, the port compose and its image use`, async () => {
    const { schema } = await loadAppConfigSchema(app);
    expect(schemaDefault(schema, 'PORT')).toBe(port);
  });

  it('sets only variables its config schema knows (compose and the image)', async () => {
    const { exportName, schema } = await loadAppConfigSchema(app);
    const known = new Set(Object.keys(schema.properties));
    const unknown = [...Object.keys(service.environment), ...Object.keys(imageEnv(name))].filter(
      (key) => !known.has(key) && !RUNTIME_VARIABLES.has(key),
    );
    if (unknown.length > 0) throw new Error(`not in ${exportName} (apps/${name}/src/config.ts): ${unknown.join(', ')}`);
    expect(unknown).toEqual([]);
  });

  it("lets the host choose only among its config's own values (`KEY: ${KEY:-default}`), defaulting to its config's default", async () => {
    const { schema } = await loadAppConfigSchema(app);
    for (const [variable, choice] of Object.entries(service.hostChoices)) {
      expect(choice).toEqual({ hostVariable: variable, default: String(schemaDefault(schema, variable)) });
      // A choice among named values (e.g. CORE_BANKING_BACKEND: postgres | mainframe): the config loads with each.
      const values = ((schema.properties[variable] as { anyOf?: Array<{ const?: unknown }> }).anyOf ?? []).map((option) => option.const);
      expect(values.length).toBeGreaterThan(1);
      for (const value of values) {
        const config = loadConfig(schema, { ...imageEnv(name), ...service.environment, [variable]: String(value) }) as Record<string, unknown>;
        expect(config[variable]).toBe(value);
      }
    }
  });

  it('starts with that environment: the config loads, with the values compose gives', async () => {
    const { schema } = await loadAppConfigSchema(app);
    const env = { ...imageEnv(name), ...service.environment };
    const config = loadConfig(schema, env) as Record<string, unknown>; // throws naming any bad variable
    expect(config['HOST']).toBe('0.0.0.0');
    expect(config['PORT']).toBe(port);
    expect(config['DATABASE_URL']).toBe(service.environment['DATABASE_URL']);
    const protocolPort = SERVICES.find((s) => s.name === name)?.protocolPort;
    if (protocolPort) expect(config[protocolPort.variable]).toBe(protocolPort.port); // the port compose exposes
  });
});

describe(`the platform serves ${READINESS_PATH}, the route compose and the images probe`, () => {
  it('answers 200 on a service without a database, like every app built on libs/platform', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'stack-checks-'));
    const config = loadConfig(ServiceConfigSchema, {
      PORT: '0',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      PII_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
    });
    const app = Fastify({ logger: false });
    try {
      await app.register(platform, {
        service: {
          name: 'probe-check',
          title: 'probe',
          version: '0.0.0',
          description: 'stack-checks',
        },
        config,
      });
      const ready = await app.inject({ url: READINESS_PATH });
      expect(ready.statusCode).toBe(200);
      expect(ready.json()).toMatchObject({ status: 'ok' });
    } finally {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('end users: a token from the dev token command passes the Experience APIs as compose configures them', () => {
  const experience = SERVICES.filter((s) => s.layer === 'experience');

  /** `node tools/dev-token.mjs --sub <sub>` with the key of `dataDir` (deploy/dev-keys: the one compose trusts). */
  function devToken(sub: string, dataDir: string): string {
    if (!existsSync(devTokenScript)) throw new Error(`${devTokenScript} is missing (issue 5: the dev token command)`);
    const run = spawnSync(process.execPath, [devTokenScript, '--sub', sub], {
      cwd: workspaceRoot,
      encoding: 'utf8',
      env: { ...process.env, DATA_DIR: dataDir },
    });
    if (run.status !== 0) throw new Error(`dev-token failed: ${run.stderr}`);
    return run.stdout.trim();
  }

  let otherKeyDir: string;
  beforeAll(() => {
    otherKeyDir = mkdtempSync(join(tmpdir(), 'stack-checks-other-key-'));
  });
  afterAll(() => rmSync(otherKeyDir, { recursive: true, force: true }));

  it.each(experience.map((s) => [s.name] as const))('%s: the committed dev key signs in, another key does not', async (name) => {
    const env = compose.services[name].environment;
    const endUsers = loadConfig(EndUserAuthConfigSchema, env);
    const dataDir = mkdtempSync(join(tmpdir(), 'stack-checks-'));
    const config = loadConfig(ServiceConfigSchema, {
      PORT: '0',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      PII_ENCRYPTION_KEY: env['PII_ENCRYPTION_KEY'],
    });
    const app = Fastify({ logger: false });
    try {
      await app.register(platform, {
        service: {
          name,
          title: name,
          version: '0.0.0',
          description: 'stack-checks',
        },
        config,
        endUsers,
      });
      app.get('/v1/whoami', async (request) => ({
        subject: request.endUser.subject,
      }));
      const ask = (token: string) =>
        app.inject({
          url: '/v1/whoami',
          headers: { authorization: `Bearer ${token}` },
        });

      const accepted = await ask(devToken('alice', devKeysDataDir));
      expect(accepted.statusCode).toBe(200);
      expect(accepted.json()).toEqual({ subject: 'alice' });
      expect((await ask(devToken('mallory', otherKeyDir))).statusCode).toBe(401);
    } finally {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('the dev token command uses the committed key as it is (no new key written over it)', () => {
    const files = ['dev-jwt/private.jwk.json', 'dev-jwt/jwks.json'].map((file) => join(devKeysDataDir, file));
    const before = files.map((file) => readFileSync(file, 'utf8'));
    devToken('alice', devKeysDataDir);
    expect(files.map((file) => readFileSync(file, 'utf8'))).toEqual(before);
  });
});

describe('core banking in compose: the account System API on either backend', () => {
  it('only CORE_BANKING_BACKEND of the account System API comes from the host, postgres unless set', () => {
    const choices = Object.fromEntries(
      Object.values(compose.services)
        .filter((service) => Object.keys(service.hostChoices).length > 0)
        .map((service) => [service.name, service.hostChoices]),
    );
    expect(choices).toEqual({ 'account-system-api': { CORE_BANKING_BACKEND: { hostVariable: 'CORE_BANKING_BACKEND', default: 'postgres' } } });
  });
});
