/**
 * Baseline 1, the one-hop limit: bare Fastify answering a small JSON body (the size of an account),
 * no logging, no validation, no database. What one HTTP hop costs at best on this machine.
 */
import Fastify from 'fastify';

const app = Fastify({ logger: false });
const account = {
  accountId: '0b7c6a36-7b2f-4e55-9a43-2f1c1c1f5a10',
  status: 'active',
  balanceMinor: 250_000,
};
app.get('/v1/accounts/:accountId', async () => account);
app.get('/health/ready', async () => ({ status: 'ok' }));

// REVIEW: a bench process, not a service: it reads its port directly rather than through a config schema.
app.listen({ host: '127.0.0.1', port: Number(process.env.PORT ?? 0) }).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void app.close().then(() => process.exit(0)));
