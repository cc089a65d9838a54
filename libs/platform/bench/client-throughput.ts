/**
 * How fast is a call through the client core (undici Pool.request + breaker + contract
 * validation) compared with a bare undici Pool and with global fetch, against a Fastify server
 * in another process answering a small JSON body? Run with `npm run bench`; numbers depend on the
 * machine (on 2 cores the server process is often the limit — see the idle share it prints).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Type } from '@sinclair/typebox';
import { Pool } from 'undici';
import { ServiceClientCore } from '../src/http-client';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 20_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);

const AccountSchema = Type.Object({ accountId: Type.String(), status: Type.String(), balanceMinor: Type.Integer() });

async function measure(label: string, call: () => Promise<unknown>) {
  for (let i = 0; i < 500; i += 1) await call(); // warm-up
  const latencies: number[] = [];
  let next = 0;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < REQUESTS) {
        next += 1;
        const t0 = performance.now();
        await call();
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))].toFixed(2);
  const rss = (process.memoryUsage().rss / 1024 / 1024).toFixed(0);
  const cpu = process.cpuUsage(cpuBefore);
  const clientCpuMsPerCall = ((cpu.user + cpu.system) / 1000 / latencies.length).toFixed(3);
  console.log(
    `${label.padEnd(34)} ${(latencies.length / seconds).toFixed(0).padStart(7)} req/s   p50 ${pct(0.5)} ms   p99 ${pct(0.99)} ms   client CPU ${clientCpuMsPerCall} ms/call   rss ${rss} MiB`,
  );
  return latencies.length / seconds;
}

async function main() {
  const server = spawn(process.execPath, [resolve(process.cwd(), 'libs/platform/bench/account-server.mjs')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [firstLine] = (await once(server.stdout, 'data')) as [Buffer];
  const port = Number(/\d+/.exec(firstLine.toString())?.[0]);
  if (!port) throw new Error(`the benchmark server did not report its port: ${JSON.stringify(firstLine.toString())}`);
  const baseUrl = `http://127.0.0.1:${port}`;
  console.log(
    `node ${process.version}, ${REQUESTS} GETs per client, concurrency ${CONCURRENCY}, small JSON body over loopback, server in its own process\n`,
  );

  const core = new ServiceClientCore({
    name: 'bench',
    baseUrl,
    credential: { callerName: 'bench', secret: 'bench-secret-0123456789' },
    connections: CONCURRENCY,
    breaker: { volumeThreshold: 1000 },
  });
  const pool = new Pool(baseUrl, { connections: CONCURRENCY });

  const coreRate = await measure('ServiceClientCore (breaker+schema)', () =>
    core.request({ method: 'GET', path: '/v1/accounts/a1', requestId: 'bench', responses: { 200: AccountSchema } }),
  );
  const poolRate = await measure('undici Pool.request (bare)', async () => {
    const res = await pool.request({ method: 'GET', path: '/v1/accounts/a1' });
    return res.body.json();
  });
  const fetchRate = await measure('global fetch', async () => {
    const res = await fetch(`${baseUrl}/v1/accounts/a1`);
    return res.json();
  });
  console.log(`\nfetch / Pool.request = ${(fetchRate / poolRate).toFixed(2)}   client core / Pool.request = ${(coreRate / poolRate).toFixed(2)}`);

  await core.close();
  await pool.close();
  server.kill('SIGTERM');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
