import { randomBytes } from 'node:crypto';
import { posix } from 'node:path';
import type { Tree } from '@nx/devkit';
import type { Layer, ServiceNames } from './names.ts';

/**
 * The workspace-wide files a new service must appear in, edited as the stack checks
 * (tools/stack-checks) read them: services.json, docker-compose.yml, the compose PostgreSQL init
 * SQL, and the TypeScript project references `nx sync` would write.
 */

export interface ManifestCall {
  service: string;
  urlVariable: string;
}
export interface ManifestService {
  name: string;
  layer: Layer;
  port: number;
  accepts: string[];
  database: boolean;
  calls: ManifestCall[];
}

const MANIFEST = 'services.json';
const LAYER_ORDER: Layer[] = ['system', 'process', 'experience'];
/** Ports by layer, as the existing services have them: 31xx system, 32xx process, 33xx experience. */
const FIRST_PORT: Record<Layer, number> = { system: 3101, process: 3201, experience: 3301 };
/** Who a service of each layer accepts (services.json `accepts`), as the existing ones of that layer do. */
export const ACCEPTS: Record<Layer, string[]> = {
  system: ['process', 'operator'],
  process: ['experience', 'operator'],
  experience: ['end-user'],
};

export function readManifest(tree: Tree): { services: ManifestService[] } {
  const text = tree.read(MANIFEST, 'utf-8');
  if (!text) throw new Error('services.json is missing: run the generator at the workspace root');
  return JSON.parse(text) as { services: ManifestService[] };
}

/** The next port of the layer after every port already declared in it. */
export function nextPort(tree: Tree, layer: Layer): number {
  const ports = readManifest(tree)
    .services.filter((service) => service.layer === layer)
    .map((service) => service.port);
  return ports.length === 0 ? FIRST_PORT[layer] : Math.max(...ports) + 1;
}

/** Refuses a name that already exists anywhere the generator would write it. */
export function requireNew(tree: Tree, names: ServiceNames): void {
  if (readManifest(tree).services.some((service) => service.name === names.name)) throw new Error(`${names.name} is already in services.json`);
  for (const dir of [`apps/${names.name}`, `libs/contracts/${names.api}`, `libs/clients/${names.api}`]) {
    if (tree.exists(dir)) throw new Error(`${dir} already exists`);
  }
}

/** Adds the service after the last one of its layer (the manifest lists the bottom layer first). */
export function addToManifest(tree: Tree, service: ManifestService): void {
  const manifest = readManifest(tree);
  const rank = (layer: Layer) => LAYER_ORDER.indexOf(layer);
  const after = manifest.services.findLastIndex((existing) => rank(existing.layer) <= rank(service.layer));
  manifest.services.splice(after + 1, 0, service);
  tree.write(MANIFEST, `${JSON.stringify(manifest, null, 2)}\n`);
}

/** A fresh development value, marked as one (the stack checks require `dev-only-` on every secret). */
export const devPiiKey = () => randomBytes(32).toString('base64');

const COMPOSE = 'docker-compose.yml';

