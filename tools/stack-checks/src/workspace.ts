/**
 * What the stack checks read: the apps of the workspace, docker-compose.yml, the Dockerfiles in
 * deploy/ and each app's config schema. Parsing only; the assertions are in the spec files.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { TObject } from '@sinclair/typebox';
import { parse } from 'yaml';

export const workspaceRoot = resolve(__dirname, '../../..');
export const composePath = join(workspaceRoot, 'docker-compose.yml');
export const initSqlPath = join(workspaceRoot, 'deploy/postgres/init-databases.sql');
export const healthcheckScript = join(workspaceRoot, 'deploy/healthcheck.cjs');
export const pruneScript = join(workspaceRoot, 'deploy/prune-deps.mjs');
/** The committed development issuer key the compose stack trusts (a DATA_DIR for tools/dev-token.mjs). */
export const devKeysDataDir = join(workspaceRoot, 'deploy/dev-keys');
export const devJwtKeyPath = join(devKeysDataDir, 'dev-jwt/private.jwk.json');
export const devTokenScript = join(workspaceRoot, 'tools/dev-token.mjs');

export type Layer = 'system' | 'process' | 'experience';
/** Position in the call chain: a service calls only services exactly one rank below it. */
export const LAYER_RANK: Record<Layer, number> = { system: 0, process: 1, experience: 2 };

/** The services of ARCHITECTURE.md: each gets a compose entry and an image, built yet or not. */
export const ARCHITECTURE_SERVICES: ReadonlyArray<{ name: string; layer: Layer; port: number }> = [
  { name: 'account-system-api', layer: 'system', port: 3101 },
  { name: 'billing-system-api', layer: 'system', port: 3102 },
  { name: 'onboarding-process-api', layer: 'process', port: 3201 },
  { name: 'mobile-experience-api', layer: 'experience', port: 3301 },
  { name: 'web-experience-api', layer: 'experience', port: 3302 },
];
export const architectureService = (name: string) => ARCHITECTURE_SERVICES.find((service) => service.name === name);

/** Infrastructure in compose: PostgreSQL and the SMTP catcher. */
export const POSTGRES = 'postgres';
export const MAILPIT = 'mailpit';
/** Container ports of infrastructure that may be published: Mailpit's web inbox only. */
export const PUBLISHABLE_INFRA_PORTS: Record<string, number[]> = { [MAILPIT]: [8025] };

/** The readiness route of libs/platform (health.ts), probed by compose and by each image. */
export const READINESS_PATH = '/health/ready';

// ── Apps ─────────────────────────────────────────────────────────────────────────────────────

export interface WorkspaceApp {
  name: string;
  dir: string;
  packageName: string;
  tags: string[];
  targets: Record<string, { command?: string; options?: Record<string, unknown>; dependsOn?: unknown[] }>;
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
      return { name: entry.name, dir, packageName: pkg.name, tags: pkg.nx?.tags ?? [], targets: pkg.nx?.targets ?? {} };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

export const layerOfApp = (app: WorkspaceApp): string | undefined =>
  app.tags.find((tag) => tag.startsWith('layer:'))?.slice('layer:'.length);

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
    throw new Error(`${app.name}/src/config.ts should export exactly one *ConfigSchema object, found: ${schemas.map(([name]) => name).join(', ') || 'none'}`);
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
  build?: { context?: string; dockerfile?: string };
  /** Variables with a value; a name without a value (taken from the host) is listed in `passThrough`. */
  environment: Record<string, string>;
  passThrough: string[];
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
    const long = entry as { target: number | string; published?: number | string; host_ip?: string };
    return { target: Number(long.target), published: long.published === undefined ? undefined : Number(long.published), hostIp: long.host_ip };
  }
  const parts = String(entry).replace(/\/(tcp|udp)$/, '').split(':');
  if (parts.length === 1) return { target: Number(parts[0]) };
  if (parts.length === 2) return { published: Number(parts[0]), target: Number(parts[1]) };
  return { hostIp: parts.slice(0, -2).join(':'), published: Number(parts.at(-2)), target: Number(parts.at(-1)) };
}

