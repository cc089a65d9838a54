import { CallerDirectory, loadConfig } from '@bartholomew/platform/server';
import {
  apiCallsOf,
  backendCallsOf,
  isBackend,
  LAYERS,
  loadServiceManifest,
  variablesOf,
  type ServiceDefinition,
  type ServiceManifest,
} from './manifest';
import { declaredCallers, stackWiring, withoutBackends, type ServiceSupplies } from './wiring';
import { loadAppConfigSchema, workspaceApps } from './workspace';

const manifest = loadServiceManifest();
const byName = new Map(manifest.services.map((service) => [service.name, service]));
const endUsers = { issuer: 'http://127.0.0.1/dev-issuer', publicKeys: '{"keys":[]}' };
/** What a stack would supply: a URL per service that says which one it is, and a database where one is owned. */
const supplies = (service: ServiceDefinition): ServiceSupplies => ({
  urlOf: (name) => `http://${name}.test:8080`,
  protocolAddressOf: (name) => ({ host: `${name}.test`, port: 9901 }),
  ...(service.database ? { databaseUrl: `postgres://postgres@127.0.0.1:5432/${service.name.replace(/-/g, '_')}` } : {}),
  endUsers,
});
const callerNames = (env: Record<string, string>) =>
  (env.ACCEPTED_CALLERS ?? '')
    .split(',')
    .filter(Boolean)
    .map((entry) => entry.split(':').slice(0, 2).join(':'));

