import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DOCKERFILE,
  INFRASTRUCTURE,
  MANIFEST,
  READINESS_PATH,
  REQUIRED_INFRASTRUCTURE,
  SERVICES,
  atRunTime,
  buildArgsOf,
  dockerfilePath,
  healthcheckUrl,
  imageArgsScript,
  layerOfApp,
  loadCompose,
  manifestService,
  parseDockerfile,
  stageEnv,
  workspaceApps,
  workspaceRoot,
  type Dockerfile,
} from './workspace';

const compose = loadCompose();
const apps = workspaceApps();

describe('every app has a compose service, an image built from deploy/Dockerfile and an image build target', () => {
  it('finds the apps', () => {
    expect(apps.length).toBeGreaterThan(0);
  });

  it('compose runs exactly the services of services.json, plus PostgreSQL, Mailpit (and Redis) as infrastructure', () => {
    const names = Object.keys(compose.services);
    const infrastructure = names.filter((name) => !manifestService(name));
    expect(names.filter((name) => manifestService(name)).sort()).toEqual(SERVICES.map((s) => s.name).sort());
    for (const name of infrastructure) expect(`${name} is infrastructure: ${INFRASTRUCTURE.includes(name)}`).toBe(`${name} is infrastructure: true`);
    for (const name of REQUIRED_INFRASTRUCTURE) expect(infrastructure).toContain(name);
  });

  it('every service of services.json is an app under apps/', () => {
    expect(SERVICES.map((s) => s.name).filter((name) => !apps.some((app) => app.name === name))).toEqual([]);
  });

  describe.each(apps.map((app) => [app.name, app] as const))('%s', (name, app) => {
    const declared = manifestService(name);
    const need = () => {
      if (!declared) throw new Error(`apps/${name} is not in services.json: declare it there (layer, port, callers, database, downstreams)`);
      return declared;
    };

    it('is a service of services.json, tagged with its layer, named @bartholomew/<name>', () => {
      expect(layerOfApp(app)).toBe(need().layer);
      expect(app.tags).toContain('type:app');
      expect(app.packageName).toBe(`@bartholomew/${name}`);
    });

    it('owns a database (has migrations) exactly when services.json says so', () => {
      const hasMigrations = existsSync(join(app.dir, 'src/migrations')) || existsSync(join(app.dir, 'src/migrations.ts'));
      expect(`migrations: ${hasMigrations}`).toBe(`migrations: ${need().database}`);
    });

    it('has a compose service built from deploy/Dockerfile with its own SERVICE and PORT', () => {
      const service = compose.services[name];
      expect(service).toBeDefined();
      expect(service.build).toEqual({
        context: '.',
        dockerfile: DOCKERFILE,
        args: buildArgsOf(need()),
      });
      expect(service.image).toBe(`bartholomew/${name}:latest`);
    });

    it('has a docker-build target that builds that same image from the repository root', () => {
      const target = app.targets['docker-build'];
      if (!target) throw new Error(`apps/${name}/package.json has no nx.targets["docker-build"]`);
      const command = target.command ?? String(target.options?.['command'] ?? '');
      expect(command).toMatch(new RegExp(`^docker build .*-f ${DOCKERFILE}\\b`));
      const args = [...command.matchAll(/--build-arg (\w+)=(\S+)/g)].map((match) => [match[1], match[2]]);
      expect(Object.fromEntries(args)).toEqual(buildArgsOf(need()));
      expect(command).toContain(`-t bartholomew/${name}:latest`);
      expect(command).toMatch(/ \.$/); // context: the repository root
      expect(target.options?.['cwd'] ?? '{workspaceRoot}').toBe('{workspaceRoot}');
    });
  });
});

describe('one Dockerfile for every service', () => {
  it('deploy/ holds no per-service Dockerfile copies', () => {
    const deployDir = join(workspaceRoot, 'deploy');
    const copies = readdirSync(deployDir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && existsSync(join(deployDir, entry.name, 'Dockerfile')))
      .map((entry) => `deploy/${entry.name}/Dockerfile`);
    expect(copies).toEqual([]);
  });

  it('each stage declares the build arguments it uses (Docker expands an undeclared one to nothing)', () => {
    const { stages } = parseDockerfile(readFileSync(dockerfilePath, 'utf8'));
    for (const stage of stages) {
      const declared = new Set(stage.instructions.filter((i) => i.keyword === 'ARG').map((i) => i.raw.split('=')[0].trim()));
      for (const arg of ['SERVICE', 'PORT']) {
        const uses = stage.instructions.filter(
          (i) => i.keyword !== 'HEALTHCHECK' && i.keyword !== 'CMD' && new RegExp(`\\$\\{?${arg}\\b`).test(i.raw),
        );
        if (uses.length > 0) expect(`${stage.name}: ARG ${arg} ${declared.has(arg)}`).toBe(`${stage.name}: ARG ${arg} true`);
      }
    }
  });

  describe('deploy/image-args.mjs, the first step of the build, holds the build arguments to services.json', () => {
    const check = (...args: string[]) =>
      spawnSync(process.execPath, [imageArgsScript, ...args], {
        encoding: 'utf8',
      });

    it('accepts each service with its port', () => {
      for (const service of SERVICES) expect(check(service.name, String(service.port)).status).toBe(0);
    });

    it('refuses a service that is not declared, a wrong port, or no arguments, in one line', () => {
      const [first, second] = SERVICES;
      for (const [args, message] of [
        [['ledger-system-api', '3999'], /SERVICE=ledger-system-api is not in services.json/],
        [[first.name, String(second?.port ?? first.port + 1)], new RegExp(`PORT=\\d+ but services.json gives ${first.name} port ${first.port}`)],
        [[], /no SERVICE build argument/],
      ] as const) {
        const run = check(...args);
        expect(run.status).toBe(1);
        expect(run.stderr.trim().split('\n')).toHaveLength(1);
        expect(run.stderr).toMatch(message);
      }
    });
  });
});

