import Fastify from 'fastify';
import { registerProblemHandlers } from './problem-details';

const ID = '3f2b8c1e-4d5a-4b6c-8d7e-9f0a1b2c3d4e';
const SSN = '512-34-6789';

async function app() {
  const server = Fastify();
  registerProblemHandlers(server);
  server.get('/v1/accounts/:accountId/transactions/:kind', async (request, reply) =>
    reply.code(409).send(Object.assign(new Error('refused'), { statusCode: 409, code: 'ACCOUNT_CLOSED' })),
  );
  await server.ready();
  return server;
}

describe('the instance of a problem', () => {
  it('names the route with our own ids filled in', async () => {
    const server = await app();
    const res = await server.inject({ url: `/v1/accounts/${ID}/transactions/posted?limit=5` });
    expect(res.json()).toMatchObject({ status: 409, instance: `/v1/accounts/${ID}/transactions/{kind}` });
    await server.close();
  });

  it('never echoes what a caller typed into the path', async () => {
    const server = await app();
    const res = await server.inject({ url: `/v1/accounts/${SSN}/transactions/${encodeURIComponent('Bearer eyJx.eyJy.sig')}` });
    expect(res.json()).toMatchObject({ status: 409, instance: '/v1/accounts/{accountId}/transactions/{kind}' });
    expect(res.body).not.toContain(SSN);
    expect(res.body).not.toContain('eyJ');
    await server.close();
  });

  it('leaves the path out of an unknown route’s answer entirely', async () => {
    const server = await app();
    const res = await server.inject({ url: `/v1/customers/${SSN}` });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ code: 'ROUTE_NOT_FOUND' });
    expect(res.json().instance).toBeUndefined();
    expect(res.body).not.toContain(SSN);
    await server.close();
  });
});