function parseEnvironment(raw: unknown): { environment: Record<string, string>; passThrough: string[] } {
  const environment: Record<string, string> = {};
  const passThrough: string[] = [];
  const entries: Array<[string, unknown]> = Array.isArray(raw)
    ? raw.map((line: string) => (line.includes('=') ? [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)] : [line, null]))
    : Object.entries((raw as Record<string, unknown>) ?? {});
  for (const [key, value] of entries) {
    if (value === null || value === undefined) passThrough.push(key);
    else environment[key] = String(value);
  }
  return { environment, passThrough };
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
      build: typeof raw.build === 'string' ? { context: raw.build } : (raw.build as ComposeService['build']),
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
 * The Compose CLI that validates the file without an engine: $STACK_CHECKS_COMPOSE, else Debian's
 * v1 `docker-compose`, else the v2 plugin `docker compose`. None: an error saying how to get one.
 */
export function composeCli(): { command: string; args: string[]; version: string } {
  const candidates: string[][] = [];
  if (process.env.STACK_CHECKS_COMPOSE) candidates.push(process.env.STACK_CHECKS_COMPOSE.split(/\s+/).filter(Boolean));
  candidates.push(['docker-compose'], ['docker', 'compose']);
  for (const [command, ...args] of candidates) {
    const probe = spawnSync(command, [...args, 'version'], { encoding: 'utf8', timeout: 30_000 });
    if (probe.status === 0) return { command, args, version: probe.stdout.split('\n')[0].trim() };
  }
  throw new Error(
    [
      'No Docker Compose CLI found to validate docker-compose.yml, so this check FAILS (it never skips).',
      "Install Debian's v1 CLI, which validates without a Docker engine:",
      '    apt-get update && apt-get install -y docker-compose',
      '(.ci/run installs it on CI), or the Compose v2 plugin (`docker compose`),',
      'or point STACK_CHECKS_COMPOSE at one, e.g. STACK_CHECKS_COMPOSE="docker compose".',
    ].join('\n'),
  );
}

// ── Dockerfiles ──────────────────────────────────────────────────────────────────────────────

export interface DockerInstruction {
  keyword: string;
  args: string;
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

export const dockerfilePath = (service: string) => join(workspaceRoot, 'deploy', service, 'Dockerfile');

/** Instructions by stage; comments dropped, continuation lines joined, FROM's ${ARG} expanded. */
export function parseDockerfile(text: string): Dockerfile {
  const logical: string[] = [];
  let current = '';
  for (const line of text.split('\n')) {
    if (/^\s*#/.test(line) && current === '') continue;
    if (/^\s*#/.test(line)) continue; // a comment inside a continued instruction
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
  for (const instruction of logical) {
    const [, keyword, args] = /^(\S+)\s*(.*)$/.exec(instruction) as RegExpExecArray;
    const upper = keyword.toUpperCase();
    if (upper === 'FROM') {
      const [image, as, name] = args.split(/\s+/);
      const expanded = image.replace(/\$\{?(\w+)\}?/g, (_, arg: string) => globalArgs[arg] ?? '');
      stages.push({ from: expanded, name: as?.toUpperCase() === 'AS' ? name : undefined, instructions: [] });
    } else if (stages.length === 0) {
      if (upper === 'ARG') {
        const [key, value = ''] = args.split('=');
        globalArgs[key.trim()] = value.trim();
      }
    } else {
      stages.at(-1)?.instructions.push({ keyword: upper, args });
    }
  }
  return { globalArgs, stages };
}

/** `ENV A=1 B=2` (and the old `ENV A 1`) of one stage, merged. */
export function stageEnv(stage: DockerStage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { args } of stage.instructions.filter((i) => i.keyword === 'ENV')) {
    if (!args.includes('=')) {
      const [key, ...rest] = args.split(/\s+/);
      env[key] = rest.join(' ');
      continue;
    }
    for (const match of args.matchAll(/(\w+)=("[^"]*"|\S*)/g)) env[match[1]] = match[2].replace(/^"|"$/g, '');
  }
  return env;
}

// ── deploy/postgres/init-databases.sql ───────────────────────────────────────────────────────

/** The roles (with passwords) and databases (with owners) the init script creates. */
export function initSql(): { roles: Record<string, string>; databases: Record<string, string> } {
  const sql = readFileSync(initSqlPath, 'utf8').replace(/--.*$/gm, '');
  const roles = Object.fromEntries(
    [...sql.matchAll(/CREATE ROLE (\w+) LOGIN PASSWORD '([^']*)'/gi)].map((match) => [match[1], match[2]]),
  );
  const databases = Object.fromEntries([...sql.matchAll(/CREATE DATABASE (\w+) OWNER (\w+)/gi)].map((match) => [match[1], match[2]]));
  return { roles, databases };
}

/** The database (and role) a service owns: its name with `_` for `-`, as tools/start-stack.mjs does. */
export const databaseNameOf = (service: string) => service.replace(/-/g, '_');
