import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { stripVTControlCharacters } from 'node:util';

/**
 * The promise of the generators: a new service passes lint, typecheck, its tests and the stack
 * checks with NO hand edits. Proven on a scratch copy of this workspace (its tracked and new
 * files, node_modules linked, the workspace packages linked as npm's workspaces link them), in
 * which a System API, a Process API calling it and an Experience API calling that are generated
 * with the real `nx g`, then checked with the same commands CI runs.
 */
const workspaceRoot = resolve(__dirname, '../../..');
const SYSTEM = 'vault-system-api';
const PROCESS = 'safekeeping-process-api';
const EXPERIENCE = 'safekeeping-experience-api';
const GENERATED_PROJECTS = [
  `@bartholomew/${SYSTEM}`,
  '@bartholomew/contracts-vault-system',
  '@bartholomew/clients-vault-system',
  `@bartholomew/${PROCESS}`,
  '@bartholomew/contracts-safekeeping-process',
  '@bartholomew/clients-safekeeping-process',
  `@bartholomew/${EXPERIENCE}`,
  '@bartholomew/contracts-safekeeping-experience',
  '@bartholomew/clients-safekeeping-experience',
];

const childEnv = { ...process.env, CI: 'true', NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', NX_SKIP_NX_CACHE: 'true' };

let scratch: string;
function run(command: string, args: string[], timeoutMs = 600_000): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd: scratch, env: childEnv, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 256 * 1024 * 1024 });
}
/** Passes when the command exited 0; otherwise fails showing the end of its output. */
function expectSuccess(result: SpawnSyncReturns<string>): void {
  const output = stripVTControlCharacters(`${result.stdout ?? ''}${result.stderr ?? ''}`);
  expect({ status: result.status, output: result.status === 0 ? '' : output.slice(-6000) }).toEqual({ status: 0, output: '' });
}

/** Every workspace package (apps, libs, contracts, clients, tools) linked into node_modules/@bartholomew, as `npm install` would. */
function linkWorkspacePackages(): void {
  const scope = join(scratch, 'node_modules/@bartholomew');
  rmSync(scope, { recursive: true, force: true });
  mkdirSync(scope);
  for (const parent of ['apps', 'libs', 'libs/contracts', 'libs/clients', 'tools']) {
    for (const entry of readdirSync(join(scratch, parent), { withFileTypes: true })) {
      const manifest = join(scratch, parent, entry.name, 'package.json');
      if (!entry.isDirectory() || !existsSync(manifest)) continue;
      const { name } = JSON.parse(readFileSync(manifest, 'utf8')) as { name: string };
      symlinkSync(join(scratch, parent, entry.name), join(scratch, 'node_modules', name));
    }
  }
}

/** The tsconfig files `nx sync:check` says are out of sync (none in a committed, synced workspace). */
function outOfSyncFiles(): string[] {
  const check = run('npx', ['nx', 'sync:check']);
  return [...stripVTControlCharacters(`${check.stdout}${check.stderr}`).matchAll(/^(\S+\.json):$/gm)].map((match) => match[1]);
}
let outOfSyncBefore: string[];

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'generators-'));
  const listed = spawnSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: workspaceRoot, encoding: 'utf8' });
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
  for (const file of listed.stdout.split('\0').filter(Boolean)) {
    const from = join(workspaceRoot, file);
    if (!existsSync(from)) continue; // deleted in the work tree, not yet in the index
    mkdirSync(dirname(join(scratch, file)), { recursive: true });
    cpSync(from, join(scratch, file), { verbatimSymlinks: true });
  }
  mkdirSync(join(scratch, 'node_modules'));
  for (const entry of readdirSync(join(workspaceRoot, 'node_modules'))) {
    if (entry !== '@bartholomew') symlinkSync(join(workspaceRoot, 'node_modules', entry), join(scratch, 'node_modules', entry));
  }
});
afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** Seconds since `from`, for the figures the README quotes. */
const secondsSince = (from: number) => Math.round((Date.now() - from) / 1000);

