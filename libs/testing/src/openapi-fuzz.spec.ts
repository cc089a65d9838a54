import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply } from 'fastify';
import swagger from '@fastify/swagger';
import {
  formatFuzzFailures,
  fuzzOpenApi,
  httpSender,
  injectSender,
  judgeResponse,
  redactRequest,
  type FuzzRequest,
  type FuzzSend,
} from './openapi-fuzz';

const problem = (status: number, code: string) => ({
  type: `urn:problem:${code.toLowerCase()}`,
  title: code,
  status,
  code,
});

const ItemSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'ssn', 'quantity'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 50 },
    ssn: { type: 'string', pattern: '^[0-9]{3}-[0-9]{2}-[0-9]{4}$' },
    quantity: { type: 'integer', minimum: 1, maximum: 10 },
    tags: {
      type: 'array',
      maxItems: 3,
      items: { type: 'string', enum: ['red', 'blue'] },
    },
  },
} as const;

const IdParams = {
  type: 'object',
  required: ['itemId'],
  properties: { itemId: { type: 'string', format: 'uuid' } },
} as const;

/**
 * A tiny service shaped like ours (OpenAPI 3.1 from @fastify/swagger, problem+json errors), with the
 * defects the fuzzer exists to find switched on by `bugs`.
 */
async function tinyService(
  bugs: {
    urnUuid500?: boolean;
    textPlain400?: boolean;
    bodyless404?: boolean;
  } = {},
): Promise<FastifyInstance> {
  const app = Fastify({
    logger: false,
    // Malformed URLs and over-long parameters are refused before routing: problem+json too.
    frameworkErrors: (error, _request, reply) =>
      (reply as FastifyReply)
        .code(error.statusCode ?? 400)
        .type('application/problem+json')
        .send(problem(error.statusCode ?? 400, error.code)),
  });
  await app.register(swagger, {
    openapi: { openapi: '3.1.0', info: { title: 'tiny', version: '1' } },
  });
  app.setErrorHandler((error: FastifyError, _request, reply) => {
    const status = error.statusCode && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 400 && bugs.textPlain400) return reply.code(400).type('text/plain').send('bad request');
    return reply
      .code(status)
      .type('application/problem+json')
      .send(problem(status, status === 500 ? 'INTERNAL' : (error.code ?? 'BAD_REQUEST')));
  });
  app.setNotFoundHandler((_request, reply) =>
    bugs.bodyless404 ? reply.code(404).send() : reply.code(404).type('application/problem+json').send(problem(404, 'ROUTE_NOT_FOUND')),
  );
  app.get('/openapi.json', { schema: { hide: true } }, () => app.swagger());
  const stored = new Map<string, unknown>();
  app.post(
    '/v1/items',
    {
      schema: {
        operationId: 'createItem',
        body: ItemSchema,
        response: {
          201: { type: 'object', properties: { itemId: { type: 'string' } } },
        },
      },
    },
    async (request, reply) => {
      const itemId = crypto.randomUUID();
      stored.set(itemId, request.body);
      return reply.code(201).send({ itemId });
    },
  );
  app.get(
    '/v1/items/:itemId',
    {
      schema: {
        operationId: 'getItem',
        params: IdParams,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { verbose: { type: 'boolean' } },
        },
      },
    },
    async (request, reply) => {
      const { itemId } = request.params as { itemId: string };
      // The defect PostgreSQL's uuid type causes: ajv's `uuid` format lets `urn:uuid:` through, the database refuses it.
      if (bugs.urnUuid500 && itemId.startsWith('urn:')) throw new Error('invalid input syntax for type uuid');
      if (!stored.has(itemId)) return reply.code(404).type('application/problem+json').send(problem(404, 'ITEM_NOT_FOUND'));
      return { itemId };
    },
  );
  await app.ready();
  return app;
}

const documentOf = async (app: FastifyInstance) => (await app.inject({ url: '/openapi.json' })).json();

/** Wraps a sender to keep every request it sent. */
function recording(send: FuzzSend): { send: FuzzSend; sent: FuzzRequest[] } {
  const sent: FuzzRequest[] = [];
  return { sent, send: (request) => (sent.push(request), send(request)) };
}

