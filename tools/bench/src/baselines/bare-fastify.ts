/**
 * Baseline 1, the one-hop limit: bare Fastify answering a small JSON body (the size of an account),
 * no logging, no validation, no database. What one HTTP hop costs at best on this machine.
 *
 * With UPSTREAM_URL it is the front of a bare hop instead: it asks the same path of another bare
 * Fastify through an undici Pool (keep-alive, as the services' clients) and answers what it got.
 * The bench runs that chain alone at the layered home screen's rate: what an internal call costs
 * with nothing a service adds (credentials, logs, metrics, breakers, contract validation) when
 * each request pays its own wake-ups.
 */
import Fastify from 'fastify';
import { Pool } from 'undici';

const app = Fastify({ logger: false });
const account = {
  accountId: '0b7c6a36-7b2f-4e55-9a43-2f1c1c1f5a10',
  status: 'active',
  balanceMinor: 250_000,
};
// REVIEW: a bench process, not a service: it reads its settings directly rather than through a config schema.
const upstreamUrl = process.env.UPSTREAM_URL;
const upstream = upstreamUrl ? new Pool(upstreamUrl, { connections: 64, pipelining: 1 }) : undefined;
app.get<{ Params: { accountId: string } }>('/v1/accounts/:accountId', async (request) => {
  if (!upstream) return account;
  const answer = await upstream.request({ method: 'GET', path: `/v1/accounts/${encodeURIComponent(request.params.accountId)}` });
  return answer.body.json();
});
app.get('/health/ready', async () => ({ status: 'ok' }));

app.listen({ host: '127.0.0.1', port: Number(process.env.PORT ?? 0) }).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => void Promise.all([app.close(), upstream?.close()]).then(() => process.exit(0)));
}