/** The stage that runs: the last one. */
const runtimeStage = (dockerfile: Dockerfile) => dockerfile.stages[dockerfile.stages.length - 1];
const instructions = (dockerfile: Dockerfile, keyword: string) =>
  dockerfile.stages.flatMap((stage) => stage.instructions.filter((i) => i.keyword === keyword).map((i) => i.args));

describe.each(SERVICES.map((s) => [s.name, s] as const))('deploy/Dockerfile built for %s', (name, service) => {
  const { port } = service;
  const dockerfile = existsSync(dockerfilePath) ? parseDockerfile(readFileSync(dockerfilePath, 'utf8'), buildArgsOf(service)) : undefined;
  const need = () => {
    if (!dockerfile) throw new Error(`${dockerfilePath} is missing`);
    return dockerfile;
  };

  it('is multi-stage, every stage on Node 24 slim', () => {
    const { stages } = need();
    expect(stages.length).toBeGreaterThanOrEqual(3);
    for (const stage of stages) expect(stage.from).toMatch(/^node:24(\.\d+)*(\.\d+)?-(\w+-)?slim(@sha256:[0-9a-f]{64})?$/);
  });

  it('checks its build arguments against services.json, builds this app with the workspace toolchain and derives its production dependencies from the bundle', () => {
    const run = instructions(need(), 'RUN').join('\n');
    const build = need().stages.find((stage) => stage.name === 'build');
    expect(build?.instructions.find((i) => i.keyword === 'RUN')?.args).toBe(`node image-args.mjs "${name}" "${port}"`);
    expect(run).toContain('npm ci');
    expect(run).toContain(`nx run @bartholomew/${name}:build`);
    expect(run).toContain(`node deploy/prune-deps.mjs ${name}`);
    expect(run).toMatch(/npm ci --omit=dev/);
  });

  it('ships only the bundle, its pruned node_modules and the health probe', () => {
    const copies = runtimeStage(need())
      .instructions.filter((i) => i.keyword === 'COPY')
      .map((i) => i.args);
    expect(copies.join('\n')).toContain(`dist/apps/${name}/main.js`);
    expect(copies.some((args) => /--from=\S+ \/app\/node_modules/.test(args))).toBe(true);
    expect(copies.some((args) => args.startsWith('deploy/healthcheck.cjs'))).toBe(true);
    // No plain `COPY . .` into the runtime: sources and the workspace's node_modules stay out.
    expect(copies.filter((args) => !args.startsWith('--from=') && !args.startsWith('deploy/'))).toEqual([]);
  });

  it('runs as a non-root user', () => {
    const users = runtimeStage(need())
      .instructions.filter((i) => i.keyword === 'USER')
      .map((i) => i.args.split(':')[0]);
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
    const url = healthcheckUrl(atRunTime(healthchecks[0].args.replace(/^.*?\bCMD\s+/, ''), env));
    expect(url?.toString()).toBe(`http://127.0.0.1:${port}${READINESS_PATH}`);
    expect(healthchecks[0].args).toContain('/app/healthcheck.cjs');
    expect(stage.instructions.find((i) => i.keyword === 'CMD')?.args).toBe('["node", "main.js"]');
  });

  it("runs Node with services.json's nodeOptions, as npm start and the test stacks do", () => {
    expect(stageEnv(runtimeStage(need()))['NODE_OPTIONS']).toBe(MANIFEST.nodeOptions);
  });
});

describe('.dockerignore', () => {
  it('keeps installed, built and local-only files out of every build context', () => {
    const ignored = readFileSync(join(workspaceRoot, '.dockerignore'), 'utf8')
      .split('\n')
      .map((line) => line.trim());
    for (const entry of ['**/node_modules', 'dist', '.git', '.data', '.tools', '.nx', '**/.env']) expect(ignored).toContain(entry);
  });
});