describe('fuzzOpenApi', () => {
  it('finds the 500 a uuid path parameter causes when given urn:uuid, and names the operation, mutation and seed', async () => {
    const app = await tinyService({ urnUuid500: true });
    try {
      const result = await fuzzOpenApi({
        document: await documentOf(app),
        send: injectSender(app),
        runs: 300,
        seed: 7,
      });
      expect(result.failures.length).toBeGreaterThan(0);
      expect(result.failures.every((failure) => failure.operationId === 'getItem' && failure.status === 500)).toBe(true);
      expect(result.failures.map((failure) => failure.mutation)).toContain('path itemId: urn:uuid id');
      expect(formatFuzzFailures(result)).toContainEqual(
        expect.stringMatching(
          /^getItem \| path itemId: urn:uuid id \| server error 500 INTERNAL \| ×\d+ \| seed 7 \| e\.g\. GET \/v1\/items\/urn%3Auuid%3A/,
        ),
      );
    } finally {
      await app.close();
    }
  });

  it('reports a 400 answered as text/plain instead of problem+json', async () => {
    const app = await tinyService({ textPlain400: true });
    try {
      const result = await fuzzOpenApi({
        document: await documentOf(app),
        send: injectSender(app),
        runs: 100,
        seed: 11,
      });
      expect(result.failures.length).toBeGreaterThan(0);
      expect(new Set(result.failures.map((failure) => failure.reason))).toEqual(
        new Set(['400 answered as text/plain, not application/problem+json']),
      );
      expect(new Set(result.failures.map((failure) => failure.operationId))).toEqual(new Set(['createItem', 'getItem']));
    } finally {
      await app.close();
    }
  });

  it('reports a 404 with no problem body when it sends a method the path does not declare', async () => {
    const app = await tinyService({ bodyless404: true });
    try {
      const result = await fuzzOpenApi({
        document: await documentOf(app),
        send: injectSender(app),
        runs: 200,
        seed: 5,
      });
      expect(result.failures.some((failure) => failure.mutation.startsWith('method ') && failure.status === 404)).toBe(true);
    } finally {
      await app.close();
    }
  });

  it('finds nothing in a service that keeps the error contract, and reaches its handlers with valid and known values', async () => {
    const app = await tinyService();
    try {
      const created = await app.inject({
        method: 'POST',
        url: '/v1/items',
        payload: { name: 'a', ssn: '123-45-6789', quantity: 1 },
      });
      const { itemId } = created.json();
      const result = await fuzzOpenApi({
        document: await documentOf(app),
        send: injectSender(app),
        runs: 200,
        seed: 3,
        knownValues: { itemId: [itemId] },
      });
      expect(formatFuzzFailures(result)).toEqual([]);
      expect(result.cases).toBe(400);
      // Valid bodies pass validation (201), unknown ids reach the handler (404), the known one is found (200).
      expect(result.byOperation.createItem?.[201]).toBeGreaterThan(10);
      expect(result.byOperation.getItem?.[200]).toBeGreaterThan(10);
      expect(result.byOperation.getItem?.[404]).toBeGreaterThan(0);
      expect(result.byOperation.createItem?.[400]).toBeGreaterThan(10);
      expect(result.byOperation.createItem?.[415]).toBeGreaterThan(0);
    } finally {
      await app.close();
    }
  });

  it('sends the same requests for the same seed and different ones for another', async () => {
    const app = await tinyService();
    try {
      const document = await documentOf(app);
      const run = async (seed: number) => {
        const recorder = recording(injectSender(app));
        await fuzzOpenApi({ document, send: recorder.send, runs: 50, seed });
        return recorder.sent;
      };
      const first = await run(99);
      expect(await run(99)).toEqual(first);
      expect(await run(100)).not.toEqual(first);
    } finally {
      await app.close();
    }
  });

  it('sends credentials on valid cases and drops or garbles them on others', async () => {
    const app = await tinyService();
    try {
      const recorder = recording(injectSender(app));
      await fuzzOpenApi({
        document: await documentOf(app),
        send: recorder.send,
        runs: 200,
        seed: 21,
        authHeaders: () => ({ Authorization: 'Bearer good-token' }),
      });
      const auth = recorder.sent.map((request) => request.headers.authorization);
      expect(auth.filter((value) => value === 'Bearer good-token').length).toBeGreaterThan(200);
      expect(auth).toContain(undefined);
      expect(auth).toContain('Bearer a.b.c');
    } finally {
      await app.close();
    }
  });

  it('over real HTTP finds the same 500, and reports a server that does not answer', async () => {
    const app = await tinyService({ urnUuid500: true });
    try {
      await app.listen({ host: '127.0.0.1', port: 0 });
      const { port } = app.server.address() as { port: number };
      const document = await documentOf(app);
      const result = await fuzzOpenApi({
        document,
        send: httpSender(`http://127.0.0.1:${port}`),
        runs: 300,
        seed: 7,
        filter: (op) => op.operationId === 'getItem',
      });
      expect(result.failures.map((failure) => failure.mutation)).toContain('path itemId: urn:uuid id');
      expect(Object.keys(result.byOperation)).toEqual(['getItem']);

      const refused = await fuzzOpenApi({
        document,
        send: httpSender('http://127.0.0.1:9', 2000),
        runs: 3,
        seed: 1,
      });
      expect(refused.failures).toHaveLength(6);
      expect(refused.failures.every((failure) => failure.status === null && failure.reason === 'no answer (ECONNREFUSED)')).toBe(true);
    } finally {
      await app.close();
    }
  });

  it('never puts a generated SSN or a credential into its failures or report', async () => {
    const app = Fastify({ logger: false });
    await app.register(swagger, {
      openapi: { openapi: '3.1.0', info: { title: 'tiny', version: '1' } },
    });
    app.get('/openapi.json', { schema: { hide: true } }, () => app.swagger());
    app.post('/v1/items', { schema: { operationId: 'createItem', body: ItemSchema } }, async () => {
      throw new Error('every case fails');
    });
    await app.ready();
    try {
      const document = (await app.inject({ url: '/openapi.json' })).json();
      const recorder = recording(injectSender(app));
      const result = await fuzzOpenApi({
        document,
        send: recorder.send,
        runs: 100,
        seed: 4,
        authHeaders: () => ({ authorization: 'Bearer secret-token-value' }),
      });
      expect(result.failures).toHaveLength(100);
      const ssns = recorder.sent.flatMap((request) => request.body?.match(/\d{3}-\d{2}-\d{4}/g) ?? []);
      expect(ssns.length).toBeGreaterThan(10);
      const reported = JSON.stringify(result.failures) + formatFuzzFailures(result).join('\n');
      for (const ssn of ssns) expect(reported).not.toContain(ssn);
      expect(reported).not.toContain('secret-token-value');
    } finally {
      await app.close();
    }
  });
});

