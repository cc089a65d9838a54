import { Type } from '@sinclair/typebox';
import { ProblemSchema } from '@bartholomew/contracts-shared';
import Fastify, { type FastifyInstance } from 'fastify';
import { IDEMPOTENT_REPLY } from './idempotency';
import { registerOpenApi } from './openapi';

const service = {
  name: 'test-api',
  title: 'Test API',
  version: '1.0.0',
  description: 'for tests',
};
const AccountSchema = Type.Object({ id: Type.String() }, { $id: 'Account' });

async function documentOf(callers: 'services' | 'end-users') {
  const app: FastifyInstance = Fastify();
  app.addSchema(AccountSchema);
  await registerOpenApi(app, service, callers);
  app.get(
    '/v1/accounts/:id',
    {
      schema: {
        operationId: 'getAccount',
        tags: ['accounts'],
        params: Type.Object({ id: Type.String() }),
        response: {
          200: Type.Ref('Account'),
          304: Type.Null({ description: 'Not modified' }),
          404: ProblemSchema,
          503: ProblemSchema,
        },
      },
    },
    async () => ({ id: 'a' }),
  );
  app.post(
    '/v1/accounts',
    {
      schema: {
        operationId: 'openAccount',
        tags: ['accounts'],
        response: {
          201: Type.Ref('Account'),
          422: ProblemSchema,
          429: ProblemSchema,
        },
      },
    },
    async () => ({ id: 'a' }),
  );
  app.post(
    '/v1/accounts/:id/transfers',
    {
      schema: {
        ...IDEMPOTENT_REPLY,
        operationId: 'transfer',
        tags: ['accounts'],
        params: Type.Object({ id: Type.String() }),
        response: { 201: Type.Ref('Account'), 202: Type.Ref('Account'), 409: ProblemSchema, 422: ProblemSchema },
      },
    },
    async () => ({ id: 'a' }),
  );
  await app.ready();
  const doc = (await app.inject({ url: '/openapi.json' })).json();
  await app.close();
  return doc;
}

describe('the OpenAPI document every service publishes', () => {
  it('declares every error as application/problem+json referencing one Problem component', async () => {
    const doc = await documentOf('services');
    const get = doc.paths['/v1/accounts/{id}'].get;
    expect(get.responses['404'].content).toEqual({
      'application/problem+json': {
        schema: { $ref: '#/components/schemas/Problem' },
      },
    });
    expect(doc.paths['/v1/accounts'].post.responses['422'].content).toEqual({
      'application/problem+json': {
        schema: { $ref: '#/components/schemas/Problem' },
      },
    });
    expect(doc.components.schemas.Problem).toMatchObject({
      type: 'object',
      required: expect.arrayContaining(['type', 'title', 'status', 'code']),
    });
    expect(doc.components.schemas.Problem.$id).toBeUndefined();
    // Not one pasted copy left: the Problem's own title appears once, in the component.
    expect(JSON.stringify(doc).match(/"title":"Problem"/g)).toHaveLength(1);
  });

  it('documents conditional reads: If-None-Match in, ETag out, 304 without a body', async () => {
    const get = (await documentOf('services')).paths['/v1/accounts/{id}'].get;
    expect(get.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ in: 'header', name: 'if-none-match' })]));
    expect(Object.keys(get.responses['200'].headers)).toEqual(expect.arrayContaining(['ETag', 'Cache-Control']));
    expect(get.responses['304'].content).toBeUndefined();
    expect(Object.keys(get.responses['304'].headers)).toContain('ETag');
  });

  it('documents Retry-After on 429 and 503, and the rate-limit counters only where end users are limited', async () => {
    const services = await documentOf('services');
    expect(Object.keys(services.paths['/v1/accounts/{id}'].get.responses['503'].headers)).toEqual(['Retry-After']);
    expect(services.paths['/v1/accounts'].post.responses['201'].headers).toBeUndefined();
    const endUsers = await documentOf('end-users');
    expect(Object.keys(endUsers.paths['/v1/accounts'].post.responses['429'].headers)).toEqual(
      expect.arrayContaining(['Retry-After', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset']),
    );
    expect(Object.keys(endUsers.paths['/v1/accounts'].post.responses['201'].headers)).toContain('X-RateLimit-Remaining');
    // Refusals after authentication carry the counters too; a 401 (token not yet known) does not.
    expect(Object.keys(endUsers.paths['/v1/accounts'].post.responses['422'].headers)).toContain('X-RateLimit-Limit');
    expect(endUsers.paths['/v1/accounts/{id}'].get.responses['503'].headers).toEqual({ 'Retry-After': expect.any(Object) });
  });

  it('names a server and describes each answer by its status', async () => {
    const doc = await documentOf('services');
    expect(doc.servers).toEqual([
      {
        url: '/',
        description: expect.stringMatching(/local, staging, production/),
        'x-internal': true,
      },
    ]);
    expect((await documentOf('end-users')).servers).toEqual([expect.objectContaining({ 'x-internal': false })]);
    expect(doc.paths['/v1/accounts/{id}'].get.responses['404'].description).toBe('Not Found (problem details)');
  });

  it('declares Idempotent-Replayed on every success answer of an idempotent reply, and on nothing else', async () => {
    for (const callers of ['services', 'end-users'] as const) {
      const doc = await documentOf(callers);
      const transfer = doc.paths['/v1/accounts/{id}/transfers'].post;
      for (const status of ['201', '202']) {
        expect(transfer.responses[status].headers['Idempotent-Replayed']).toEqual({
          description: expect.stringMatching(/stored answer of an earlier request/),
          schema: { type: 'string', enum: ['true'] },
        });
      }
      for (const status of ['409', '422']) expect(transfer.responses[status].headers?.['Idempotent-Replayed']).toBeUndefined();
      // The marker is how a route asks for the header; the header is what the contract says.
      expect(transfer['x-idempotent-reply']).toBeUndefined();
      expect(doc.paths['/v1/accounts'].post.responses['201'].headers?.['Idempotent-Replayed']).toBeUndefined();
    }
  });
});
