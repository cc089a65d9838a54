import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { loadConfig } from '@bartholomew/platform/server';
import {
  SERVICES,
  apiCallsOf,
  backendCallsOf,
  dockerfilePath,
  loadAppConfigSchema,
  manifestPath,
  manifestService,
  parseDockerfile,
  workspaceApps,
  workspaceRoot,
} from './workspace';

/**
 * tools/start-stack.mjs (`npm start`) is plain Node; its supervision lives in
 * tools/stack-supervisor.mjs and its Node check in tools/node-version.mjs, tested here with real
 * child processes and a recorded (not waited) backoff.
 */
interface Service {
  name: string;
  layer: string;
}
interface SupervisorModule {
  Supervisor: new (options: {
    spawnService: (service: Service) => ChildProcess;
    waitUntilReady: (service: Service, child: ChildProcess) => Promise<void>;
    log: (message: string) => void;
    backoff?: { initialMs: number; maxMs: number; resetAfterMs: number };
    setTimer?: (fn: () => void, ms: number) => unknown;
    clearTimer?: (handle: unknown) => void;
    now?: () => number;
  }) => { start(service: Service): Promise<void>; stop(): Promise<void> };
  startByLayer: (services: Service[], start: (service: Service) => Promise<void>) => Promise<void>;
}
const loadSupervisor = async () => (await import(join(workspaceRoot, 'tools/stack-supervisor.mjs'))) as SupervisorModule;

/** A process that says "ready" and lives until SIGTERM (then exits 0), or one that dies at once with `code`. */
const alive = () =>
  spawn(process.execPath, ['-e', "process.on('SIGTERM', () => process.exit(0)); setInterval(() => {}, 1000); console.log('ready');"], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
const dying = (code: number) => spawn(process.execPath, ['-e', `process.exit(${code})`], { stdio: 'ignore' });
/** Ready: it said so (alive), or it exited (dying; the supervisor sees the exit). */
const started = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    child.stdout?.once('data', () => resolve());
    child.once('exit', () => resolve());
  });
const waitFor = async (condition: () => boolean) => {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
};

describe('tools/stack-supervisor.mjs: services that die after start-up are restarted', () => {
  const backoff = { initialMs: 1_000, maxMs: 8_000, resetAfterMs: 60_000 };

  it('says so and restarts a service that keeps dying, doubling the delay up to the cap', async () => {
    const { Supervisor } = await loadSupervisor();
    const delays: number[] = [];
    const messages: string[] = [];
    let spawns = 0;
    const supervisor = new Supervisor({
      // Starts fine, then dies with code 3 every time it is started again.
      spawnService: () => (++spawns === 1 ? alive() : dying(3)),
      waitUntilReady: async (_service, child) => started(child),
      log: (message) => messages.push(message),
      backoff,
      setTimer: (fn, ms) => {
        delays.push(ms);
        setImmediate(fn);
        return ms;
      },
      now: () => 0,
    });
    const first = { name: 'ledger-system-api', layer: 'system' };
    await supervisor.start(first);
    expect(spawns).toBe(1);
    // The first process dies after start-up (as a crash would):
    const firstChild = (supervisor as unknown as { running: Map<string, { child: ChildProcess }> }).running.get(first.name)?.child;
    firstChild?.kill('SIGKILL');
    await waitFor(() => delays.length >= 6);
    await supervisor.stop();

    expect(delays.slice(0, 6)).toEqual([1_000, 2_000, 4_000, 8_000, 8_000, 8_000]);
    expect(messages[0]).toBe('ledger-system-api died (signal SIGKILL); restarting in 1 s (restart 1)');
    expect(messages).toContain('ledger-system-api died (code 3); restarting in 8 s (restart 4)');
  });

  it('starts the backoff over for a service that had stayed up a while', async () => {
    const { Supervisor } = await loadSupervisor();
    const delays: number[] = [];
    let clock = 0;
    const children: ChildProcess[] = [];
    const supervisor = new Supervisor({
      spawnService: () => {
        const child = alive();
        children.push(child);
        return child;
      },
      waitUntilReady: async (_service, child) => started(child),
      log: () => undefined,
      backoff,
      setTimer: (fn, ms) => {
        delays.push(ms);
        setImmediate(fn);
        return ms;
      },
      now: () => clock,
    });
    await supervisor.start({ name: 'ledger-system-api', layer: 'system' });
    children[0].kill('SIGKILL'); // dies at once: 1 s
    await waitFor(() => children.length === 2);
    children[1].kill('SIGKILL'); // dies again soon: 2 s
    await waitFor(() => children.length === 3);
    clock += backoff.resetAfterMs; // then runs for a minute before dying: 1 s again
    children[2].kill('SIGKILL');
    await waitFor(() => children.length === 4);
    await supervisor.stop();
    expect(delays).toEqual([1_000, 2_000, 1_000]);
  });

  it('never restarts during shutdown: stop() cancels a pending restart and SIGTERMs every service, which exit before it resolves', async () => {
    const { Supervisor } = await loadSupervisor();
    const pending: Array<() => void> = [];
    const cleared: unknown[] = [];
    const children: ChildProcess[] = [];
    const supervisor = new Supervisor({
      spawnService: () => {
        const child = alive();
        children.push(child);
        return child;
      },
      waitUntilReady: async (_service, child) => started(child),
      log: () => undefined,
      backoff,
      setTimer: (fn) => {
        pending.push(fn);
        return pending.length;
      },
      clearTimer: (handle) => cleared.push(handle),
    });
    await supervisor.start({ name: 'ledger-system-api', layer: 'system' });
    await supervisor.start({ name: 'cards-system-api', layer: 'system' });
    children[0].kill('SIGKILL');
    await waitFor(() => pending.length === 1); // a restart is scheduled...
    await supervisor.stop(); // ...and Ctrl-C comes first
    pending[0](); // even if the timer fired anyway
    expect(cleared).toEqual([1]);
    expect(children).toHaveLength(2); // nothing was started again
    expect(children[1].signalCode).toBe(null);
    expect(children[1].exitCode).toBe(0); // exited on SIGTERM, gracefully, before stop() resolved
  });
});