describe('judgeResponse', () => {
  const json = 'application/problem+json; charset=utf-8';
  it.each([
    [
      'a 2xx',
      {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: '{}',
      },
      undefined,
    ],
    [
      'a complete problem',
      {
        status: 404,
        headers: { 'content-type': json },
        body: JSON.stringify(problem(404, 'NOT_FOUND')),
      },
      undefined,
    ],
    [
      'a 503 problem',
      {
        status: 503,
        headers: { 'content-type': json },
        body: JSON.stringify(problem(503, 'DOWN')),
      },
      'server error 503 DOWN',
    ],
    [
      'a problem without code',
      {
        status: 400,
        headers: { 'Content-Type': json },
        body: '{"type":"t","title":"x","status":400}',
      },
      '400 problem lacks code',
    ],
    [
      'a problem with the wrong status',
      {
        status: 409,
        headers: { 'content-type': json },
        body: JSON.stringify(problem(400, 'X')),
      },
      '409 problem says status 400',
    ],
    [
      'a problem body that is not JSON',
      { status: 422, headers: { 'content-type': json }, body: 'oops' },
      '422 problem+json body is not a JSON object',
    ],
    ['a 4xx with no content type', { status: 413, headers: {}, body: '' }, '413 answered as no content type, not application/problem+json'],
  ])('judges %s', (_label, response, expected) => {
    expect(judgeResponse(response)).toBe(expected);
  });
});

describe('redactRequest', () => {
  it('masks credentials, PII-named fields and SSN-like digit runs but keeps ids and structure', () => {
    const redacted = redactRequest({
      method: 'POST',
      path: '/v1/customers/3f1d2b6a-7c10-4e7b-9d3c-5f0c8a9e4a8e/search?q=123-45-6789',
      headers: {
        authorization: 'Bearer abc',
        'x-service-credential': 'caller.secret',
        'idempotency-key': 'key-12345678',
      },
      body: JSON.stringify({
        ssn: '123-45-6789',
        note: 'call 2125550123',
        quantity: 3,
        nested: { accountNumber: '000123456789' },
      }),
    });
    expect(redacted).toEqual({
      method: 'POST',
      path: '/v1/customers/3f1d2b6a-7c10-4e7b-9d3c-5f0c8a9e4a8e/search?q=[digits]',
      headers: {
        authorization: '[redacted, 10 chars]',
        'x-service-credential': '[redacted, 13 chars]',
        'idempotency-key': 'key-[digits]',
      },
      body: '{"ssn":"[redacted]","note":"call [digits]","quantity":3,"nested":{"accountNumber":"[redacted]"}}',
    });
  });
});
