/**
 * The load process: forked by the orchestrator, so the load never shares a process (or its event
 * loop) with what is measured. It runs one job at a time over undici Pools — keep-alive
 * connections, one request in flight per connection — and answers with what it saw.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { Pool } from 'undici';
import { summarize } from '../stats';
import { tokenSigner } from '../tokens';
import type {
  ClosedLoopJob,
  ClosedLoopResult,
  FixedRateJob,
  FixedRateResult,
  HttpCall,
  LoadJob,
  LoadReply,
  LoadResult,
  OnboardedUser,
  OnboardingJob,
  OnboardingResult,
} from './protocol';

/** A long poll answered sooner than this with nothing new was not held: pause before asking again. */
const MIN_HELD_MS = 20;

const TIMEOUTS = {
  headersTimeout: 30_000,
  bodyTimeout: 30_000,
  connectTimeout: 5_000,
};

function headersOf(call: HttpCall): Record<string, string> {
  return call.freshIdempotencyKey ? { ...call.headers, 'idempotency-key': randomUUID() } : call.headers;
}

/** One request, its body read to the end; the status, or 0 when no answer came. */
async function send(pool: Pool, call: HttpCall): Promise<number> {
  try {
    const res = await pool.request({
      method: call.method,
      path: call.path,
      headers: headersOf(call),
      body: call.body,
    });
    await res.body.dump();
    return res.statusCode;
  } catch {
    return 0;
  }
}

async function closedLoop(job: ClosedLoopJob): Promise<ClosedLoopResult> {
  const pool = new Pool(job.origin, {
    connections: job.connections,
    pipelining: 1,
    ...TIMEOUTS,
  });
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let next = 0;
  const started = performance.now();
  const until = started + job.durationMs;
  try {
    await Promise.all(
      Array.from({ length: job.connections }, async () => {
        while (performance.now() < until) {
          const call = job.calls[next++ % job.calls.length];
          const t0 = performance.now();
          const status = await send(pool, call);
          latencies.push(performance.now() - t0);
          const key = status === 0 ? 'error' : String(status);
          statuses[key] = (statuses[key] ?? 0) + 1;
        }
      }),
    );
  } finally {
    await pool.close();
  }
  return {
    requests: latencies.length,
    seconds: (performance.now() - started) / 1000,
    statuses,
    latency: summarize(latencies),
  };
}

async function fixedRate(job: FixedRateJob): Promise<FixedRateResult> {
  // Enough connections that the client never queues while the service answers normally.
  const pool = new Pool(job.origin, {
    connections: 256,
    pipelining: 1,
    ...TIMEOUTS,
  });
  const samples: FixedRateResult['samples'] = [];
  const inFlight: Array<Promise<void>> = [];
  const intervalMs = 1000 / job.ratePerSecond;
  const startedAt = performance.now();
  const total = Math.floor((job.durationMs / 1000) * job.ratePerSecond);
  try {
    for (let i = 0; i < total; i++) {
      const due = startedAt + i * intervalMs;
      const wait = due - performance.now();
      if (wait > 1) await delay(wait);
      const call = job.calls[i % job.calls.length];
      const epoch = Date.now();
      const t0 = performance.now();
      inFlight.push(send(pool, call).then((status) => void samples.push([epoch, performance.now() - t0, status])));
    }
    await Promise.all(inFlight);
  } finally {
    await pool.close();
  }
  return { samples: samples.sort((a, b) => a[0] - b[0]) };
}

/**
 * An SSN no sandbox test value uses (area 200–599), different for every index below 395 million.
 * Serials stop at 9998: 219-09-9999 is a voided specimen the rules refuse.
 */
function ssnOf(index: number): string {
  const serial = (index % 9998) + 1;
  const group = (Math.floor(index / 9998) % 99) + 1;
  const area = 200 + Math.floor(index / (9998 * 99));
  return `${area}-${String(group).padStart(2, '0')}-${String(serial).padStart(4, '0')}`;
}

/** The sign-up form with instant ACH verification (sandbox routing number 011000015) and an opening deposit. */
function signUpForm(index: number) {
  return {
    firstName: 'Ada',
    lastName: 'Lovelace',
    dateOfBirth: '1990-04-01',
    ssn: ssnOf(index),
    email: `bench-${index}@example.com`,
    phone: '+12125550123',
    address: {
      street: '1 Main St',
      city: 'New York',
      state: 'NY',
      zip: '10001',
    },
    account: 'checking',
    plan: 'basic-checking',
    bank: {
      routingNumber: '011000015',
      accountNumber: `7${randomInt(1e8, 1e9)}7`,
      type: 'checking',
    },
    initialDepositCents: 2500,
  };
}

