import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  SERVICES,
  apiCallsOf,
  backendCallsOf,
  checkServiceManifest,
  loadAppConfigSchema,
  loadServiceManifest,
  manifestPath,
  schemaDefault,
  variablesOf,
  workspaceApps,
  workspaceRoot,
  type ServiceManifest,
} from './workspace';

/** A copy of the real manifest to break one thing in. */
const manifest = (): ServiceManifest & { $schema?: string } => JSON.parse(readFileSync(manifestPath, 'utf8')) as ServiceManifest;
const rejection = (value: unknown) => {
  try {
    checkServiceManifest(value, 'services.json (edited)');
  } catch (error) {
    return (error as Error).message;
  }
  return 'accepted';
};

describe('services.json, the one manifest of the application network', () => {
  it('conforms to its JSON schema and to the layering rules', () => {
    expect(loadServiceManifest().services.map((s) => s.name)).toEqual(SERVICES.map((s) => s.name));
    expect(manifest().$schema).toBe('./tools/stack-checks/services.schema.json');
  });

  it('the schema rejects a service with an unknown field, a missing field or an unknown layer', () => {
    const unknownField = manifest();
    Object.assign(unknownField.services[0], { replicas: 3 });
    expect(rejection(unknownField)).toMatch(/\/services\/0 must NOT have additional properties/);

    const missing = manifest();
    delete (missing.services[0] as Partial<ServiceManifest['services'][number]>).database;
    expect(rejection(missing)).toMatch(/\/services\/0 must have required property 'database'/);

    const layer = manifest();
    (layer.services[0] as { layer: string }).layer = 'mainframe';
    expect(rejection(layer)).toMatch(/\/services\/0\/layer must be equal to one of the allowed values/);
  });

  it('rejects a call that skips a layer, a call to an undeclared service, and a downstream that refuses the caller', () => {
    const skip = manifest();
    const experience = skip.services.find((s) => s.layer === 'experience');
    experience?.calls.push({
      service: 'account-system-api',
      urlVariable: 'ACCOUNT_SYSTEM_URL',
    });
    expect(rejection(skip)).toMatch(/calls account-system-api \(system\): calls go down exactly one layer/);

    const undeclared = manifest();
    undeclared.services
      .find((s) => s.layer === 'process')
      ?.calls.push({
        service: 'ledger-system-api',
        urlVariable: 'LEDGER_SYSTEM_URL',
      });
    expect(rejection(undeclared)).toMatch(/calls ledger-system-api, which is not declared/);

    const refuses = manifest();
    const system = refuses.services.find((s) => s.name === 'account-system-api');
    if (system) system.accepts = ['operator'];
    expect(rejection(refuses)).toMatch(/calls account-system-api, which does not accept the process layer/);
  });

  it('rejects a System API that accepts Experience callers, two services on one port, and a layer listed before the one below', () => {
    const accepts = manifest();
    const system = accepts.services.find((s) => s.layer === 'system');
    if (system) system.accepts = ['experience'];
    expect(rejection(accepts)).toMatch(/\(system\) may not accept experience/);

    const port = manifest();
    port.services[1].port = port.services[0].port;
    expect(rejection(port)).toMatch(new RegExp(`port ${port.services[0].port} is used twice`));

    const order = manifest();
    order.services.reverse();
    expect(rejection(order)).toMatch(/list the bottom layer first/);
  });
});

