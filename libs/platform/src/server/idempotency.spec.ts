import Fastify from 'fastify';
import { IDEMPOTENT_REPLAYED_HEADER, sendIdempotentReply, type IdempotentResult } from './idempotency';

/** One route that answers whatever stored result the test hands it, the way a service's route does. */
async function answer(result: IdempotentResult<{ id: string }>, location?: string) {
  const app = Fastify();
  app.post('/v1/things', async (_request, reply) => sendIdempotentReply(reply, result, { location }));
  const res = await app.inject({ method: 'POST', url: '/v1/things', payload: {} });
  await app.close();
  return res;
}

describe('sendIdempotentReply', () => {
  it('answers a first request with its status, body and Location, and no replay header', async () => {
    const res = await answer({ statusCode: 201, body: { id: 't-1' }, replayed: false }, '/v1/things/t-1');
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({ id: 't-1' });
    expect(res.headers.location).toBe('/v1/things/t-1');
    expect(res.headers[IDEMPOTENT_REPLAYED_HEADER]).toBeUndefined();
  });

  it('answers a replay with the stored status and body, marked Idempotent-Replayed: true', async () => {
    const res = await answer({ statusCode: 202, body: { id: 't-1' }, replayed: true }, '/v1/things/t-1');
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ id: 't-1' });
    expect(res.headers.location).toBe('/v1/things/t-1');
    expect(res.headers['idempotent-replayed']).toBe('true');
  });

  it('sends no Location when the write names none', async () => {
    const res = await answer({ statusCode: 201, body: { id: 't-2' }, replayed: true });
    expect(res.headers.location).toBeUndefined();
    expect(res.headers['idempotent-replayed']).toBe('true');
  });
});