/** Inserts a service block (2-space indented, under `services:`) before the top-level `networks:`. */
export function addComposeService(tree: Tree, block: string): void {
  const text = tree.read(COMPOSE, 'utf-8');
  if (!text) throw new Error('docker-compose.yml is missing');
  // Before the comment lines that introduce the top-level `networks:` key, if any.
  const match = /\n((?:#[^\n]*\n)*)networks:\n/.exec(text);
  if (!match) throw new Error('docker-compose.yml has no top-level networks: key to insert the service before');
  const at = match.index + 1;
  tree.write(COMPOSE, `${text.slice(0, at).replace(/\n*$/, '\n\n')}${block.replace(/\n*$/, '\n\n')}${text.slice(at)}`);
}

/** Adds `caller:layer:secret` to a compose service's ACCEPTED_CALLERS (the API the new service calls). */
export function acceptCallerInCompose(tree: Tree, service: string, entry: string): void {
  const text = tree.read(COMPOSE, 'utf-8') ?? '';
  const start = text.indexOf(`\n  ${service}:\n`);
  if (start < 0) throw new Error(`docker-compose.yml has no service ${service}`);
  const rest = text.slice(start + 1);
  const end = rest.search(/\n {2}[a-z][\w-]*:\n|\n[^\s#]/);
  const block = end < 0 ? rest : rest.slice(0, end);
  const line = /^( {6}ACCEPTED_CALLERS: )(?:'([^']*)'|"([^"]*)"|(\S*))[^\n]*$/m.exec(block);
  if (!line) throw new Error(`docker-compose.yml: ${service} has no ACCEPTED_CALLERS line`);
  const current = line[2] ?? line[3] ?? line[4] ?? '';
  const updated = `${line[1]}'${[...current.split(',').filter(Boolean), entry].join(',')}'`;
  const newBlock = block.replace(line[0], updated);
  tree.write(COMPOSE, text.slice(0, start + 1) + newBlock + rest.slice(block.length));
}

/** The DEV-only role and database of a service that owns one, as deploy/postgres/init-databases.sql creates the others. */
export function addInitDatabase(tree: Tree, names: ServiceNames): void {
  const path = 'deploy/postgres/init-databases.sql';
  const text = tree.read(path, 'utf-8') ?? '';
  tree.write(
    path,
    `${text.replace(/\n*$/, '\n')}
CREATE ROLE ${names.database} LOGIN PASSWORD '${dbPassword(names)}';
CREATE DATABASE ${names.database} OWNER ${names.database};
REVOKE ALL ON DATABASE ${names.database} FROM PUBLIC;
`,
  );
}

export const dbPassword = (names: ServiceNames) => `dev-only-${names.api}-db-password`;
export const credentialSecret = (names: ServiceNames) => `dev-only-${names.api}-credential`;

// ── TypeScript project references (what `nx sync` keeps) ─────────────────────────────────────

const WORKSPACE_GLOBS = ['apps', 'libs', 'libs/contracts', 'libs/clients', 'tools'];

/** The folder of a workspace package, by package name. */
export function packageDir(tree: Tree, packageName: string): string {
  for (const parent of WORKSPACE_GLOBS) {
    for (const child of tree.children(parent)) {
      const manifest = posix.join(parent, child, 'package.json');
      if (tree.isFile(manifest) && (JSON.parse(tree.read(manifest, 'utf-8') ?? '{}') as { name?: string }).name === packageName) {
        return posix.join(parent, child);
      }
    }
  }
  throw new Error(`no workspace package is named ${packageName}`);
}

/** The tsconfig a dependent references: an app's tsconfig.app.json, a library's tsconfig.lib.json, else the project's tsconfig.json. */
export function buildTsconfigOf(tree: Tree, dir: string): string {
  for (const file of ['tsconfig.lib.json', 'tsconfig.app.json']) if (tree.exists(posix.join(dir, file))) return posix.join(dir, file);
  return dir;
}

/** `references` for a project at `fromDir` depending on these packages (dependencies and devDependencies). */
export function referencesTo(tree: Tree, fromDir: string, packages: string[]): Array<{ path: string }> {
  return packages.map((name) => ({ path: posix.relative(fromDir, buildTsconfigOf(tree, packageDir(tree, name))) }));
}

export function addRootReferences(tree: Tree, dirs: string[]): void {
  const root = JSON.parse(tree.read('tsconfig.json', 'utf-8') ?? '{}') as { references?: Array<{ path: string }> };
  root.references ??= [];
  for (const dir of dirs) if (!root.references.some((ref) => ref.path === `./${dir}`)) root.references.push({ path: `./${dir}` });
  tree.write('tsconfig.json', `${JSON.stringify(root, null, 2)}\n`);
}