async function requestJson(pool: Pool, method: 'GET' | 'POST', path: string, headers: Record<string, string>, body?: unknown) {
  const res = await pool.request({
    method,
    path,
    headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.body.text();
  return {
    status: res.statusCode,
    etag: typeof res.headers.etag === 'string' ? res.headers.etag : undefined,
    held: res.headers['preference-applied'] !== undefined,
    body: (text ? JSON.parse(text) : undefined) as {
      id?: string;
      next?: string;
      account?: { id: string };
    },
  };
}

async function onboardings(job: OnboardingJob): Promise<OnboardingResult> {
  const pool = new Pool(job.mobileOrigin, {
    connections: job.connections * 2,
    pipelining: 1,
    ...TIMEOUTS,
  });
  const sign = await tokenSigner(job.key);
  const completed: OnboardedUser[] = [];
  const failures: string[] = [];
  let failed = 0;
  let finishedLate = 0;
  let next = 0;
  const started = performance.now();
  const until = job.durationMs === undefined ? Infinity : started + job.durationMs;
  const fail = (reason: string) => {
    failed += 1;
    if (failures.length < 5) failures.push(reason);
  };

  const onboardOne = async (index: number) => {
    const sub = `bench-${index}`;
    const token = await sign(sub);
    const auth = { authorization: `Bearer ${token}` };
    const t0 = performance.now();
    const submitted = await requestJson(pool, 'POST', '/v1/onboardings', { ...auth, 'idempotency-key': randomUUID() }, signUpForm(index));
    if (submitted.status !== 202 || !submitted.body.id) return fail(`POST /v1/onboardings answered ${submitted.status}`);
    const onboardingId = submitted.body.id;
    // Followed as the app would: with a long poll (Prefer: wait, If-None-Match) when the job says
    // so, else by asking again every pollIntervalMs.
    let etag: string | undefined;
    for (;;) {
      const follow: Record<string, string> = job.waitSeconds && etag ? { prefer: `wait=${job.waitSeconds}`, 'if-none-match': etag } : {};
      const asked = performance.now();
      const answer = await requestJson(pool, 'GET', `/v1/onboardings/${onboardingId}`, { ...auth, ...follow });
      // A held answer that came back at once (the server could not wait) must not turn into a busy loop.
      const heldAWhile = answer.held && performance.now() - asked >= MIN_HELD_MS;
      if (answer.status === 304 && heldAWhile) continue;
      if (answer.status === 304) {
        await delay(job.pollIntervalMs);
        continue;
      }
      if (answer.status !== 200) return fail(`GET /v1/onboardings/{id} answered ${answer.status}`);
      etag = answer.etag;
      if (answer.body.next === 'welcome' && answer.body.account) {
        // Finished after the time box: not counted in the rate, like every other request the bench times.
        if (performance.now() > until) {
          finishedLate += 1;
          return;
        }
        completed.push({
          sub,
          token,
          onboardingId,
          accountId: answer.body.account.id,
          latencyMs: performance.now() - t0,
        });
        return;
      }
      if (answer.body.next !== 'processing') return fail(`the onboarding ended as "${answer.body.next}"`);
      if (!(job.waitSeconds && answer.held)) await delay(job.pollIntervalMs);
    }
  };

  try {
    await Promise.all(
      Array.from({ length: job.connections }, async () => {
        for (;;) {
          if (job.count !== undefined && next >= job.count) return;
          if (performance.now() >= until) return;
          const index = job.firstIndex + next++;
          await onboardOne(index).catch((error: unknown) => fail((error as Error).message));
        }
      }),
    );
  } finally {
    await pool.close();
  }
  return {
    completed,
    finishedLate,
    seconds: (Math.min(performance.now(), until) - started) / 1000,
    failed,
    failures,
  };
}

function run(job: LoadJob): Promise<LoadResult> {
  if (job.kind === 'closed') return closedLoop(job);
  if (job.kind === 'rate') return fixedRate(job);
  return onboardings(job);
}

process.on('message', (message: { id: number; job: LoadJob }) => {
  void run(message.job).then(
    (result) => process.send?.({ id: message.id, result } satisfies LoadReply),
    (error: unknown) =>
      process.send?.({
        id: message.id,
        error: (error as Error).stack ?? String(error),
      } satisfies LoadReply),
  );
});
// The orchestrator closing the channel (or dying) ends this process.
process.on('disconnect', () => process.exit(0));
