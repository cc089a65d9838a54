import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ARCHITECTURE_SERVICES,
  MAILPIT,
  POSTGRES,
  READINESS_PATH,
  architectureService,
  dockerfilePath,
  healthcheckUrl,
  layerOfApp,
  loadCompose,
  parseDockerfile,
  stageEnv,
  workspaceApps,
  workspaceRoot,
  type Dockerfile,
} from './workspace';

const compose = loadCompose();
const apps = workspaceApps();

describe('every app has a compose service, a Dockerfile and an image build target', () => {
  it('finds the apps', () => {
    expect(apps.length).toBeGreaterThan(0);
  });

  it('compose runs exactly the services of ARCHITECTURE.md, PostgreSQL and Mailpit', () => {
    expect(Object.keys(compose.services).sort()).toEqual([...ARCHITECTURE_SERVICES.map((s) => s.name), MAILPIT, POSTGRES].sort());
  });

  describe.each(apps.map((app) => [app.name, app] as const))('%s', (name, app) => {
    it('is a service of ARCHITECTURE.md, tagged with its layer', () => {
      const expected = architectureService(name);
      if (!expected) throw new Error(`apps/${name} is not in ARCHITECTURE.md's service table: add it there, to docker-compose.yml and to tools/stack-checks`);
      expect(layerOfApp(app)).toBe(expected.layer);
    });

    it('has a compose service built from its own Dockerfile', () => {
      const service = compose.services[name];
      expect(service).toBeDefined();
      expect(service.build).toEqual({ context: '.', dockerfile: `deploy/${name}/Dockerfile` });
      expect(service.image).toBe(`bartholomew/${name}:latest`);
    });

    it('has a docker-build target that builds that same image from the repository root', () => {
      const target = app.targets['docker-build'];
      if (!target) throw new Error(`apps/${name}/package.json has no nx.targets["docker-build"]`);
      const command = target.command ?? String(target.options?.['command'] ?? '');
      expect(command).toMatch(new RegExp(`^docker build .*-f deploy/${name}/Dockerfile\\b`));
      expect(command).toContain(`-t bartholomew/${name}:latest`);
      expect(command).toMatch(/ \.$/); // context: the repository root
      expect(target.options?.['cwd'] ?? '{workspaceRoot}').toBe('{workspaceRoot}');
    });
  });
});

/** The stage that runs: the last one. */
const runtimeStage = (dockerfile: Dockerfile) => dockerfile.stages[dockerfile.stages.length - 1];
const instructions = (dockerfile: Dockerfile, keyword: string) =>
  dockerfile.stages.flatMap((stage) => stage.instructions.filter((i) => i.keyword === keyword).map((i) => i.args));

describe.each(ARCHITECTURE_SERVICES.map((s) => [s.name, s] as const))('deploy/%s/Dockerfile', (name, { port }) => {
  const path = dockerfilePath(name);
  const dockerfile = existsSync(path) ? parseDockerfile(readFileSync(path, 'utf8')) : undefined;
  const need = () => {
    if (!dockerfile) throw new Error(`${path} is missing`);
    return dockerfile;
  };

  it('is multi-stage, every stage on Node 24 slim', () => {
    const { stages } = need();
    expect(stages.length).toBeGreaterThanOrEqual(3);
    for (const stage of stages) expect(stage.from).toMatch(/^node:24(\.\d+)*(\.\d+)?-(\w+-)?slim(@sha256:[0-9a-f]{64})?$/);
  });

  it('builds this app with the workspace toolchain and derives its production dependencies from the bundle', () => {
    const run = instructions(need(), 'RUN').join('\n');
    expect(run).toContain('npm ci');
    expect(run).toContain(`nx run @bartholomew/${name}:build`);
    expect(run).toContain(`node deploy/prune-deps.mjs ${name}`);
    expect(run).toMatch(/npm ci --omit=dev/);
  });

  it('ships only the bundle, its pruned node_modules and the health probe', () => {
    const copies = runtimeStage(need()).instructions.filter((i) => i.keyword === 'COPY').map((i) => i.args);
    expect(copies.join('\n')).toContain(`dist/apps/${name}/main.js`);
    expect(copies.some((args) => /--from=\S+ \/app\/node_modules/.test(args))).toBe(true);
    expect(copies.some((args) => args.startsWith('deploy/healthcheck.cjs'))).toBe(true);
    // No plain `COPY . .` into the runtime: sources and the workspace's node_modules stay out.
    expect(copies.filter((args) => !args.startsWith('--from=') && !args.startsWith('deploy/'))).toEqual([]);
  });

  it('runs as a non-root user', () => {
    const users = runtimeStage(need()).instructions.filter((i) => i.keyword === 'USER').map((i) => i.args.split(':')[0]);
    expect(users.length).toBeGreaterThan(0);
    expect(['root', '0']).not.toContain(users[users.length - 1]);
  });

  it(`listens on 0.0.0.0:${port} and checks ${READINESS_PATH} on that port`, () => {
    const stage = runtimeStage(need());
    const env = stageEnv(stage);
    expect(env['HOST']).toBe('0.0.0.0');
    expect(env['PORT']).toBe(String(port));
    expect(stage.instructions.filter((i) => i.keyword === 'EXPOSE').map((i) => i.args)).toEqual([String(port)]);
    const healthchecks = stage.instructions.filter((i) => i.keyword === 'HEALTHCHECK');
    expect(healthchecks).toHaveLength(1);
    const url = healthcheckUrl(healthchecks[0].args);
    expect(url?.toString()).toBe(`http://127.0.0.1:${port}${READINESS_PATH}`);
    expect(healthchecks[0].args).toContain('/app/healthcheck.cjs');
    expect(stage.instructions.find((i) => i.keyword === 'CMD')?.args).toBe('["node", "main.js"]');
  });
});

describe('.dockerignore', () => {
  it('keeps installed, built and local-only files out of every build context', () => {
    const ignored = readFileSync(join(workspaceRoot, '.dockerignore'), 'utf8').split('\n').map((line) => line.trim());
    for (const entry of ['**/node_modules', 'dist', '.git', '.data', '.tools', '.nx', '**/.env']) expect(ignored).toContain(entry);
  });
});
