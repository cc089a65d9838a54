/**
 * `npm run bench`: what the layers cost, measured. Starts the five services (built bundles) and
 * two baselines as separate processes on real PostgreSQL, drives load from its own process, sums
 * CPU over every process involved (PostgreSQL backends included), and writes docs/performance.md.
 * `--quick` (CI): short runs, few connections, report to tools/bench/out/performance.md.
 * See tools/bench/README.md.
 */
import { execFile } from 'node:child_process';
import { randomInt, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { promisify } from 'node:util';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '@bartholomew/testing';
import { startLoadProcess, type LoadProcess } from './load/load-client';
import type { HttpCall, OnboardedUser } from './load/protocol';
import { createProcess, type MeasuredProcess } from './processes';
import { backendPids, cpuMsBetween, residentMemoryOf, rssBytesOf, snapshotCpu, type ResidentMemory } from './proc-stats';
import { machine, fmt, renderReport, type LoadRow, type Report, type Target } from './report';
import { ROOT, SERVICES, STACK_SETTINGS, createBenchStack, type BenchStack } from './stack';
import { breakerState, parsePrometheus, requestsAnswered, summarize, type Sample } from './stats';
import { DEV_ISSUER, createSigningKey } from './tokens';

const run = promisify(execFile);
const MiB = 1024 * 1024;
/** How long the bench's app asks the mobile Experience API to hold an unchanged answer (Prefer: wait). */
const FOLLOW_WAIT_S = 10;

interface Profile {
  name: 'quick' | 'full';
  out: string;
  connections: number;
  warmupMs: number;
  durationMs: number;
  /** Customers onboarded before the read scenarios (their home screens are what is read). */
  users: number;
  idleSettleMs: number;
  onboardingMs: number;
  onboardingLatencyCount: number;
  outage: {
    ratePerSecond: number;
    beforeMs: number;
    freezeMs: number;
    afterMs: number;
  };
}

function profileFrom(args: string[]): Profile {
  const quick = args.includes('--quick');
  const value = (flag: string) => {
    const index = args.indexOf(flag);
    return index >= 0 ? args[index + 1] : undefined;
  };
  const profile: Profile = quick
    ? {
        name: 'quick',
        out: resolve(ROOT, 'tools/bench/out/performance.md'),
        connections: 4,
        warmupMs: 500,
        durationMs: 1_500,
        users: 2,
        idleSettleMs: 500,
        onboardingMs: 3_000,
        onboardingLatencyCount: 2,
        outage: {
          ratePerSecond: 50,
          beforeMs: 1_000,
          freezeMs: 3_000,
          afterMs: 1_000,
        },
      }
    : {
        name: 'full',
        out: resolve(ROOT, 'docs/performance.md'),
        connections: 32,
        warmupMs: 5_000,
        durationMs: 15_000,
        users: 32,
        idleSettleMs: 3_000,
        onboardingMs: 30_000,
        onboardingLatencyCount: 20,
        outage: {
          ratePerSecond: 100,
          beforeMs: 3_000,
          freezeMs: 10_000,
          afterMs: 5_000,
        },
      };
  const out = value('--out');
  const connections = value('--connections');
  const duration = value('--duration');
  const warmup = value('--warmup');
  const onboardingDuration = value('--onboarding-duration');
  if (out) profile.out = resolve(out);
  if (connections) profile.connections = Number(connections);
  if (duration) profile.durationMs = Number(duration) * 1000;
  if (warmup) profile.warmupMs = Number(warmup) * 1000;
  if (onboardingDuration) profile.onboardingMs = Number(onboardingDuration) * 1000;
  if (!Number.isInteger(profile.connections) || profile.connections < 1) throw new Error('--connections must be a positive integer');
  if (!Number.isFinite(profile.durationMs) || profile.durationMs <= 0) throw new Error('--duration must be a positive number of seconds');
  if (!Number.isFinite(profile.warmupMs) || profile.warmupMs < 0) throw new Error('--warmup must be a number of seconds');
  if (!Number.isFinite(profile.onboardingMs) || profile.onboardingMs <= 0)
    throw new Error('--onboarding-duration must be a positive number of seconds');
  return profile;
}

/** What a measured window spends: processes whose CPU and RSS count, and the databases whose backends count. */
interface Measured {
  processes: MeasuredProcess[];
  databases: string[];
}

async function metricsOf(service: MeasuredProcess): Promise<Sample[]> {
  const res = await fetch(`${service.baseUrl}/metrics`, {
    signal: AbortSignal.timeout(5_000),
  });
  if (!res.ok) throw new Error(`${service.name} /metrics answered ${res.status}`);
  return parsePrometheus(await res.text());
}

/** Copies a database with pg_dump | psql, so the monolith reads the same rows without sharing the services' databases. */
async function copyDatabase(from: TestDatabase): Promise<TestDatabase> {
  const copy = await createTestDatabase();
  await run('bash', ['-o', 'pipefail', '-c', 'pg_dump --no-owner --no-privileges -d "$FROM" | psql -q -v ON_ERROR_STOP=1 -d "$TO" >/dev/null'], {
    env: { ...process.env, FROM: from.url, TO: copy.url },
  });
  return copy;
}

/**
 * The monolith must show the same home screen as the layered path, or it is not a baseline of
 * the same work (an empty answer would be fast for the wrong reason).
 */
async function expectSameHome(user: OnboardedUser, mobile: MeasuredProcess, monolith: MeasuredProcess): Promise<void> {
  const homeFrom = async (service: MeasuredProcess) => {
    const res = await fetch(`${service.baseUrl}/v1/home`, {
      headers: { authorization: `Bearer ${user.token}` },
    });
    if (res.status !== 200) throw new Error(`${service.name} GET /v1/home answered ${res.status}`);
    const { accounts } = (await res.json()) as {
      accounts: Array<Record<string, unknown>>;
    };
    return JSON.stringify(
      accounts.map(({ id, name, number, balance, available, currency }) => ({
        id,
        name,
        number,
        balance,
        available,
        currency,
      })),
    );
  };
  const [layered, direct] = await Promise.all([homeFrom(mobile), homeFrom(monolith)]);
  if (layered !== direct || layered === '[]') throw new Error(`the monolith's home screen differs from the layered one:\n${direct}\n${layered}`);
}

async function main(): Promise<void> {
  const profile = profileFrom(process.argv.slice(2));
  if (!process.env.TEST_DATABASE_URL)
    throw new Error('TEST_DATABASE_URL must name the PostgreSQL server to use, e.g. postgres://postgres@127.0.0.1:5432/postgres');
  const workDir = mkdtempSync(join(tmpdir(), 'bartholomew-bench-'));
  const admin = new pg.Client({
    connectionString: process.env.TEST_DATABASE_URL,
  });
  admin.on('error', () => undefined);
  await admin.connect();
  const key = await createSigningKey();
  const cleanups: Array<() => Promise<unknown>> = [];
  const notes: string[] = [];
  const figures: Report['figures'] = [];
  const rows: LoadRow[] = [];
  let load: LoadProcess | undefined;
  const log = (message: string) => console.log(`[bench] ${message}`);

  try {
    // --- Five services ready from start (fresh databases: migrations included) ---
    const stack: BenchStack = await createBenchStack({ logDir: workDir, key });
    cleanups.push(() => stack.close());
    log('starting the five services at once');
    const coldStartMs = await stack.startAll();
    log(`all five ready in ${fmt(coldStartMs, 0)} ms`);
    const services = stack.services;
    const servicePids = () => SERVICES.map((name) => services[name]);

    await delay(profile.idleSettleMs);
    const idleMemory: Record<string, ResidentMemory> = Object.fromEntries(SERVICES.map((name) => [name, residentMemoryOf(services[name].pid())]));

    load = startLoadProcess(__dirname);
    const loadProcess = load;
    let nextUserIndex = 0;
    // Each sign-up is followed as the app follows one: a long poll (Prefer: wait), unless a run says otherwise.
    const onboard = async (options: { connections: number; count?: number; durationMs?: number; waitSeconds?: number }) => {
      const result = await loadProcess.onboard({
        mobileOrigin: services['mobile-experience-api'].baseUrl,
        key: { kid: key.kid, privateJwk: key.privateJwk },
        pollIntervalMs: 50,
        waitSeconds: FOLLOW_WAIT_S,
        firstIndex: nextUserIndex,
        ...options,
      });
      nextUserIndex += 1_000_000;
      return result;
    };

    // --- Customers to read: each with one completed onboarding, one account, one billing account ---
    log(`onboarding ${profile.users} customers to read`);
    const seeded = await onboard({
      connections: Math.min(profile.users, 8),
      count: profile.users,
    });
    if (seeded.completed.length !== profile.users)
      throw new Error(`seeding onboarded ${seeded.completed.length} of ${profile.users}: ${seeded.failures.join('; ')}`);
    const users: OnboardedUser[] = seeded.completed;

    // --- Baselines ---
    log('copying the databases for the monolith');
    const copies = {
      process: await copyDatabase(stack.databases['onboarding-process-api']),
      account: await copyDatabase(stack.databases['account-system-api']),
      billing: await copyDatabase(stack.databases['billing-system-api']),
    };
    cleanups.push(() => Promise.allSettled(Object.values(copies).map((copy) => copy.drop())));
    const bare = await createProcess({
      name: 'bare-fastify',
      bundle: join(__dirname, 'bare-fastify.js'),
      env: {},
      logDir: workDir,
    });
    const bareHop = await createProcess({
      name: 'bare-hop',
      bundle: join(__dirname, 'bare-fastify.js'),
      env: { UPSTREAM_URL: bare.baseUrl },
      logDir: workDir,
    });
    const monolith = await createProcess({
      name: 'monolith',
      bundle: join(__dirname, 'monolith.js'),
      env: {
        PROCESS_DATABASE_URL: copies.process.url,
        ACCOUNT_DATABASE_URL: copies.account.url,
        BILLING_DATABASE_URL: copies.billing.url,
        JWT_PUBLIC_KEYS: key.jwks,
        JWT_ISSUER: DEV_ISSUER,
        JWT_AUDIENCE: 'mobile-experience-api',
      },
      logDir: workDir,
    });
    cleanups.push(() => Promise.allSettled([bare.stop(), bareHop.stop(), monolith.stop()]));
    bare.start();
    bareHop.start();
    monolith.start();
    await Promise.all([bare.ready(), bareHop.ready(), monolith.ready()]);
    // The floor under every service's idle memory: Node with Fastify, answering one route.
    await delay(profile.idleSettleMs);
    const bareIdleMemory = residentMemoryOf(bare.pid());

    const serviceDatabases = Object.values(stack.databases).map((database) => database.name);
    const copyDatabases = Object.values(copies).map((copy) => copy.name);
    const auth = (user: OnboardedUser) => ({
      authorization: `Bearer ${user.token}`,
    });
    const homeCalls: HttpCall[] = users.map((user) => ({
      method: 'GET',
      path: '/v1/home',
      headers: auth(user),
    }));
    const detailCalls: HttpCall[] = users.map((user) => ({
      method: 'GET',
      path: `/v1/accounts/${user.accountId}`,
      headers: auth(user),
    }));
    await expectSameHome(users[0], services['mobile-experience-api'], monolith);

    /** Warm-up, then one measured closed-loop window: throughput, latency, CPU over `measured`, peak RSS. */
    const measure = async (
      scenario: string,
      target: MeasuredProcess,
      calls: HttpCall[],
      measured: Measured,
      baseline?: string,
      window: {
        atStart?: () => Promise<void>;
        atEnd?: () => Promise<void>;
      } = {},
    ) => {
      log(`${scenario}: warming up`);
      await loadProcess.closedLoop({
        origin: target.baseUrl,
        calls,
        connections: profile.connections,
        durationMs: profile.warmupMs,
      });
      const pidsNow = async () => [...measured.processes.map((each) => each.pid()), ...(await backendPids(admin, measured.databases))];
      await window.atStart?.();
      const before = snapshotCpu(await pidsNow());
      const peakRss: Record<string, number> = {};
      let sampling = true;
      const sampler = (async () => {
        while (sampling) {
          for (const each of measured.processes) peakRss[each.name] = Math.max(peakRss[each.name] ?? 0, rssBytesOf(each.pid()) / MiB);
          await delay(200);
        }
      })();
      log(`${scenario}: measuring ${profile.durationMs / 1000} s at ${profile.connections} connections`);
      const result = await loadProcess.closedLoop({
        origin: target.baseUrl,
        calls,
        connections: profile.connections,
        durationMs: profile.durationMs,
      });
      const after = snapshotCpu(await pidsNow());
      await window.atEnd?.();
      sampling = false;
      await sampler;
      const processPids = new Set(measured.processes.map((each) => each.pid()));
      const backends = [...after.keys()].filter((pid) => !processPids.has(pid)).length;
      const perRequest = (only: (pid: number) => boolean) => cpuMsBetween(before, after, only) / result.requests;
      const cpuByProcess = Object.fromEntries(measured.processes.map((each) => [each.name, perRequest((pid) => pid === each.pid())]));
      if (measured.databases.length > 0) cpuByProcess['PostgreSQL backends'] = perRequest((pid) => !processPids.has(pid));
      const row: LoadRow = {
        scenario,
        baseline,
        connections: profile.connections,
        seconds: result.seconds,
        requests: result.requests,
        statuses: result.statuses,
        reqPerSec: result.requests / result.seconds,
        p50Ms: result.latency.p50,
        p99Ms: result.latency.p99,
        cpuMsPerRequest: cpuMsBetween(before, after) / result.requests,
        cpuMsPerRequestByProcess: cpuByProcess,
        cpuOf: `${measured.processes.map((each) => each.name).join(', ')}${measured.databases.length > 0 ? ` + ${backends} PostgreSQL backends of their databases` : ''}`,
        rssMiB: peakRss,
      };
      rows.push(row);
      return row;
    };

    const bareRow = await measure('Bare Fastify, small JSON (one hop)', bare, [{ method: 'GET', path: '/v1/accounts/x', headers: {} }], {
      processes: [bare],
      databases: [],
    });
    await measure(
      'Account System API alone: GET /v1/accounts/{id}',
      services['account-system-api'],
      users.map((user) => ({
        method: 'GET',
        path: `/v1/accounts/${user.accountId}`,
        headers: { 'x-service-credential': stack.operatorCredential },
      })),
      {
        processes: [services['account-system-api']],
        databases: [stack.databases['account-system-api'].name],
      },
      bareRow.scenario,
    );
    const monolithHome = await measure(
      'Monolith home screen (same 9 SQL statements)',
      monolith,
      homeCalls,
      { processes: [monolith], databases: copyDatabases },
      bareRow.scenario,
    );

    // The layered home screen, with the services' own request counts and log lines around the window.
    let metricsBefore: Sample[][] = [];
    let metricsAfter: Sample[][] = [];
    let linesBefore: number[] = [];
    const layeredHome = await measure(
      'Layered home screen: mobile → Process → System APIs',
      services['mobile-experience-api'],
      homeCalls,
      {
        processes: servicePids(),
        databases: serviceDatabases,
      },
      monolithHome.scenario,
      {
        atStart: async () => {
          await delay(200); // pino writes asynchronously: let the warm-up's last lines reach the files
          linesBefore = servicePids().map((service) => service.logLines());
          metricsBefore = await Promise.all(servicePids().map(metricsOf));
        },
        atEnd: async () => {
          metricsAfter = await Promise.all(servicePids().map(metricsOf));
        },
      },
    );
    await delay(200); // likewise for the window's last lines
    const linesAfter = servicePids().map((service) => service.logLines());
    const answered = SERVICES.map((_, index) => requestsAnswered(metricsAfter[index]) - requestsAnswered(metricsBefore[index]));
    const homes = requestsAnswered(metricsAfter[3], '/v1/home') - requestsAnswered(metricsBefore[3], '/v1/home');
    const internalCalls = answered[0] + answered[1] + answered[2];
    const internalPerHome = internalCalls / homes;
    const perHopCpuMs = (layeredHome.cpuMsPerRequest - monolithHome.cpuMsPerRequest) / internalPerHome;
    const logLines = SERVICES.map((service, index) => ({
      service,
      perHome: (linesAfter[index] - linesBefore[index]) / homes,
      perRequest: answered[index] === 0 ? Number.NaN : (linesAfter[index] - linesBefore[index]) / answered[index],
    }));
    figures.push([
      'Internal HTTP calls per home screen',
      fmt(internalPerHome, 2),
      `${internalCalls} requests answered by the Process and System APIs for ${homes} home screens (http_requests_total deltas)`,
    ]);
    figures.push(['CPU per internal HTTP hop', `${fmt(perHopCpuMs, 3)} ms`, '(layered CPU/home − monolith CPU/home) ÷ internal calls per home']);

    // Beside that figure: a hop that does nothing but HTTP, run alone at the rate each link of the
    // layered path ran (one call per home screen per link), open loop. Alone, each request pays its
    // own wake-ups; in the saturated layered run requests share them, so this is no lower bound there.
    const hopRate = Math.max(1, Math.round(layeredHome.reqPerSec));
    const bareCall: HttpCall[] = [{ method: 'GET', path: '/v1/accounts/x', headers: {} }];
    const cpuPerRequestAtRate = async (target: MeasuredProcess, processes: MeasuredProcess[]) => {
      await loadProcess.fixedRate({ origin: target.baseUrl, calls: bareCall, ratePerSecond: hopRate, durationMs: profile.warmupMs });
      const pids = processes.map((each) => each.pid());
      const before = snapshotCpu(pids);
      const { samples } = await loadProcess.fixedRate({
        origin: target.baseUrl,
        calls: bareCall,
        ratePerSecond: hopRate,
        durationMs: profile.durationMs,
      });
      const answered = samples.filter(([, , status]) => status === 200).length;
      if (answered !== samples.length) throw new Error(`${target.name}: ${samples.length - answered} of ${samples.length} requests not answered 200`);
      return cpuMsBetween(before, snapshotCpu(pids)) / answered;
    };
    log(`a bare hop at ${hopRate} req/s`);
    const bareAloneCpuMs = await cpuPerRequestAtRate(bare, [bare]);
    const bareChainCpuMs = await cpuPerRequestAtRate(bareHop, [bareHop, bare]);
    const bareHopCpuMs = bareChainCpuMs - bareAloneCpuMs;
    figures.push([
      'CPU per bare hop at the same rate, run alone',
      `${fmt(bareHopCpuMs, 3)} ms`,
      `bare Fastify → undici Pool → bare Fastify, no logs, credentials or validation, ${hopRate} req/s open loop: ${fmt(bareChainCpuMs, 3)} ms for both − ${fmt(bareAloneCpuMs, 3)} ms for the back one alone`,
    ]);

    // The same home screens with the Experience layer sharing each user's identical reads for a
    // second (READ_CACHE_MS, its default): a second mobile Experience API, the layers below shared.
    const sharing = await stack.variantOf('mobile-experience-api', 'mobile-experience-api-reads-shared', { READ_CACHE_MS: '1000' });
    sharing.start();
    await sharing.ready();
    const sharedHome = await measure(
      'Layered home screen, reads shared for 1 s (READ_CACHE_MS=1000)',
      sharing,
      homeCalls,
      { processes: [...servicePids(), sharing], databases: serviceDatabases },
      monolithHome.scenario,
    );
    await sharing.stop();

    const monolithDetail = await measure('Monolith account detail (same 13 SQL statements)', monolith, detailCalls, {
      processes: [monolith],
      databases: copyDatabases,
    });
    await measure(
      'Layered account detail: mobile GET /v1/accounts/{id}',
      services['mobile-experience-api'],
      detailCalls,
      { processes: servicePids(), databases: serviceDatabases },
      monolithDetail.scenario,
    );

    // --- Onboardings end to end vs the account System API opening accounts alone ---
    const onboardingPids = async () => [...servicePids().map((each) => each.pid()), ...(await backendPids(admin, serviceDatabases))];
    /** Onboardings for the onboarding window at `connections` in flight, with the CPU they cost: in all, and by process. */
    const onboardingRun = async (waitSeconds: number | undefined) => {
      const before = snapshotCpu(await onboardingPids());
      const startedAt = performance.now();
      const result = await onboard({ connections: profile.connections, durationMs: profile.onboardingMs, waitSeconds });
      const wallMs = performance.now() - startedAt;
      const after = snapshotCpu(await onboardingPids());
      const servicePidSet = new Set(servicePids().map((each) => each.pid()));
      const cpuMs = cpuMsBetween(before, after);
      const cpuBy = [
        ...servicePids().map((each) => [each.name, cpuMsBetween(before, after, (pid) => pid === each.pid())] as const),
        ['PostgreSQL backends', cpuMsBetween(before, after, (pid) => !servicePidSet.has(pid))] as const,
      ];
      // The CPU window runs until the last onboarding in flight has finished: those count too.
      const finished = result.completed.length + result.finishedLate;
      const perOnboarding = (ms: number) => fmt(ms / finished, 1);
      return {
        result,
        perSecond: result.completed.length / result.seconds,
        cpu: `${perOnboarding(cpuMs)} ms`,
        cpuNote: `over ${finished} onboardings finished (${result.finishedLate} after the window); ${cpuBy.map(([name, ms]) => `${name} ${perOnboarding(ms)}`).join(', ')}; the cores were ${fmt((100 * cpuMs) / (wallMs * machine().cores), 0)} % busy with these processes`,
      };
    };
    log(`onboardings end to end for ${profile.onboardingMs / 1000} s at ${profile.connections} in flight, followed with long polls`);
    const followed = await onboardingRun(FOLLOW_WAIT_S);
    const throughput = followed.result;
    const onboardingsPerSec = followed.perSecond;
    log(`the same, polled every 50 ms`);
    const polled = await onboardingRun(undefined);
    const loadedLatency = summarize(throughput.completed.map((user) => user.latencyMs));
    log(`onboarding latency, one at a time (${profile.onboardingLatencyCount})`);
    const sequential = await onboard({
      connections: 1,
      count: profile.onboardingLatencyCount,
    });
    const oneAtATime = summarize(sequential.completed.map((user) => user.latencyMs));
    // Customers of their own: the hundreds of accounts this run opens must not land on the customers
    // the home screens read (their overviews would list them all, and time out, in the outage run).
    const customers = await Promise.all(
      Array.from({ length: 8 }, async (_, index) => {
        const res = await fetch(`${services['account-system-api'].baseUrl}/v1/customers`, {
          method: 'POST',
          headers: { 'x-service-credential': stack.operatorCredential, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
          body: JSON.stringify({
            legalName: `Bench Opener ${index + 1}`,
            dateOfBirth: '1980-01-01',
            taxId: `${randomInt(200, 600)}-${String(randomInt(10, 100))}-${String(randomInt(1000, 10_000))}`,
            email: `opener-${index + 1}@example.com`,
            phone: '+12125550123',
            address: { line1: '1 Main St', city: 'New York', state: 'NY', postalCode: '10001' },
          }),
        });
        if (res.status !== 201) throw new Error(`creating a customer to open accounts for answered ${res.status}: ${await res.text()}`);
        return ((await res.json()) as { customerId: string }).customerId;
      }),
    );
    log(`opening accounts on the account System API alone for ${profile.onboardingMs / 1000} s`);
    const openCalls: HttpCall[] = customers.map((customerId) => ({
      method: 'POST',
      path: '/v1/accounts',
      headers: {
        'x-service-credential': stack.operatorCredential,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        customerId,
        productType: 'savings',
        currency: 'USD',
      }),
      freshIdempotencyKey: true,
    }));
    const opening = await loadProcess.closedLoop({
      origin: services['account-system-api'].baseUrl,
      calls: openCalls,
      connections: profile.connections,
      durationMs: profile.onboardingMs,
    });
    const opened = opening.statuses['201'] ?? 0;
    const accountsPerSec = opened / opening.seconds;
    figures.push([
      'Onboardings completed per second, end to end',
      fmt(onboardingsPerSec, 2),
      `${throughput.completed.length} completed in ${fmt(throughput.seconds, 1)} s with ${profile.connections} in flight (POST through mobile, instant ACH 011000015, each followed with long polls: Prefer: wait=${FOLLOW_WAIT_S} and If-None-Match); ${throughput.failed} failed${throughput.failures.length ? `: ${throughput.failures.join('; ')}` : ''}`,
    ]);
    figures.push(['CPU per onboarding completed, followed with long polls', followed.cpu, followed.cpuNote]);
    figures.push([
      'Onboardings completed per second, each polled every 50 ms instead',
      fmt(polled.perSecond, 2),
      `${polled.result.completed.length} completed in ${fmt(polled.result.seconds, 1)} s with ${profile.connections} in flight; ${polled.result.failed} failed; p50 ${fmt(summarize(polled.result.completed.map((user) => user.latencyMs)).p50 / 1000, 3)} s`,
    ]);
    figures.push(['CPU per onboarding completed, polled every 50 ms', polled.cpu, polled.cpuNote]);
    figures.push([
      'Accounts opened per second, account System API alone',
      fmt(accountsPerSec, 2),
      `${opened} × 201 in ${fmt(opening.seconds, 1)} s at ${profile.connections} connections; answers ${JSON.stringify(opening.statuses)}`,
    ]);
    figures.push([
      'Onboarding latency, one in flight (p50 / p99)',
      `${fmt(oneAtATime.p50 / 1000, 3)} s / ${fmt(oneAtATime.p99 / 1000, 3)} s`,
      `${oneAtATime.count} onboardings, POST until the "welcome" answer was seen`,
    ]);
    figures.push([
      'Onboarding latency under the throughput run (p50 / p99)',
      `${fmt(loadedLatency.p50 / 1000, 3)} s / ${fmt(loadedLatency.p99 / 1000, 3)} s`,
      `${loadedLatency.count} onboardings, ${profile.connections} in flight`,
    ]);

    // --- The account System API frozen (SIGSTOP) under a steady home-screen load ---
    const outage = profile.outage;
    log(`home screen at ${outage.ratePerSecond} req/s, account System API frozen for ${outage.freezeMs / 1000} s`);
    const processApi = services['onboarding-process-api'];
    const accountApi = services['account-system-api'];
    // A breaker still open from the load before would pass for an instant detection: freeze only
    // once it is closed, and say so in the report if it never closed.
    const closedBy = Date.now() + 15_000;
    let stateAtFreeze = breakerState(await metricsOf(processApi), 'account');
    while (stateAtFreeze !== 0 && Date.now() < closedBy) {
      await delay(100);
      stateAtFreeze = breakerState(await metricsOf(processApi), 'account');
    }
    const outageRun = loadProcess.fixedRate({
      origin: services['mobile-experience-api'].baseUrl,
      calls: homeCalls,
      ratePerSecond: outage.ratePerSecond,
      durationMs: outage.beforeMs + outage.freezeMs + outage.afterMs,
    });
    await delay(outage.beforeMs);
    stateAtFreeze = breakerState(await metricsOf(processApi), 'account');
    figures.push([
      'Outage: account breaker state when the freeze began',
      stateAtFreeze === 0 ? 'closed' : `not closed (${stateAtFreeze})`,
      '0 closed, 1 half-open, 2 open',
    ]);
    process.kill(accountApi.pid(), 'SIGSTOP');
    const frozenAt = Date.now();
    let detectedAt: number | undefined;
    try {
      while (Date.now() < frozenAt + outage.freezeMs) {
        if (stateAtFreeze === 0 && detectedAt === undefined && breakerState(await metricsOf(processApi), 'account') === 2) detectedAt = Date.now();
        await delay(20);
      }
    } finally {
      process.kill(accountApi.pid(), 'SIGCONT');
    }
    const resumedAt = Date.now();
    const { samples } = await outageRun;
    const during = samples.filter(([start]) => start >= frozenAt && start < resumedAt);
    const afterDetection = detectedAt === undefined ? [] : during.filter(([start]) => start >= (detectedAt as number));
    const afterDetectionLatency = summarize(afterDetection.map(([, latency]) => latency));
    const maxDuringFreeze = summarize(during.map(([, latency]) => latency)).max;
    const statusesDuring: Record<string, number> = {};
    for (const [, , status] of during) statusesDuring[String(status)] = (statusesDuring[String(status)] ?? 0) + 1;
    const detectionMs = detectedAt === undefined ? undefined : detectedAt - frozenAt;
    figures.push([
      'Outage: time until the Process API’s account breaker opened',
      detectionMs === undefined ? `not within the ${outage.freezeMs / 1000} s freeze` : `${detectionMs} ms`,
      `/metrics downstream_circuit_state polled every 20 ms from the SIGSTOP`,
    ]);
    figures.push([
      'Outage: home p99 once detected',
      `${fmt(afterDetectionLatency.p99)} ms`,
      `${afterDetectionLatency.count} requests started after detection, before SIGCONT`,
    ]);
    figures.push([
      'Outage: home max latency while frozen',
      `${fmt(maxDuringFreeze)} ms`,
      `${during.length} requests started during the freeze; answers ${JSON.stringify(statusesDuring)}`,
    ]);
    // Let the breaker close again before measuring anything else.
    const recoverBy = Date.now() + 60_000;
    while (breakerState(await metricsOf(processApi), 'account') !== 0 && Date.now() < recoverBy) {
      await fetch(`${services['mobile-experience-api'].baseUrl}/v1/home`, {
        headers: homeCalls[0].headers,
      }).then(
        (res) => res.arrayBuffer(),
        () => undefined,
      );
      await delay(200);
    }

    // --- Restart: all five again, on the databases they already migrated ---
    await stack.stopAll();
    const warmStartMs = await stack.startAll();
    figures.push([
      'Five services ready, cold (fresh databases, migrations run)',
      `${fmt(coldStartMs, 0)} ms`,
      'spawned at once; until every /health/ready answered 200',
    ]);
    figures.push(['Five services ready, restart (databases already migrated)', `${fmt(warmStartMs, 0)} ms`, 'same, after stopping all five']);

    // --- Targets ---
    const maxIdle = Math.max(...Object.values(idleMemory).map((memory) => memory.rss / MiB));
    const homeAnswered = logLines.filter((entry) => !Number.isNaN(entry.perRequest));
    const logWorst = homeAnswered.reduce((worst, entry) => (Math.abs(entry.perRequest - 1) > Math.abs(worst.perRequest - 1) ? entry : worst));
    const targets: Target[] = [
      {
        target: 'Home ≥ 0.5× monolith (uncached), req/s',
        measured: `${fmt(layeredHome.reqPerSec / monolithHome.reqPerSec)}× (${fmt(layeredHome.reqPerSec, 0)} vs ${fmt(monolithHome.reqPerSec, 0)} req/s)`,
        holds: layeredHome.reqPerSec >= 0.5 * monolithHome.reqPerSec,
        how: 'closed loop, same users, same connections',
      },
      {
        target: 'Home ≥ 1.0× monolith with experience-layer caching, req/s',
        measured: `${fmt(sharedHome.reqPerSec / monolithHome.reqPerSec)}× (${fmt(sharedHome.reqPerSec, 0)} vs ${fmt(monolithHome.reqPerSec, 0)} req/s)`,
        holds: sharedHome.reqPerSec >= monolithHome.reqPerSec,
        how: `READ_CACHE_MS=1000; ${users.length} users in turn, so each user's home is read again within the second (the monolith caches nothing)`,
      },
      {
        target: 'CPU per request layered ≤ 1.8× monolith',
        measured: `${fmt(layeredHome.cpuMsPerRequest / monolithHome.cpuMsPerRequest)}× (${fmt(layeredHome.cpuMsPerRequest, 3)} vs ${fmt(monolithHome.cpuMsPerRequest, 3)} ms)`,
        holds: layeredHome.cpuMsPerRequest <= 1.8 * monolithHome.cpuMsPerRequest,
        how: 'home screen; all five services + their PostgreSQL backends vs monolith + its backends',
      },
      {
        target: 'CPU per internal HTTP hop ≤ 0.12 ms',
        measured: `${fmt(perHopCpuMs, 3)} ms`,
        holds: perHopCpuMs <= 0.12,
        how: `over ${fmt(internalPerHome, 2)} internal calls per home screen; a bare Fastify → Fastify hop run alone at the same rate costs ${fmt(bareHopCpuMs, 3)} ms`,
      },
      {
        target: 'Outage detected ≤ 1 s',
        measured: detectionMs === undefined ? 'not detected' : `${detectionMs} ms`,
        holds: detectionMs !== undefined && detectionMs <= 1_000,
        how: `account System API SIGSTOPped, home at ${outage.ratePerSecond} req/s`,
      },
      {
        target: 'Home p99 ≤ 5 ms once the outage is detected',
        measured: afterDetectionLatency.count === 0 ? 'no request started after detection' : `${fmt(afterDetectionLatency.p99)} ms`,
        holds: afterDetectionLatency.count === 0 ? undefined : afterDetectionLatency.p99 <= 5,
        how: `${afterDetectionLatency.count} requests`,
      },
      {
        target: 'Onboardings/s ≥ 0.5× opening accounts alone',
        measured: `${fmt(onboardingsPerSec / accountsPerSec, 3)}× (${fmt(onboardingsPerSec, 2)} vs ${fmt(accountsPerSec, 2)} /s)`,
        holds: onboardingsPerSec >= 0.5 * accountsPerSec,
        how: `${profile.connections} in flight each`,
      },
      {
        target: 'Onboarding p50 ≤ 0.5 s',
        measured: `${fmt(oneAtATime.p50 / 1000, 3)} s one in flight; ${fmt(loadedLatency.p50 / 1000, 3)} s with ${profile.connections} in flight`,
        holds: oneAtATime.count === 0 ? undefined : oneAtATime.p50 <= 500,
        how: 'judged one in flight; each followed with long polls (Prefer: wait)',
      },
      {
        target: 'Five services ready ≤ 5 s',
        measured: `${fmt(coldStartMs, 0)} ms cold, ${fmt(warmStartMs, 0)} ms restart`,
        holds: Math.max(coldStartMs, warmStartMs) <= 5_000,
        how: 'judged on the slower',
      },
      {
        target: 'Idle RSS ≤ 90 MiB per service',
        measured: `largest ${fmt(maxIdle, 1)} MiB`,
        holds: maxIdle <= 90,
        how: 'VmRSS after start, before traffic',
      },
      {
        target: 'One access line per request per service',
        measured: `${logWorst.service}: ${fmt(logWorst.perRequest, 3)} lines per request it answered`,
        holds: homeAnswered.length === SERVICES.length - 1 && homeAnswered.every((entry) => Math.abs(entry.perRequest - 1) <= 0.02),
        how: 'layered home run, default level; within ±2 % of 1 for each service that served it',
      },
    ];
    for (const row of rows) {
      const refused = Object.entries(row.statuses).filter(([status]) => !status.startsWith('2'));
      if (refused.length > 0)
        notes.push(
          `${row.scenario}: not every answer was 2xx (${refused.map(([status, count]) => `${status}: ${count}`).join(', ')}) — its figures include them.`,
        );
    }
    notes.push(
      'PostgreSQL CPU is that of the server backends connected to the scenario’s databases (pg_stat_activity), not of the server’s background processes (WAL writer, checkpointer), which no single request owns.',
    );
    notes.push('The load process (undici Pool, one request in flight per connection) runs in its own process; its CPU is not counted.');
    notes.push('The monolith reads copies (pg_dump | psql) of the services’ databases, taken after the customers were onboarded.');
    if (profile.name === 'quick')
      notes.push('Quick profile: seconds-long runs with few connections, to check the bench works — these figures say nothing about performance.');

    const { cpuModel, cores } = machine();
    const report: Report = {
      profile: profile.name,
      date: new Date().toISOString(),
      node: process.version,
      cpuModel,
      cores,
      settings: {
        Load: `${profile.connections} connections, ${profile.warmupMs / 1000} s warm-up + ${profile.durationMs / 1000} s measured per scenario`,
        'Customers read': `${profile.users} (one completed onboarding, one account, one billing account each), requests cycle through them`,
        ...Object.fromEntries(Object.entries(STACK_SETTINGS).map(([name, value]) => [`Service setting ${name}`, value])),
      },
      rows,
      figures,
      logLines,
      idleMemory,
      bareIdleMemory,
      targets,
      notes,
    };
    mkdirSync(dirname(profile.out), { recursive: true });
    writeFileSync(profile.out, renderReport(report));
    log(`report written to ${profile.out}`);
  } finally {
    await load?.close();
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    await admin.end().catch(() => undefined);
    rmSync(workDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