describe('services.json: backends, the layer below the System APIs', () => {
  const backendIndex = () => manifest().services.findIndex((s) => s.layer === 'backend');
  const withBackend = (change: (backend: ServiceManifest['services'][number], all: ServiceManifest) => void) => {
    const edited = manifest();
    change(edited.services[backendIndex()], edited);
    return edited;
  };

  it('declares at least one backend, listed first, with its protocol port', () => {
    expect(backendIndex()).toBe(0);
    expect(SERVICES[0].protocolPort).toBeDefined();
  });

  it('rejects a backend without a protocol port, and an API with one', () => {
    expect(rejection(withBackend((backend) => delete backend.protocolPort))).toMatch(/must have required property 'protocolPort'/);
    const api = manifest();
    const system = api.services.find((s) => s.layer === 'system');
    if (system) system.protocolPort = { variable: 'LEDGER_PORT', port: 3999 };
    expect(rejection(api)).toMatch(/\/protocolPort must NOT be valid|boolean schema is false/);
  });

  it('rejects a backend that accepts callers or calls anything, and an API that accepts no one', () => {
    expect(rejection(withBackend((backend) => (backend.accepts = ['process'])))).toMatch(/\/accepts must NOT have more than 0 items/);
    expect(rejection(withBackend((backend) => backend.calls.push({ service: 'account-system-api', urlVariable: 'ACCOUNT_SYSTEM_URL' })))).toMatch(
      /\/calls must NOT have more than 0 items/,
    );
    const silent = manifest();
    const system = silent.services.find((s) => s.layer === 'system');
    if (system) system.accepts = [];
    expect(rejection(silent)).toMatch(/\/accepts must NOT have fewer than 1 items/);
  });

  it('rejects a backend named like an API, an API not named after its layer, and a protocol port another service uses', () => {
    expect(rejection(withBackend((backend) => (backend.name = 'core-banking-api')))).toMatch(/core-banking-api: a backend is not an API/);
    const misnamed = manifest();
    misnamed.services[1].name = 'core-banking-gateway-two';
    expect(rejection(misnamed)).toMatch(/a system API is named <something>-system-api/);
    expect(
      rejection(
        withBackend((backend, all) => {
          if (backend.protocolPort) backend.protocolPort.port = all.services[1].port;
        }),
      ),
    ).toMatch(new RegExp(`port ${manifest().services[1].port} is used twice`));
  });

  it('lets a System API call a backend, naming the host and port variables of its protocol', () => {
    const callers = SERVICES.filter((s) => backendCallsOf(s).some((call) => call.service === SERVICES[0].name));
    expect(callers.map((s) => s.layer)).toEqual(callers.map(() => 'system'));
    expect(callers.length).toBeGreaterThan(0);
  });

  it('refuses any other caller of a backend: a Process API, an Experience API', () => {
    for (const layer of ['process', 'experience'] as const) {
      const edited = manifest();
      const caller = edited.services.find((s) => s.layer === layer);
      caller?.calls.push({ service: edited.services[backendIndex()].name, hostVariable: 'CORE_HOST', portVariable: 'CORE_PORT' });
      expect(rejection(edited)).toMatch(new RegExp(`${caller?.name} \\(${layer}\\) calls .*, a backend: only a System API may call a backend`));
    }
  });

  it('refuses a call to a backend by URL, and a call to an API by host and port', () => {
    const byUrl = manifest();
    const billing = byUrl.services.find((s) => s.name === 'billing-system-api');
    billing?.calls.push({ service: byUrl.services[backendIndex()].name, urlVariable: 'CORE_BANKING_URL' });
    expect(rejection(byUrl)).toMatch(/billing-system-api calls core-banking-gateway, a backend, by URL: name the hostVariable and portVariable/);

    const byAddress = manifest();
    const processApi = byAddress.services.find((s) => s.layer === 'process');
    processApi?.calls.push({ service: 'billing-system-api', hostVariable: 'BILLING_HOST', portVariable: 'BILLING_PORT' });
    expect(rejection(byAddress)).toMatch(/calls billing-system-api, an API, by host and port: name the urlVariable/);
  });

  it('the schema rejects a call with a URL and an address at once, or a port variable not named *_PORT', () => {
    const both = manifest();
    Object.assign(both.services[1].calls[0], { urlVariable: 'CORE_BANKING_URL' });
    expect(rejection(both)).toMatch(/\/services\/1\/calls\/0 must match exactly one schema in oneOf/);
    const misnamed = manifest();
    Object.assign(misnamed.services[1].calls[0], { portVariable: 'CORE_BANKING_GATEWAY' });
    expect(rejection(misnamed)).toMatch(/\/services\/1\/calls\/0\/portVariable must match pattern/);
  });

  it('rejects a layer listed below the backend', () => {
    const order = manifest();
    order.services.push(order.services.splice(backendIndex(), 1)[0]);
    expect(rejection(order)).toMatch(/is listed after .*: list the bottom layer first/);
  });
});

