import Fastify, { type FastifyInstance } from 'fastify';
import { CATALOGUE_CACHE_CONTROL, conditionalReads, entityTag, ifNoneMatchHolds } from './conditional-reads';

describe('conditional reads', () => {
  const etag = entityTag('{"accounts":[]}');

  it('gives equal bodies equal tags and different bodies different tags', () => {
    expect(entityTag('{"accounts":[]}')).toBe(etag);
    expect(entityTag('{"accounts":[1]}')).not.toBe(etag);
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
  });

  it.each([
    ['the same tag', etag, true],
    ['the tag among others', `"other", ${etag}`, true],
    ['the weak form of the tag', `W/${etag}`, true],
    ['any tag (*)', '*', true],
    ['another tag', '"other"', false],
    ['nothing', undefined, false],
  ])('holds for If-None-Match with %s: %s', (_label, header, holds) => {
    expect(ifNoneMatchHolds(header, etag)).toBe(holds);
  });
});

describe('conditional reads on an app', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = Fastify();
    await app.register(conditionalReads, { staleHeader: 'x-stale' });
    app.get('/v1/home', async () => ({ accounts: [] }));
    app.get('/v2/onboardings/:id', async () => ({ next: 'processing' }));
    app.get('/v1/products', async (_request, reply) => reply.header('cache-control', CATALOGUE_CACHE_CONTROL).send({ products: [] }));
    app.get('/health/live', async () => ({ status: 'ok' }));
    await app.ready();
  });
  afterAll(() => app.close());

  it.each(['/v1/home', '/v2/onboardings/1'])('tags a read of %s and has it revalidated on each use', async (url) => {
    const res = await app.inject({ url });
    expect({ etag: res.headers.etag, cacheControl: res.headers['cache-control'], vary: res.headers.vary }).toEqual({
      etag: entityTag(res.body),
      cacheControl: 'private, no-cache',
      vary: 'authorization',
    });
    const again = await app.inject({ url, headers: { 'if-none-match': String(res.headers.etag) } });
    expect({ status: again.statusCode, body: again.body }).toEqual({ status: 304, body: '' });
  });

  it('keeps the Cache-Control a route set for itself, on 200 and on 304', async () => {
    const res = await app.inject({ url: '/v1/products' });
    expect({ etag: res.headers.etag, cacheControl: res.headers['cache-control'] }).toEqual({
      etag: entityTag(res.body),
      cacheControl: 'private, max-age=3600',
    });
    const again = await app.inject({ url: '/v1/products', headers: { 'if-none-match': String(res.headers.etag) } });
    expect({ status: again.statusCode, cacheControl: again.headers['cache-control'] }).toEqual({
      status: 304,
      cacheControl: 'private, max-age=3600',
    });
  });

  it('leaves what is not an API read alone', async () => {
    const res = await app.inject({ url: '/health/live' });
    expect({ etag: res.headers.etag, cacheControl: res.headers['cache-control'] }).toEqual({ etag: undefined, cacheControl: undefined });
  });
});