describe('stackWiring on services.json', () => {
  const wiring = stackWiring(manifest);

  it('starts the services a layer at a time from the bottom, every declared service once', () => {
    expect(wiring.layers.map((layer) => [...new Set(layer.map((s) => s.layer))])).toEqual(
      LAYERS.filter((layer) => manifest.services.some((s) => s.layer === layer)).map((layer) => [layer]),
    );
    expect(wiring.layers.flat().map((s) => s.name)).toEqual(manifest.services.map((s) => s.name));
  });

  it.each(manifest.services.filter((s) => !isBackend(s)).map((s) => [s.name, s] as const))(
    '%s accepts exactly the services that declare a call to it, as their layer',
    (name, service) => {
      const env = wiring.environmentOf(service, supplies(service));
      const callers = manifest.services.filter((other) => other.calls.some((call) => call.service === name));
      expect(callerNames(env).sort()).toEqual(callers.map((caller) => `${caller.name}:${caller.layer}`).sort());
      expect(declaredCallers(manifest, service)).toEqual(callers);
    },
  );

  it.each(manifest.services.filter((s) => apiCallsOf(s).length > 0).map((s) => [s.name, s] as const))(
    '%s presents a credential that each API it calls accepts, as its own layer, under the URL variable services.json names',
    (name, service) => {
      const env = wiring.environmentOf(service, supplies(service));
      for (const call of apiCallsOf(service)) {
        expect(env[call.urlVariable]).toBe(`http://${call.service}.test:8080`);
        const downstream = byName.get(call.service) as ServiceDefinition;
        // The platform's own check of the header, against the downstream's ACCEPTED_CALLERS.
        const directory = new CallerDirectory(wiring.environmentOf(downstream, supplies(downstream)).ACCEPTED_CALLERS);
        expect(env.SERVICE_CREDENTIAL_SECRET).toBe(wiring.secretOf(name));
        expect(directory.identify(wiring.credentialOf(name))).toEqual({ name, layer: service.layer });
        expect(directory.identify(`${name}.${wiring.secretOf(call.service)}`)).toBeUndefined(); // another service's secret proves nothing
      }
    },
  );

  it('gives each service a secret of its own, and fresh ones to each wiring', () => {
    const secrets = manifest.services.map((s) => wiring.secretOf(s.name));
    expect(new Set(secrets).size).toBe(secrets.length);
    expect(secrets.every((secret) => /^[A-Za-z0-9_-]{24}$/.test(secret))).toBe(true);
    const again = stackWiring(manifest);
    expect(manifest.services.filter((s) => again.secretOf(s.name) === wiring.secretOf(s.name))).toEqual([]);
  });

  it.each(manifest.services.map((s) => [s.name, s] as const))(
    '%s gets a database, a credential to present and end-user token settings exactly where services.json says',
    (name, service) => {
      const env = wiring.environmentOf(service, supplies(service));
      expect('DATABASE_URL' in env).toBe(service.database);
      expect('SERVICE_CREDENTIAL_SECRET' in env).toBe(apiCallsOf(service).length > 0);
      const jwt = ['JWT_ISSUER', 'JWT_AUDIENCE', 'JWT_PUBLIC_KEYS'].filter((key) => key in env);
      expect(jwt).toEqual(service.accepts.includes('end-user') ? ['JWT_ISSUER', 'JWT_AUDIENCE', 'JWT_PUBLIC_KEYS'] : []);
      if (jwt.length > 0) expect([env.JWT_ISSUER, env.JWT_AUDIENCE, env.JWT_PUBLIC_KEYS]).toEqual([endUsers.issuer, name, endUsers.publicKeys]);
    },
  );

  it.each(manifest.services.filter((s) => s.protocolPort).map((s) => [s.name, s] as const))(
    '%s, a backend, takes no service credentials and gets its protocol port (0, the OS picks, unless the stack gives one)',
    (name, service) => {
      expect('ACCEPTED_CALLERS' in wiring.environmentOf(service, supplies(service))).toBe(false);
      const variable = service.protocolPort?.variable as string;
      expect(wiring.environmentOf(service, supplies(service))[variable]).toBe('0');
      expect(wiring.environmentOf(service, { ...supplies(service), protocolPort: 4901 })[variable]).toBe('4901');
      expect(() => wiring.environmentOf(service, { ...supplies(service), extraCallers: [{ name: 'x', layer: 'operator', secret: 's' }] })).toThrow(
        `${name} is a backend: it takes no service credentials`,
      );
      expect(declaredCallers(manifest, service).map((caller) => caller.layer)).toEqual(declaredCallers(manifest, service).map(() => 'system'));
    },
  );

  it.each(manifest.services.filter((s) => backendCallsOf(s).length > 0).map((s) => [s.name, s] as const))(
    '%s gets the host and protocol port of each backend it calls, under the variables services.json names, and no credential for it',
    (name, service) => {
      const env = wiring.environmentOf(service, supplies(service));
      for (const call of backendCallsOf(service))
        expect({ host: env[call.hostVariable], port: env[call.portVariable] }).toEqual({ host: `${call.service}.test`, port: '9901' });
      expect('SERVICE_CREDENTIAL_SECRET' in env).toBe(apiCallsOf(service).length > 0);
      expect(() => wiring.environmentOf(service, { ...supplies(service), protocolAddressOf: undefined })).toThrow(
        `${name} calls ${backendCallsOf(service)[0].service}: supply where its protocol answers`,
      );
    },
  );

  const apps = workspaceApps().filter((app) => byName.has(app.name));
  it.each(apps.map((app) => [app.name, app] as const))('%s starts with the wiring: its config knows every variable and loads', async (name, app) => {
    const service = byName.get(name) as ServiceDefinition;
    const env = wiring.environmentOf(service, supplies(service));
    const { exportName, schema } = await loadAppConfigSchema(app);
    // NODE_OPTIONS is Node's (services.json nodeOptions), not the service's config.
    expect(env.NODE_OPTIONS).toBe(manifest.nodeOptions);
    const unknown = Object.keys(env).filter((key) => key !== 'NODE_OPTIONS' && !(key in schema.properties));
    if (unknown.length > 0) throw new Error(`not in ${exportName} (apps/${name}/src/config.ts): ${unknown.join(', ')}`);
    const config = loadConfig(schema, env) as Record<string, unknown>; // throws naming any bad variable
    for (const variable of service.calls.flatMap(variablesOf)) expect(String(config[variable])).toBe(env[variable]);
  });
});