describe('tools/stack-supervisor.mjs: startByLayer', () => {
  it('starts the services of one layer in parallel, and a layer only once the one below is ready', async () => {
    const { startByLayer } = await loadSupervisor();
    const services = [
      { name: 'a-system-api', layer: 'system' },
      { name: 'b-system-api', layer: 'system' },
      { name: 'c-process-api', layer: 'process' },
      { name: 'd-experience-api', layer: 'experience' },
      { name: 'e-experience-api', layer: 'experience' },
    ];
    const events: string[] = [];
    const ready = new Map<string, () => void>();
    const run = startByLayer(services, (service) => {
      events.push(`start ${service.name}`);
      return new Promise<void>((resolve) => ready.set(service.name, resolve));
    });
    await waitFor(() => ready.size === 2);
    expect(events).toEqual(['start a-system-api', 'start b-system-api']); // both, before either is ready
    ready.get('a-system-api')?.();
    await new Promise((resolve) => setImmediate(resolve));
    expect(events).not.toContain('start c-process-api'); // b is not ready yet
    ready.get('b-system-api')?.();
    await waitFor(() => ready.size === 3);
    ready.get('c-process-api')?.();
    await waitFor(() => ready.size === 5);
    expect(events.slice(3)).toEqual(['start d-experience-api', 'start e-experience-api']);
    ready.get('d-experience-api')?.();
    ready.get('e-experience-api')?.();
    await run;
  });

  it('stops at a layer that fails and starts nothing above it', async () => {
    const { startByLayer } = await loadSupervisor();
    const startedNames: string[] = [];
    const run = startByLayer(
      [
        { name: 'a-system-api', layer: 'system' },
        { name: 'c-process-api', layer: 'process' },
      ],
      async (service) => {
        startedNames.push(service.name);
        if (service.layer === 'system') throw new Error('a-system-api exited with code 1');
      },
    );
    await expect(run).rejects.toThrow('a-system-api exited with code 1');
    expect(startedNames).toEqual(['a-system-api']);
  });
});

