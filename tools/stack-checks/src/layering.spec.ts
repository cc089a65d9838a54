import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  INFRASTRUCTURE,
  INFRASTRUCTURE_VARIABLE,
  LAYER_RANK,
  MAILPIT,
  POSTGRES,
  PUBLISHABLE_INFRA_PORTS,
  SERVICES,
  acceptsEndUsers,
  apiCallsOf,
  backendCallsOf,
  credentialCallers,
  databaseNameOf,
  devJwtKeyPath,
  initSql,
  isBackend,
  loadCompose,
  manifestService,
  type Layer,
} from './workspace';

/**
 * ARCHITECTURE.md: calls go down exactly one layer, experience -> process -> system -> backend,
 * enforced at build time by module boundaries and at run time by service credentials. services.json
 * declares who calls whom; in compose the same shows in depends_on, in the downstream URLs, in the
 * networks and credentials, and each must agree with the manifest.
 */
const compose = loadCompose();
const services = SERVICES.map((s) => ({
  ...s,
  compose: compose.services[s.name],
}));
const layerOf = (name: string): Layer | undefined => manifestService(name)?.layer;
const rank = (name: string) => LAYER_RANK[layerOf(name) as Layer];
/** A backend of services.json (not an API): reached in its own protocol, with no service credentials. */
const isBackendName = (name: string) => layerOf(name) === 'backend';