describe.each(SERVICES.map((s) => [s.name, s] as const))('%s: its config agrees with services.json', (name, service) => {
  const app = workspaceApps().find((candidate) => candidate.name === name);

  it('defaults each downstream URL variable to that downstream on the loopback, at its declared port', async () => {
    if (!app) throw new Error(`apps/${name} is missing`);
    const { schema } = await loadAppConfigSchema(app);
    for (const call of apiCallsOf(service)) {
      const downstream = SERVICES.find((s) => s.name === call.service);
      expect(`${call.urlVariable}=${String(schemaDefault(schema, call.urlVariable))}`).toBe(
        `${call.urlVariable}=http://127.0.0.1:${downstream?.port}`,
      );
    }
  });

  it("defaults the host and port variables of each backend it calls to the loopback and the backend's protocol port", async () => {
    if (!app) throw new Error(`apps/${name} is missing`);
    const { schema } = await loadAppConfigSchema(app);
    for (const call of backendCallsOf(service)) {
      const downstream = SERVICES.find((s) => s.name === call.service);
      expect([call.hostVariable, call.portVariable].map((variable) => `${variable}=${String(schemaDefault(schema, variable))}`)).toEqual([
        `${call.hostVariable}=127.0.0.1`,
        `${call.portVariable}=${downstream?.protocolPort?.port}`,
      ]);
    }
  });

  it('defaults its protocol port variable to the declared protocol port (backends), and knows ACCEPTED_CALLERS iff it is an API', async () => {
    if (!app) throw new Error(`apps/${name} is missing`);
    const { schema } = await loadAppConfigSchema(app);
    if (service.protocolPort)
      expect(`${service.protocolPort.variable}=${String(schemaDefault(schema, service.protocolPort.variable))}`).toBe(
        `${service.protocolPort.variable}=${service.protocolPort.port}`,
      );
    expect(`ACCEPTED_CALLERS: ${'ACCEPTED_CALLERS' in schema.properties}`).toBe(`ACCEPTED_CALLERS: ${service.layer !== 'backend'}`);
  });

  it('knows SERVICE_CREDENTIAL_SECRET iff it calls another API, and the end-user token settings iff it accepts end users', async () => {
    if (!app) throw new Error(`apps/${name} is missing`);
    const { schema } = await loadAppConfigSchema(app);
    expect(`credential: ${'SERVICE_CREDENTIAL_SECRET' in schema.properties}`).toBe(`credential: ${apiCallsOf(service).length > 0}`);
    expect(`end users: ${'JWT_ISSUER' in schema.properties}`).toBe(`end users: ${service.accepts.includes('end-user')}`);
  });
});

describe('tools/start-stack.mjs is derived from services.json, not a second list', () => {
  const launcher = readFileSync(join(workspaceRoot, 'tools/start-stack.mjs'), 'utf8');

  it('reads services.json', () => {
    expect(launcher).toMatch(/services\.json/);
  });

  it('names no service, port or downstream variable of its own', () => {
    const repeated = SERVICES.flatMap((s) => [
      s.name,
      String(s.port),
      ...(s.protocolPort ? [s.protocolPort.variable, String(s.protocolPort.port)] : []),
      ...s.calls.flatMap(variablesOf),
    ]).filter((word) => launcher.includes(word));
    expect(repeated).toEqual([]);
  });
});