describe('an unsupported Node is refused in one line (tools/node-version.mjs)', () => {
  const script = join(workspaceRoot, 'tools/node-version.mjs');
  const engines = (
    JSON.parse(readFileSync(join(workspaceRoot, 'package.json'), 'utf8')) as {
      engines: { node: string };
      scripts: Record<string, string>;
    }
  ).engines.node;
  const check = (version: string) =>
    spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { nodeVersionProblem } from ${JSON.stringify(script)}; console.log(nodeVersionProblem(${JSON.stringify(version)}) ?? 'ok');`,
      ],
      {
        encoding: 'utf8',
      },
    ).stdout.trim();

  it(`accepts the Node of package.json engines (${engines}) and this one`, () => {
    expect(check('24.0.0')).toBe('ok');
    expect(check(process.versions.node)).toBe('ok');
    expect(spawnSync(process.execPath, [script], { encoding: 'utf8' }).status).toBe(0);
  });

  it("refuses a real install on the machine's old Node, but not npm's lock-file check (npm ci --dry-run), which installs nothing", () => {
    // Debian's Node 20 is on these machines and CI's; Node 24 comes from .ci/run.
    const oldNode = '/usr/bin/node';
    const version = spawnSync(oldNode, ['--version'], { encoding: 'utf8' }).stdout.trim();
    expect(version).toMatch(/^v(1\d|20|21)\./);
    const run = (env: Record<string, string>) => spawnSync(oldNode, [script], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin', ...env } });
    const install = run({});
    expect(install.status).toBe(1);
    expect(install.stderr.trim().split('\n')).toHaveLength(1);
    expect(run({ npm_config_dry_run: 'true' }).status).toBe(0);
  });

  it('refuses Node 20 and Node 25 with one line naming Node 24', () => {
    for (const version of ['20.20.2', '25.1.0']) {
      const line = check(version);
      expect(line.split('\n')).toHaveLength(1);
      expect(line).toBe(
        `This workspace needs Node 24 (package.json engines: "${engines}"); this is Node ${version}. Switch with \`nvm use\` (.nvmrc) or install Node 24, then run the command again.`,
      );
    }
  });

  it('runs before npm ci installs (preinstall) and before npm start loads anything of the workspace', () => {
    const pkg = JSON.parse(readFileSync(join(workspaceRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts['preinstall']).toBe('node tools/node-version.mjs');
    const launcher = readFileSync(join(workspaceRoot, 'tools/start-stack.mjs'), 'utf8');
    // Static imports are loaded before any statement runs: only built-ins and the plain modules.
    const staticImports = [...launcher.matchAll(/^import .* from '([^']+)';$/gm)].map((match) => match[1]);
    expect(staticImports.filter((from) => !from.startsWith('node:'))).toEqual(['./node-version.mjs', './stack-supervisor.mjs', './log-lines.mjs']);
    expect(launcher.indexOf('requireSupportedNode();')).toBeLessThan(launcher.indexOf("await import('./dev-token.mjs')"));
  });

  it('npm start execs the launcher, so a SIGTERM or SIGINT sent to npm stops the stack instead of orphaning it', () => {
    const pkg = JSON.parse(readFileSync(join(workspaceRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    // Without `exec`, npm's shell sits between npm and the launcher: npm exits on SIGTERM and ignores
    // SIGINT, the shell passes neither on, and six services and PostgreSQL keep running (the next
    // npm start then finds their ports and PostgreSQL's lock taken).
    expect(pkg.scripts['start']).toBe('exec node tools/start-stack.mjs');
  });

  it('the image build keeps the preinstall script next to the manifests (stage 1 of deploy/Dockerfile, run in a folder)', () => {
    const manifests = parseDockerfile(readFileSync(dockerfilePath, 'utf8')).stages.find((stage) => stage.name === 'manifests');
    const command = manifests?.instructions.find((i) => i.keyword === 'RUN')?.args ?? '';
    const dir = mkdtempSync(join(tmpdir(), 'stack-checks-manifests-'));
    try {
      for (const file of [
        'package.json',
        'package-lock.json',
        'tools/node-version.mjs',
        'tools/start-stack.mjs',
        'apps/a/package.json',
        'apps/a/src/main.ts',
      ]) {
        mkdirSync(join(dir, dirname(file)), { recursive: true });
        writeFileSync(join(dir, file), '{}');
      }
      expect(spawnSync('sh', ['-c', command], { cwd: dir }).status).toBe(0);
      const left = spawnSync('find', ['.', '-type', 'f'], {
        cwd: dir,
        encoding: 'utf8',
      })
        .stdout.split('\n')
        .filter(Boolean)
        .map((file) => relative('.', file))
        .sort();
      expect(left).toEqual(['apps/a/package.json', 'package-lock.json', 'package.json', 'tools/node-version.mjs']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the launcher in a terminal', () => {
  const readable = async () =>
    ((await import(join(workspaceRoot, 'tools/log-lines.mjs'))) as { readableLogLine: (service: string, line: string) => string }).readableLogLine;

  it('turns an access line into one readable line', async () => {
    const line = JSON.stringify({
      level: 30,
      time: Date.UTC(2026, 0, 2, 12, 4, 5, 123),
      pid: 1,
      hostname: 'h',
      reqId: 'r-1',
      req: { method: 'GET', url: '/v1/home' },
      res: { statusCode: 200 },
      responseTime: 3.1,
      msg: 'request completed',
    });
    expect((await readable())('mobile-experience-api', line)).toBe(
      '12:04:05.123 INFO  mobile-experience-api  request completed  GET /v1/home → 200 in 3.1 ms  (request r-1)',
    );
  });

  it('shows warnings with their fields and errors with their message', async () => {
    const line = JSON.stringify({ level: 50, time: 0, msg: 'request failed', err: { message: 'boom' }, component: 'worker' });
    expect((await readable())('onboarding-process-api', line)).toBe(
      '00:00:00.000 ERROR onboarding-process-api request failed  error: boom  component=worker',
    );
  });

  it('passes a line that is not JSON through', async () => {
    expect((await readable())('billing-system-api', 'plain text')).toBe('billing-system-api  plain text');
  });
});

describe('tools/start-stack.mjs: the environment it starts each service with', () => {
  /** The launcher's own environmentOf for every service of services.json, run as `npm start` runs it (an ES module in Node). */
  const launcherEnvironments = (hostEnv: Record<string, string>) => {
    const script = `
      import { readFileSync } from 'node:fs';
      import { environmentOf } from ${JSON.stringify(join(workspaceRoot, 'tools/start-stack.mjs'))};
      const services = JSON.parse(readFileSync(${JSON.stringify(manifestPath)}, 'utf8')).services;
      const secrets = Object.fromEntries([...services.map((s) => s.name), 'operator'].map((name) => [name, 'secret-of-' + name]));
      const run = { hostEnv: ${JSON.stringify(hostEnv)}, secrets, databaseUrl: (database) => 'postgres://postgres@127.0.0.1:5432/' + database, jwks: '{"keys":[]}' };
      console.log(JSON.stringify(Object.fromEntries(services.map((service) => [service.name, environmentOf(service, run)]))));`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: workspaceRoot, encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`the launcher's environmentOf failed:\n${run.stderr}`);
    return JSON.parse(run.stdout) as Record<string, Record<string, string>>;
  };
  let defaults: Record<string, Record<string, string>> | undefined;
  /** With nothing set in the shell: `npm start`. */
  const defaultEnvironments = () => (defaults ??= launcherEnvironments({}));
  const callersOfBackends = SERVICES.filter((s) => backendCallsOf(s).length > 0);

  it.each(callersOfBackends.map((s) => [s.name, s] as const))(
    '%s gets the loopback host and protocol port of each backend it calls, and a credential only for the APIs it calls',
    (name, service) => {
      const env = defaultEnvironments()[name];
      for (const call of backendCallsOf(service))
        expect({ host: env[call.hostVariable], port: env[call.portVariable] }).toEqual({
          host: '127.0.0.1',
          port: String(manifestService(call.service)?.protocolPort?.port),
        });
      expect('SERVICE_CREDENTIAL_SECRET' in env).toBe(apiCallsOf(service).length > 0);
    },
  );

  it('passes CORE_BANKING_BACKEND on from the shell: `CORE_BANKING_BACKEND=mainframe npm start` puts the account System API on the gateway', async () => {
    const environments = launcherEnvironments({ CORE_BANKING_BACKEND: 'mainframe' });
    const gateway = SERVICES.find((s) => s.layer === 'backend');
    const app = workspaceApps().find((candidate) => candidate.name === 'account-system-api');
    if (!app || !gateway) throw new Error('apps/account-system-api or the backend of services.json is missing');
    const { schema } = await loadAppConfigSchema(app);
    const config = loadConfig(schema, environments[app.name]) as Record<string, unknown>;
    expect([config['CORE_BANKING_BACKEND'], config['CORE_BANKING_GATEWAY_HOST'], config['CORE_BANKING_GATEWAY_PORT']]).toEqual([
      'mainframe',
      '127.0.0.1',
      gateway.protocolPort?.port,
    ]);
    expect(environments[gateway.name][gateway.protocolPort?.variable ?? '']).toBe(String(gateway.protocolPort?.port)); // where it listens
  });

  it.each(
    workspaceApps()
      .filter((app) => manifestService(app.name))
      .map((app) => [app.name, app] as const),
  )('%s loads its config from what the launcher gives it', async (name, app) => {
    const { schema } = await loadAppConfigSchema(app);
    expect(() => loadConfig(schema, defaultEnvironments()[name])).not.toThrow();
  });
});
