/**
 * The application network, as declared once in services.json at the workspace root: every API,
 * its layer, port, callers, database and downstreams. tools/start-stack.mjs starts from it, these
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

export const LAYERS = ['system', 'process', 'experience'] as const;
export type Layer = (typeof LAYERS)[number];
/** Position in the call chain: a service calls only services exactly one rank below it. */
export const LAYER_RANK: Record<Layer, number> = {
  system: 0,
  process: 1,
  experience: 2,
};

/** A layer whose services present credentials, the operator (a person with a credential), or end users with bearer tokens. */
export type Caller = 'process' | 'experience' | 'operator' | 'end-user';

/** Who a service of each layer may accept: the layer just above, the operator, and (at the edge) end users. */
export const ACCEPTABLE_CALLERS: Record<Layer, readonly Caller[]> = {
  system: ['process', 'operator'],
  process: ['experience', 'operator'],
  experience: ['end-user', 'operator'],
};

export interface Downstream {
  /** The service called (one layer down). */
  service: string;
  /** The config variable carrying its base URL, e.g. ACCOUNT_SYSTEM_URL. */
  urlVariable: string;
}

export interface ServiceDefinition {
  name: string;
  layer: Layer;
  port: number;
  accepts: Caller[];
  /** Owns a PostgreSQL database named like the service (see databaseNameOf). */
  database: boolean;
  calls: Downstream[];
}

export interface ServiceManifest {
  services: ServiceDefinition[];
}

/** The database (and role) a service owns: its name with `_` for `-`. */
export const databaseNameOf = (service: string) => service.replace(/-/g, '_');
/** Service credentials it accepts: the layers (and operator) that present an x-service-credential. */
export const credentialCallers = (service: ServiceDefinition) => service.accepts.filter((caller) => caller !== 'end-user');
/** True for the edge: end users with bearer tokens. */
export const acceptsEndUsers = (service: ServiceDefinition) => service.accepts.includes('end-user');

/** The rules of ARCHITECTURE.md that a JSON Schema cannot say; each broken rule is one message. */
export function layeringProblems(manifest: ServiceManifest): string[] {
  const problems: string[] = [];
  const byName = new Map(manifest.services.map((service) => [service.name, service]));
  const duplicates = (values: Array<string | number>) => values.filter((value, index) => values.indexOf(value) !== index);
  for (const name of duplicates(manifest.services.map((s) => s.name))) problems.push(`service ${name} is declared twice`);
  for (const port of duplicates(manifest.services.map((s) => s.port))) problems.push(`port ${port} is used twice`);
  for (let i = 1; i < manifest.services.length; i++) {
    const [before, after] = [manifest.services[i - 1], manifest.services[i]];
    if (LAYER_RANK[after.layer] < LAYER_RANK[before.layer])
      problems.push(`${after.name} is listed after ${before.name}: list the bottom layer first (the launcher starts in this order)`);
  }
  for (const service of manifest.services) {
    if (!service.name.endsWith(`-${service.layer}-api`))
      problems.push(`${service.name}: a ${service.layer} API is named <something>-${service.layer}-api`);
    for (const caller of service.accepts) {
      if (!ACCEPTABLE_CALLERS[service.layer].includes(caller))
        problems.push(`${service.name} (${service.layer}) may not accept ${caller}: only ${ACCEPTABLE_CALLERS[service.layer].join(', ')}`);
    }
    for (const variable of duplicates(service.calls.map((call) => call.urlVariable)))
      problems.push(`${service.name}: ${variable} names two downstreams`);
    for (const call of service.calls) {
      const downstream = byName.get(call.service);
      if (!downstream) {
        problems.push(`${service.name} calls ${call.service}, which is not declared`);
        continue;
      }
      if (LAYER_RANK[service.layer] - LAYER_RANK[downstream.layer] !== 1) {
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