describe('nx g @bartholomew/generators:system-api, process-api and experience-api', () => {
  // From the first `nx g` (the scratch copy is made before it), and to the end of the three.
  let started: number;
  let generatedIn: number;

  it('generate a System API, a Process API calling it and an Experience API calling that, each in one command', () => {
    outOfSyncBefore = outOfSyncFiles();
    started = Date.now();
    expectSuccess(run('npx', ['nx', 'g', '@bartholomew/generators:system-api', 'vault', '--resource=deposit-box', '--skipInstall']));
    expectSuccess(run('npx', ['nx', 'g', '@bartholomew/generators:process-api', 'safekeeping', '--system=vault', '--skipInstall']));
    expectSuccess(run('npx', ['nx', 'g', '@bartholomew/generators:experience-api', 'safekeeping', '--skipInstall']));
    // --skipInstall and linking here instead of `npm install`: node_modules is the real workspace's, linked.
    generatedIn = secondsSince(started);
    linkWorkspacePackages();

    const manifest = JSON.parse(readFileSync(join(scratch, 'services.json'), 'utf8')) as {
      services: Array<{ name: string; layer: string; port: number; calls: Array<{ service: string; urlVariable: string }> }>;
    };
    const declared = (name: string) => manifest.services.find((service) => service.name === name);
    expect(declared(SYSTEM)).toMatchObject({ layer: 'system', calls: [] });
    expect(declared(PROCESS)).toMatchObject({ layer: 'process', calls: [{ service: SYSTEM, urlVariable: 'VAULT_SYSTEM_URL' }] });
    expect(declared(EXPERIENCE)).toMatchObject({ layer: 'experience', calls: [{ service: PROCESS, urlVariable: 'SAFEKEEPING_PROCESS_URL' }] });
    // Next free port of each layer.
    for (const name of [SYSTEM, PROCESS, EXPERIENCE]) {
      const service = declared(name);
      const others = manifest.services.filter((other) => other.layer === service?.layer && other.name !== name).map((other) => other.port);
      expect(service?.port).toBe(Math.max(...others) + 1);
    }
    const compose = readFileSync(join(scratch, 'docker-compose.yml'), 'utf8');
    expect(compose).toContain(`${PROCESS}:process:dev-only-safekeeping-process-credential`);
    expect(compose).toContain(`${EXPERIENCE}:experience:dev-only-safekeeping-experience-credential`);
    // Each typed client carries the layer of the API it calls: what its callers one layer up may use.
    const tagsOf = (dir: string) => (JSON.parse(readFileSync(join(scratch, dir, 'package.json'), 'utf8')) as { nx: { tags: string[] } }).nx.tags;
    expect(tagsOf('libs/clients/vault-system')).toEqual(['layer:system', 'type:client']);
    expect(tagsOf('libs/clients/safekeeping-process')).toEqual(['layer:process', 'type:client']);
    expect(tagsOf('libs/clients/safekeeping-experience')).toEqual(['layer:experience', 'type:client']);
    expect(readFileSync(join(scratch, 'deploy/postgres/init-databases.sql'), 'utf8')).toContain(
      'CREATE DATABASE safekeeping_process_api OWNER safekeeping_process_api;',
    );
  });

  it('refuses a name that already exists, changing nothing', () => {
    const before = readFileSync(join(scratch, 'services.json'), 'utf8');
    const again = run('npx', ['nx', 'g', '@bartholomew/generators:system-api', 'vault']);
    expect(again.status).not.toBe(0);
    expect(`${again.stdout}${again.stderr}`).toContain('vault-system-api is already in services.json');
    expect(readFileSync(join(scratch, 'services.json'), 'utf8')).toBe(before);
  });

  it('leaves the TypeScript project references as `nx sync` would and every file formatted', () => {
    // Nothing the generators wrote is out of sync (a work tree mid-change elsewhere may be; CI's clone is not).
    expect(outOfSyncFiles()).toEqual(outOfSyncBefore);
    const generated = [
      `apps/${SYSTEM}`,
      `apps/${PROCESS}`,
      `apps/${EXPERIENCE}`,
      'libs/contracts/vault-system',
      'libs/clients/vault-system',
      'libs/contracts/safekeeping-process',
      'libs/clients/safekeeping-process',
      'libs/contracts/safekeeping-experience',
      'libs/clients/safekeeping-experience',
    ];
    expectSuccess(run('npx', ['prettier', '--check', ...generated, 'services.json', 'docker-compose.yml', 'tsconfig.json']));
  });

  const runMany = (projects: string[]) =>
    run('npx', ['nx', 'run-many', '-t', 'lint,typecheck,test', '-p', ...projects, '--parallel=2', '--outputStyle=stream'], 840_000);

  it('pass lint, typecheck and their tests as generated (apps, contracts and typed clients), and leave the stack checks green with the new services in the manifest, compose and the init SQL', () => {
    // One run of both, two at a time: the stack checks need none of the generated projects' targets.
    expectSuccess(runMany([...GENERATED_PROJECTS, '@bartholomew/stack-checks']));
    console.log(
      `generators: nx g of three services (${generatedIn} s) to green lint, typecheck and tests of their ${GENERATED_PROJECTS.length} projects and the stack checks in ${secondsSince(started)} s`,
    );
  });
});
