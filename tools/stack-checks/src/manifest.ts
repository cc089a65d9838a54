/**
 * The application network, as declared once in services.json at the workspace root: every API
 * and backend, its layer, port, callers, database and downstreams. tools/start-stack.mjs starts from it, these
 * checks hold docker-compose.yml, deploy/ and apps/ to it, and the e2e stack can read it here:
 *
 *   import { loadServiceManifest } from '@bartholomew/stack-checks';
 *
 * Read and checked at once (JSON Schema of services.schema.json, then the layering rules the
 * schema cannot say), so a reader never works from a manifest that breaks the architecture.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';

export const workspaceRoot = resolve(__dirname, '../../..');
export const manifestPath = join(workspaceRoot, 'services.json');
export const manifestSchemaPath = join(workspaceRoot, 'tools/stack-checks/services.schema.json');

/** Bottom first: the backends (legacy and core systems, not APIs) the System APIs hide, then the three API layers. */
export const LAYERS = ['backend', 'system', 'process', 'experience'] as const;
export type Layer = (typeof LAYERS)[number];
/** The layers of APIs (HTTP contracts, service credentials); a backend is none of them. */
export type ApiLayer = Exclude<Layer, 'backend'>;
/** Position in the call chain: a service calls only services exactly one rank below it. */
export const LAYER_RANK: Record<Layer, number> = {
  backend: 0,
  system: 1,
  process: 2,
  experience: 3,
};

/** A layer whose services present credentials, the operator (a person with a credential), or end users with bearer tokens. */
export type Caller = 'process' | 'experience' | 'operator' | 'end-user';

/** Who a service of each layer may accept: the layer just above, the operator, and (at the edge) end users. */
export const ACCEPTABLE_CALLERS: Record<Layer, readonly Caller[]> = {
  // A backend speaks its own protocol and takes no service credentials.
  backend: [],
  system: ['process', 'operator'],
  process: ['experience', 'operator'],
  experience: ['end-user', 'operator'],
};

/** A call to an API one layer down, over HTTP. */
export interface ApiCall {
  /** The API called. */
  service: string;
  /** The config variable carrying its base URL, e.g. ACCOUNT_SYSTEM_URL. */
  urlVariable: string;
}

/** A System API's call to a backend, in the backend's own protocol: where its protocol port answers. */
export interface BackendCall {
  /** The backend called. */
  service: string;
  /** The config variable carrying its host, e.g. CORE_BANKING_GATEWAY_HOST. */
  hostVariable: string;
  /** The config variable carrying its protocol port, e.g. CORE_BANKING_GATEWAY_PORT. */
  portVariable: string;
}

/** What a service calls: an API (by URL) or, from a System API, a backend (by host and port). */
export type Downstream = ApiCall | BackendCall;

/** A backend's own (non-HTTP) protocol port. */
export interface ProtocolPort {
  /** The config variable that sets it, e.g. GATEWAY_PORT. */
  variable: string;
  /** Its default there: the port it listens on locally and in its container. */
  port: number;
}

export interface ServiceDefinition {
  name: string;
  layer: Layer;
  /** The HTTP port (PORT); for a backend, its operations port (health, metrics). */
  port: number;
  /** A backend's protocol port, besides its HTTP port; backends only. */
  protocolPort?: ProtocolPort;
  accepts: Caller[];
  /** Owns a PostgreSQL database named like the service (see databaseNameOf). */
  database: boolean;
  calls: Downstream[];
}

export interface ServiceManifest {
  /** NODE_OPTIONS of every service, wherever it runs (the images set the same; a stack check compares). */
  nodeOptions?: string;
  services: ServiceDefinition[];
}

/** The database (and role) a service owns: its name with `_` for `-`. */
export const databaseNameOf = (service: string) => service.replace(/-/g, '_');
/** Service credentials it accepts: the layers (and operator) that present an x-service-credential. */
export const credentialCallers = (service: ServiceDefinition) => service.accepts.filter((caller) => caller !== 'end-user');
/** True for a backend: not an API, no service credentials, its own protocol on `protocolPort`. */
export const isBackend = (service: ServiceDefinition) => service.layer === 'backend';
/** Every port it listens on: its HTTP port, and a backend's protocol port. */
export const portsOf = (service: ServiceDefinition): number[] => [service.port, ...(service.protocolPort ? [service.protocolPort.port] : [])];
/** True for a call to a backend (host and port of its protocol), false for a call to an API (a URL). */
export const isBackendCall = (call: Downstream): call is BackendCall => 'hostVariable' in call;
/** The APIs it calls over HTTP, presenting its service credential. */
export const apiCallsOf = (service: ServiceDefinition): ApiCall[] => service.calls.filter((call): call is ApiCall => !isBackendCall(call));
/** The backends it calls in their own protocol (a System API's only). */
export const backendCallsOf = (service: ServiceDefinition): BackendCall[] => service.calls.filter(isBackendCall);
/** The config variables a call sets: the URL of an API, or the host and port of a backend. */
export const variablesOf = (call: Downstream): string[] => (isBackendCall(call) ? [call.hostVariable, call.portVariable] : [call.urlVariable]);
/** True for the edge: end users with bearer tokens. */
export const acceptsEndUsers = (service: ServiceDefinition) => service.accepts.includes('end-user');