/** Downstream APIs named in a service's environment: `http://<compose service>:<port>` values. */
function downstreamUrls(env: Record<string, string>): Array<{ variable: string; host: string; port: number }> {
  return Object.entries(env)
    .filter(([, value]) => /^https?:\/\//.test(value))
    .map(([variable, value]) => ({ variable, url: new URL(value) }))
    .filter(({ url }) => manifestService(url.hostname))
    .map(({ variable, url }) => ({
      variable,
      host: url.hostname,
      port: Number(url.port),
    }));
}

describe('depends_on follows the layering (experience -> process -> system -> postgres)', () => {
  it.each(Object.keys(compose.services))('%s waits for each dependency to be healthy, and every service has a healthcheck', (name) => {
    const service = compose.services[name];
    for (const [dependency, { condition }] of Object.entries(service.dependsOn)) {
      expect([dependency, condition]).toEqual([dependency, 'service_healthy']);
      expect(compose.services[dependency]?.healthcheck?.test).toBeDefined();
    }
    expect(service.healthcheck?.test).toBeDefined();
  });

  it.each(services.map((s) => [s.name, s] as const))('%s depends on exactly the APIs services.json says it calls, each one layer down', (name, s) => {
    const apiDependencies = Object.keys(compose.services[name].dependsOn).filter((dep) => manifestService(dep));
    for (const dependency of apiDependencies)
      expect(`${dependency}: ${rank(name) - rank(dependency)} layer(s) down`).toBe(`${dependency}: 1 layer(s) down`);
    expect(apiDependencies.sort()).toEqual(s.calls.map((call) => call.service).sort());
  });

  it('infrastructure (PostgreSQL, Mailpit, Redis) depends on nothing', () => {
    for (const name of INFRASTRUCTURE.filter((n) => compose.services[n]))
      expect(`${name}: ${JSON.stringify(compose.services[name].dependsOn)}`).toBe(`${name}: {}`);
  });

  it.each(services.map((s) => [s.name, s] as const))(
    '%s waits for postgres iff it has a DATABASE_URL, for mailpit iff it sends mail, for redis iff it has a REDIS_URL',
    (name, s) => {
      const env = s.compose.environment;
      for (const [infrastructure, variable] of Object.entries(INFRASTRUCTURE_VARIABLE)) {
        expect(`${infrastructure}: ${infrastructure in s.compose.dependsOn}`).toBe(`${infrastructure}: ${variable in env}`);
      }
    },
  );

  it.each(services.map((s) => [s.name, s] as const))('%s has a DATABASE_URL iff services.json says it owns a database', (name, s) => {
    expect(`DATABASE_URL: ${'DATABASE_URL' in s.compose.environment}`).toBe(`DATABASE_URL: ${s.database}`);
  });

  it.each(services.map((s) => [s.name, s] as const))(
    '%s carries the URL of each downstream in the variable services.json names, and no other API URL',
    (name, s) => {
      const urls = downstreamUrls(s.compose.environment).map(({ variable, host }) => ({ service: host, urlVariable: variable }));
      expect(urls.sort((a, b) => a.service.localeCompare(b.service))).toEqual(apiCallsOf(s).sort((a, b) => a.service.localeCompare(b.service)));
    },
  );

  it.each(services.map((s) => [s.name, s] as const))(
    '%s carries the host and protocol port of each backend it calls in the variables services.json names, and waits for it',
    (name, s) => {
      for (const call of backendCallsOf(s)) {
        const backend = manifestService(call.service);
        expect({ host: s.compose.environment[call.hostVariable], port: s.compose.environment[call.portVariable] }).toEqual({
          host: call.service,
          port: String(backend?.protocolPort?.port),
        });
        expect(Object.keys(s.compose.dependsOn)).toContain(call.service);
      }
      // Nothing else points at a backend: no other variable names one as its host.
      const backendHosts = Object.entries(s.compose.environment).filter(([, value]) => isBackendName(value));
      expect(backendHosts.map(([variable]) => variable).sort()).toEqual(
        backendCallsOf(s)
          .map((call) => call.hostVariable)
          .sort(),
      );
    },
  );

  it.each(services.map((s) => [s.name, s] as const))(
    '%s: each downstream URL names an API one layer down, on its port, and waited for',
    (name, s) => {
      for (const { variable, host, port } of downstreamUrls(s.compose.environment)) {
        expect(`${variable} -> ${host}: ${rank(name) - rank(host)} layer(s) down`).toBe(`${variable} -> ${host}: 1 layer(s) down`);
        expect(`${variable} port ${port}`).toBe(`${variable} port ${manifestService(host)?.port}`);
        expect(Object.keys(s.compose.dependsOn)).toContain(host);
      }
    },
  );
});

describe('networks repeat the layering: only neighbouring layers can reach each other', () => {
  const networksOf = (name: string) => new Set(compose.services[name].networks);
  const share = (a: string, b: string) => [...networksOf(a)].some((network) => networksOf(b).has(network));

  it('every network a service joins is declared', () => {
    for (const service of Object.values(compose.services)) {
      for (const network of service.networks) expect(Object.keys(compose.networks)).toContain(network);
    }
  });

  it.each(services.map((s) => [s.name] as const))('%s shares no network with an API two layers away', (name) => {
    for (const other of services) {
      if (Math.abs(rank(name) - rank(other.name)) >= 2)
        expect(`${name} <-> ${other.name}: ${share(name, other.name)}`).toBe(`${name} <-> ${other.name}: false`);
    }
  });

  it.each(services.filter((s) => isBackend(s)).map((s) => [s.name, s] as const))(
    '%s, a backend, shares a network only with the System APIs that call it and with infrastructure',
    (name) => {
      const neighbours = Object.keys(compose.services).filter((other) => other !== name && share(name, other));
      const callers = services.filter((s) => backendCallsOf(s).some((call) => call.service === name)).map((s) => s.name);
      expect(neighbours.filter((other) => !INFRASTRUCTURE.includes(other)).sort()).toEqual(callers.sort());
    },
  );

  it.each(Object.keys(compose.services))('%s can reach every service it depends on', (name) => {
    for (const dependency of Object.keys(compose.services[name].dependsOn))
      expect(`${name} -> ${dependency}: ${share(name, dependency)}`).toBe(`${name} -> ${dependency}: true`);
  });

  it('the networks of the Process and System tiers and of the infrastructure are internal (no way out)', () => {
    const systemNetworks = new Set(services.filter((s) => s.layer !== 'experience').flatMap((s) => s.compose.networks));
    const infrastructureNetworks = INFRASTRUCTURE.filter((name) => name !== MAILPIT && compose.services[name]).flatMap(
      (name) => compose.services[name].networks,
    );
    // Mailpit's network is the exception: its inbox is published, which an internal network cannot do.
    const mailNetworks = new Set(compose.services[MAILPIT].networks);
    for (const network of [...systemNetworks, ...infrastructureNetworks].filter((n) => !mailNetworks.has(n))) {
      expect(`${network} internal: ${compose.networks[network]?.internal === true}`).toBe(`${network} internal: true`);
    }
  });
});

describe('published to the host: only the Experience APIs (with their docs) and the Mailpit inbox', () => {
  it.each(Object.keys(compose.services))('%s', (name) => {
    const { ports } = compose.services[name];
    const experience = layerOf(name) === 'experience';
    const allowed = experience ? [manifestService(name)?.port] : (PUBLISHABLE_INFRA_PORTS[name] ?? []);
    for (const port of ports) {
      expect(allowed).toContain(port.target);
      expect(port.published).toBe(port.target); // the documented URL is the app's own port
      expect(port.hostIp).toBe('127.0.0.1'); // a developer's laptop does not serve its network
    }
    if (experience) expect(ports).toHaveLength(1);
  });
});

describe('service credentials: each caller is known to the API it calls, with the right layer', () => {
  const accepted = (name: string) =>
    (compose.services[name].environment['ACCEPTED_CALLERS'] ?? '')
      .split(',')
      .filter(Boolean)
      .map((entry) => {
        const [caller, layer, secret] = entry.split(':');
        return { caller, layer, secret };
      });

  it.each(services.map((s) => [s.name, s] as const))('%s presents a secret its downstreams accept, as its own layer', (name, s) => {
    // The APIs it depends on; a backend takes no service credentials (its clients sign on in its protocol).
    const downstreams = Object.keys(s.compose.dependsOn).filter((dep) => manifestService(dep) && !isBackendName(dep));
    const secret = s.compose.environment['SERVICE_CREDENTIAL_SECRET'];
    if (downstreams.length === 0) {
      expect(secret).toBeUndefined(); // System APIs call no API
      return;
    }
    expect(secret).toBeDefined();
    for (const downstream of downstreams)
      expect(accepted(downstream)).toContainEqual({
        caller: name,
        layer: s.layer,
        secret,
      });
  });

  it.each(services.map((s) => [s.name, s] as const))(
    '%s accepts only existing callers of a layer services.json lets in, each one that calls it',
    (name, s) => {
      const callers = accepted(name);
      for (const { caller, layer } of callers) {
        expect(`${caller} is ${layerOf(caller)}`).toBe(`${caller} is ${layer}`);
        expect(credentialCallers(s)).toContain(layer);
        expect(rank(caller) - rank(name)).toBe(1);
        expect(Object.keys(compose.services[caller].dependsOn)).toContain(name);
      }
      const callingServices = services.filter((other) => apiCallsOf(other).some((call) => call.service === name)).map((other) => other.name);
      expect(callers.map((c) => c.caller).sort()).toEqual(callingServices.sort());
      if (!credentialCallers(s).some((caller) => caller !== 'operator')) expect(callers).toEqual([]); // end users, with JWTs
    },
  );

  it.each(services.map((s) => [s.name, s] as const))('%s verifies end-user tokens iff services.json says it accepts end users', (name, s) => {
    const jwt = ['JWT_ISSUER', 'JWT_AUDIENCE', 'JWT_PUBLIC_KEYS'].filter((variable) => variable in s.compose.environment);
    expect(jwt).toEqual(acceptsEndUsers(s) ? ['JWT_ISSUER', 'JWT_AUDIENCE', 'JWT_PUBLIC_KEYS'] : []);
  });

  it('no two services share a credential secret or a PII key', () => {
    for (const variable of ['SERVICE_CREDENTIAL_SECRET', 'PII_ENCRYPTION_KEY']) {
      const values = services.map((s) => s.compose.environment[variable]).filter(Boolean);
      expect(new Set(values).size).toBe(values.length);
    }
  });

  it('every secret in the file is marked as a development value', () => {
    for (const s of services) {
      expect(s.compose.environment['SERVICE_CREDENTIAL_SECRET'] ?? 'dev-only-').toMatch(/^dev-only-/);
      for (const { secret } of accepted(s.name)) expect(secret).toMatch(/^dev-only-/);
      if (s.database) expect(s.compose.environment['DATABASE_URL']).toMatch(/:dev-only-[^@]+@/);
    }
    expect(readFileSync(join(dirname(dirname(devJwtKeyPath)), 'README.md'), 'utf8')).toMatch(/never trust them anywhere real/);
  });
});

describe('a database per service that owns one (services.json), created by deploy/postgres/init-databases.sql', () => {
  const { roles, databases } = initSql();
  const owners = services.filter((s) => s.database);

  it.each(owners.map((s) => [s.name, s] as const))('%s connects to its own database as its own role', (name, s) => {
    const url = new URL(s.compose.environment['DATABASE_URL']);
    const database = databaseNameOf(name);
    expect(url.hostname).toBe(POSTGRES);
    expect(url.port).toBe('5432');
    expect(url.pathname).toBe(`/${database}`);
    expect(url.username).toBe(database);
    expect(databases[database]).toBe(database); // owned by its role
    expect(decodeURIComponent(url.password)).toBe(roles[database]);
  });

  it('creates nothing else', () => {
    expect(Object.keys(databases).sort()).toEqual(owners.map((s) => databaseNameOf(s.name)).sort());
    expect(Object.keys(roles).sort()).toEqual(Object.keys(databases).sort());
  });
});

describe('end-user JWTs on the Experience APIs', () => {
  const experience = services.filter((s) => acceptsEndUsers(s));
  const devKey = JSON.parse(readFileSync(devJwtKeyPath, 'utf8')) as Record<string, string>;

  it.each(experience.map((s) => [s.name, s] as const))('%s trusts only the public half of the committed dev key, ES256 pinned', (name, s) => {
    const env = s.compose.environment;
    expect(env['JWT_ALGORITHMS']).toBe('ES256');
    const jwks = JSON.parse(env['JWT_PUBLIC_KEYS']) as {
      keys: Array<Record<string, string>>;
    };
    expect(jwks.keys).toHaveLength(1);
    const [key] = jwks.keys;
    expect(key).not.toHaveProperty('d'); // never a private key in a verifier's config
    expect(key).toMatchObject({
      kid: devKey['kid'],
      alg: 'ES256',
      use: 'sig',
    });
    const fromPrivate = createPublicKey(
      createPrivateKey({
        key: {
          kty: devKey['kty'],
          crv: devKey['crv'],
          x: devKey['x'],
          y: devKey['y'],
          d: devKey['d'],
        },
        format: 'jwk',
      }),
    );
    expect(
      createPublicKey({
        key: { kty: key['kty'], crv: key['crv'], x: key['x'], y: key['y'] },
        format: 'jwk',
      }).export({ format: 'jwk' }),
    ).toEqual(fromPrivate.export({ format: 'jwk' }));
  });

  it('each Experience API has its own audience, under one issuer', () => {
    const audiences = experience.map((s) => s.compose.environment['JWT_AUDIENCE']);
    expect(audiences).toEqual(experience.map((s) => s.name));
    expect(new Set(experience.map((s) => s.compose.environment['JWT_ISSUER'])).size).toBe(1);
  });
});