describe('stackWiring on a made-up manifest', () => {
  const service = (name: string, layer: ServiceDefinition['layer'], more: Partial<ServiceDefinition> = {}): ServiceDefinition => ({
    name,
    layer,
    port: 4000,
    accepts: layer === 'experience' ? ['end-user'] : layer === 'process' ? ['experience', 'operator'] : ['process', 'operator'],
    database: false,
    calls: [],
    ...more,
  });
  const ledger = service('ledger-system-api', 'system', { database: true });
  const payments = service('payments-process-api', 'process', { calls: [{ service: 'ledger-system-api', urlVariable: 'LEDGER_SYSTEM_URL' }] });
  const idle = service('idle-process-api', 'process');
  const made: ServiceManifest = { services: [ledger, payments, idle] };
  const wiring = stackWiring(made, (name) => `secret-of-${name}`);
  const urlOf = (name: string) => `http://proxy-in-front-of-${name}`;

  it('starts a backend first, with its protocol port and no callers', () => {
    const core = service('ledger-core', 'backend', { accepts: [], database: true, protocolPort: { variable: 'LEDGER_CORE_PORT', port: 4100 } });
    const withCore = stackWiring({ services: [core, ...made.services] }, (name) => `secret-of-${name}`);
    expect(withCore.layers.map((layer) => layer.map((s) => s.name))[0]).toEqual(['ledger-core']);
    expect(withCore.environmentOf(core, { urlOf, databaseUrl: 'postgres://db/core', protocolPort: 4100 })).toEqual({
      LEDGER_CORE_PORT: '4100',
      DATABASE_URL: 'postgres://db/core',
    });
  });

  it('gives a System API the address the stack gives for the backend it calls; withoutBackends drops both the backend and the call', () => {
    const core = service('ledger-core', 'backend', { accepts: [], protocolPort: { variable: 'LEDGER_CORE_PORT', port: 4100 } });
    const onCore = service('ledger-system-api', 'system', {
      calls: [{ service: 'ledger-core', hostVariable: 'LEDGER_CORE_HOST', portVariable: 'LEDGER_CORE_PORT' }],
    });
    const withCore = stackWiring({ services: [core, onCore] }, (name) => `secret-of-${name}`);
    expect(withCore.environmentOf(onCore, { urlOf, protocolAddressOf: () => ({ host: '10.0.0.5', port: 4100 }) })).toEqual({
      ACCEPTED_CALLERS: '',
      LEDGER_CORE_HOST: '10.0.0.5',
      LEDGER_CORE_PORT: '4100',
    });
    expect(withoutBackends({ services: [core, onCore] })).toEqual({ services: [{ ...onCore, calls: [] }] });
  });

  it('leaves out a layer nobody is in', () => {
    expect(wiring.layers.map((layer) => layer.map((s) => s.name))).toEqual([['ledger-system-api'], ['payments-process-api', 'idle-process-api']]);
  });

  it('hands each call the URL the stack gives for that service, e.g. a proxy in front of it', () => {
    expect(wiring.environmentOf(payments, { urlOf })).toEqual({
      ACCEPTED_CALLERS: '',
      SERVICE_CREDENTIAL_SECRET: 'secret-of-payments-process-api',
      LEDGER_SYSTEM_URL: 'http://proxy-in-front-of-ledger-system-api',
    });
  });

  it('adds the callers a stack names after the declared ones, whatever their layer', () => {
    const env = wiring.environmentOf(ledger, {
      urlOf,
      databaseUrl: 'postgres://db/ledger',
      extraCallers: [
        { name: 'bench-operator', layer: 'operator', secret: 'op' },
        { name: 'some-experience-api', layer: 'experience', secret: 'ex' },
      ],
    });
    expect(env).toEqual({
      ACCEPTED_CALLERS: 'payments-process-api:process:secret-of-payments-process-api,bench-operator:operator:op,some-experience-api:experience:ex',
      DATABASE_URL: 'postgres://db/ledger',
    });
  });

  it('refuses a caller listed twice: the service would keep only one of the two secrets', () => {
    expect(() =>
      wiring.environmentOf(ledger, {
        urlOf,
        databaseUrl: 'postgres://db/ledger',
        extraCallers: [{ name: 'payments-process-api', layer: 'process', secret: 'other' }],
      }),
    ).toThrow('ledger-system-api: payments-process-api is listed twice among its accepted callers');
  });

  it('refuses to wire a database the manifest does not declare, or to leave out one it does', () => {
    expect(() => wiring.environmentOf(ledger, { urlOf })).toThrow('ledger-system-api: services.json says it owns a database, but none was supplied');
    expect(() => wiring.environmentOf(idle, { urlOf, databaseUrl: 'postgres://db/idle' })).toThrow(
      'idle-process-api: services.json says it owns no database, but one was supplied',
    );
  });

  it('refuses to start an edge service with no token issuer, and names an undeclared service', () => {
    const edge = service('kiosk-experience-api', 'experience', { calls: [{ service: 'payments-process-api', urlVariable: 'PAYMENTS_PROCESS_URL' }] });
    const withEdge = stackWiring({ services: [...made.services, edge] });
    expect(() => withEdge.environmentOf(edge, { urlOf })).toThrow('kiosk-experience-api accepts end users: supply the token issuer it is to trust');
    expect(() => wiring.secretOf('kiosk-experience-api')).toThrow('kiosk-experience-api is not declared in services.json');
    expect(() => wiring.credentialOf('kiosk-experience-api')).toThrow('kiosk-experience-api is not declared in services.json');
  });
});