/** The rules of ARCHITECTURE.md that a JSON Schema cannot say; each broken rule is one message. */
export function layeringProblems(manifest: ServiceManifest): string[] {
  const problems: string[] = [];
  const byName = new Map(manifest.services.map((service) => [service.name, service]));
  const duplicates = (values: Array<string | number>) => values.filter((value, index) => values.indexOf(value) !== index);
  for (const name of duplicates(manifest.services.map((s) => s.name))) problems.push(`service ${name} is declared twice`);
  for (const port of duplicates(manifest.services.flatMap(portsOf))) problems.push(`port ${port} is used twice`);
  for (let i = 1; i < manifest.services.length; i++) {
    const [before, after] = [manifest.services[i - 1], manifest.services[i]];
    if (LAYER_RANK[after.layer] < LAYER_RANK[before.layer])
      problems.push(`${after.name} is listed after ${before.name}: list the bottom layer first (the launcher starts in this order)`);
  }
  for (const service of manifest.services) {
    if (isBackend(service)) {
      if (service.name.endsWith('-api')) problems.push(`${service.name}: a backend is not an API; do not name it <something>-api`);
    } else if (!service.name.endsWith(`-${service.layer}-api`)) {
      problems.push(`${service.name}: a ${service.layer} API is named <something>-${service.layer}-api`);
    }
    for (const caller of service.accepts) {
      if (!ACCEPTABLE_CALLERS[service.layer].includes(caller))
        problems.push(`${service.name} (${service.layer}) may not accept ${caller}: only ${ACCEPTABLE_CALLERS[service.layer].join(', ')}`);
    }
    for (const variable of duplicates(service.calls.flatMap(variablesOf))) problems.push(`${service.name}: ${variable} names two downstreams`);
    for (const call of service.calls) {
      const downstream = byName.get(call.service);
      if (!downstream) {
        problems.push(`${service.name} calls ${call.service}, which is not declared`);
        continue;
      }
      if (isBackend(downstream)) {
        // A backend takes no service credentials: the one System API that hides it is its only caller.
        if (service.layer !== 'system')
          problems.push(`${service.name} (${service.layer}) calls ${call.service}, a backend: only a System API may call a backend`);
        else if (!isBackendCall(call))
          problems.push(`${service.name} calls ${call.service}, a backend, by URL: name the hostVariable and portVariable of its protocol`);
      } else if (isBackendCall(call)) {
        problems.push(`${service.name} calls ${call.service}, an API, by host and port: name the urlVariable of its base URL`);
      } else if (LAYER_RANK[service.layer] - LAYER_RANK[downstream.layer] !== 1) {
        problems.push(`${service.name} (${service.layer}) calls ${call.service} (${downstream.layer}): calls go down exactly one layer`);
      } else if (!downstream.accepts.includes(service.layer as Caller)) {
        problems.push(`${service.name} calls ${call.service}, which does not accept the ${service.layer} layer`);
      }
    }
  }
  return problems;
}

let validateShape: ReturnType<Ajv2020['compile']> | undefined;

/** Checks a parsed manifest against services.schema.json and the layering; throws naming every problem. */
export function checkServiceManifest(value: unknown, source = manifestPath): ServiceManifest {
  validateShape ??= new Ajv2020({ allErrors: true, strict: true }).compile(JSON.parse(readFileSync(manifestSchemaPath, 'utf8')) as object);
  if (!validateShape(value)) {
    const errors = (validateShape.errors ?? []).map((error) => `  ${error.instancePath || '/'} ${error.message ?? ''}`);
    throw new Error(`${source} does not match ${manifestSchemaPath}:\n${errors.join('\n')}`);
  }
  const manifest = value as ServiceManifest;
  const problems = layeringProblems(manifest);
  if (problems.length > 0) throw new Error(`${source} breaks the layering:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  return manifest;
}

/** services.json, read and checked. */
export function loadServiceManifest(path = manifestPath): ServiceManifest {
  return checkServiceManifest(JSON.parse(readFileSync(path, 'utf8')) as unknown, path);
}
