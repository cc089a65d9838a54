import { Writable } from 'node:stream';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import createError from '@fastify/error';
import Fastify, { type FastifyInstance } from 'fastify';
import { ProblemSchema } from '@bartholomew/contracts-shared';
import { loadConfig, ServiceConfigSchema } from './config';
import { platform } from './platform-plugin';
import { serviceServerOptions } from './server-options';

const PROCESS_SECRET = 'process-secret-0123456789';
const EXPERIENCE_SECRET = 'experience-secret-0123456789';
const processCaller = {
  'x-service-credential': `onboarding-process-api.${PROCESS_SECRET}`,
};

const GreetingSchema = Type.Object({ greeting: Type.String() }, { $id: 'Greeting', additionalProperties: false });
const GreetRequestSchema = Type.Object(
  { name: Type.String({ minLength: 1 }), age: Type.Optional(Type.Integer()) },
  { $id: 'GreetRequest', additionalProperties: false },
);
const CustomerNotFound = createError('CUSTOMER_NOT_FOUND', 'Customer %s was not found', 404);

class CaptureStream extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void) {
    this.lines.push(chunk.toString());
    done();
  }
}

async function buildApp(logs = new CaptureStream()): Promise<FastifyInstance> {
  const config = loadConfig(ServiceConfigSchema, {
    PORT: '0',
    LOG_LEVEL: 'info',
    BODY_LIMIT_BYTES: '2048',
    ACCEPTED_CALLERS: `onboarding-process-api:process:${PROCESS_SECRET},mobile-experience-api:experience:${EXPERIENCE_SECRET}`,
    PII_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
  });
  const app = Fastify(serviceServerOptions(config, { logStream: logs })).withTypeProvider<TypeBoxTypeProvider>();
  await app.register(platform, {
    service: {
      name: 'sample-api',
      title: 'Sample API',
      version: '1.0.0',
      description: 'test',
      tags: [{ name: 'greetings', description: 'g' }],
    },
    config,
    acceptedLayers: ['process'],
    schemas: [GreetingSchema, GreetRequestSchema],
  });
  app.post(
    '/v1/greetings',
    {
      schema: {
        operationId: 'greet',
        tags: ['greetings'],
        body: Type.Ref(GreetRequestSchema),
        response: { 200: Type.Ref(GreetingSchema), 400: ProblemSchema },
      },
    },
    async (request) => ({ greeting: `hello ${request.body.name}` }),
  );
  app.get('/v1/customers/:id', { schema: { params: Type.Object({ id: Type.Integer() }) } }, async (request) => {
    throw new CustomerNotFound(String(request.params.id));
  });
  app.get('/v1/explode', async () => {
    const error = Object.assign(new Error('duplicate key value violates unique constraint "customers_tax_id_key"'), {
      code: '23505',
      detail: 'Key (tax_id)=(123-45-6789) already exists.',
      constraint: 'customers_tax_id_key',
    });
    throw error;
  });
  await app.ready();
  return app;
}

describe('platform plugin', () => {
  let app: FastifyInstance;
  const logs = new CaptureStream();
  beforeAll(async () => {
    app = await buildApp(logs);
  });
  afterAll(() => app.close());

  describe('service credentials', () => {
    it('refuses an anonymous caller with 401 problem+json', async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/v1/greetings',
        payload: { name: 'Ada' },
      });
      expect(res.statusCode).toBe(401);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json()).toMatchObject({
        status: 401,
        code: 'UNAUTHENTICATED_CALLER',
      });
    });
    it('refuses a wrong secret with 401', async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/v1/greetings',
        payload: { name: 'Ada' },
        headers: {
          'x-service-credential': 'onboarding-process-api.wrong-secret-xxxxxxxx',
        },
      });
      expect(res.statusCode).toBe(401);
    });
    it('refuses a known caller from a layer it does not accept with 403', async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/v1/greetings',
        payload: { name: 'Ada' },
        headers: {
          'x-service-credential': `mobile-experience-api.${EXPERIENCE_SECRET}`,
        },
      });
      expect(res.statusCode).toBe(403);
      expect(res.json().code).toBe('CALLER_NOT_ALLOWED');
    });
    it('serves an accepted caller', async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/v1/greetings',
        payload: { name: 'Ada' },
        headers: processCaller,
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ greeting: 'hello Ada' });
    });
    it('leaves health, metrics and docs open to operators', async () => {
      for (const url of ['/health/live', '/health/ready', '/metrics', '/openapi.json', '/docs']) {
        const res = await app.inject({ url });
        expect([200, 302]).toContain(res.statusCode);
      }
    });
  });

  describe('problem details', () => {
    const post = (payload: string, contentType = 'application/json') =>
      app.inject({
        method: 'POST',
        url: '/v1/greetings',
        payload,
        headers: { ...processCaller, 'content-type': contentType },
      });

    it.each([
      ['malformed JSON', '{"name": ', 'application/json', 400, 'MALFORMED_JSON'],
      ['an unknown field', '{"name":"Ada","admin":true}', 'application/json', 400, 'VALIDATION_FAILED'],
      ['a wrong type (no coercion of bodies)', '{"name":"Ada","age":"12"}', 'application/json', 400, 'VALIDATION_FAILED'],
      ['a missing field', '{}', 'application/json', 400, 'VALIDATION_FAILED'],
      ['a wrong content type', 'name=Ada', 'application/x-www-form-urlencoded', 415, 'UNSUPPORTED_MEDIA_TYPE'],
      ['a text/plain body', '{"name":"Ada"}', 'text/plain', 415, 'UNSUPPORTED_MEDIA_TYPE'],
      ['an oversized body', JSON.stringify({ name: 'x'.repeat(5000) }), 'application/json', 413, 'PAYLOAD_TOO_LARGE'],
    ])('answers %s with a problem', async (_label, payload, contentType, status, code) => {
      const res = await post(payload, contentType);
      expect(res.statusCode).toBe(status);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json()).toMatchObject({
        status,
        code,
        type: expect.stringContaining('urn:problem:'),
        title: expect.any(String),
      });
    });

    it('maps a coded error to its status and code', async () => {
      const res = await app.inject({
        url: '/v1/customers/42',
        headers: processCaller,
      });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({
        code: 'CUSTOMER_NOT_FOUND',
        detail: 'Customer 42 was not found',
        instance: '/v1/customers/{id}',
      });
    });

    it('coerces path parameters but refuses ones of the wrong shape', async () => {
      const res = await app.inject({
        url: '/v1/customers/abc',
        headers: processCaller,
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().code).toBe('VALIDATION_FAILED');
    });

    it('answers an unknown route with a 404 problem', async () => {
      const res = await app.inject({
        url: '/v1/nothing-here',
        headers: processCaller,
      });
      expect(res.statusCode).toBe(404);
      expect(res.json().code).toBe('ROUTE_NOT_FOUND');
    });

    it('never leaks driver codes, constraint names or values in a 500', async () => {
      const res = await app.inject({
        url: '/v1/explode',
        headers: processCaller,
      });
      expect(res.statusCode).toBe(500);
      expect(res.json().code).toBe('INTERNAL_ERROR');
      expect(res.body).not.toMatch(/23505|customers_tax_id_key|123-45-6789|duplicate key/);
    });
  });

  describe('request ids', () => {
    it('takes a safe x-request-id and echoes it', async () => {
      const res = await app.inject({
        url: '/health/live',
        headers: { 'x-request-id': 'req-123' },
      });
      expect(res.headers['x-request-id']).toBe('req-123');
    });
    it('takes the trace id of a traceparent', async () => {
      const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
      const res = await app.inject({
        url: '/health/live',
        headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
      });
      expect(res.headers['x-request-id']).toBe(traceId);
    });
    it('replaces an unsafe one with a generated id', async () => {
      const res = await app.inject({
        url: '/health/live',
        headers: { 'x-request-id': 'bad id\nwith newline' },
      });
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });
  });

  describe('operations', () => {
    it('counts requests by route and status in /metrics', async () => {
      await app.inject({
        method: 'POST',
        url: '/v1/greetings',
        payload: { name: 'Ada' },
        headers: processCaller,
      });
      const res = await app.inject({ url: '/metrics' });
      expect(res.body).toMatch(/http_requests_total\{[^}]*route="\/v1\/greetings"[^}]*status_code="200"[^}]*\} [1-9]/);
      expect(res.body).toContain('http_request_duration_seconds_bucket');
    });
    it('publishes OpenAPI 3.1 with component names from $id', async () => {
      const doc = (await app.inject({ url: '/openapi.json' })).json();
      expect(doc.openapi).toBe('3.1.0');
      expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['Greeting', 'GreetRequest']));
      expect(doc.paths['/v1/greetings'].post.operationId).toBe('greet');
    });
    it('documents the service credential as the security scheme', async () => {
      const doc = (await app.inject({ url: '/openapi.json' })).json();
      expect(Object.keys(doc.components.securitySchemes)).toEqual(['serviceCredential']);
    });
    it('sets security headers', async () => {
      const res = await app.inject({ url: '/health/live' });
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    });
  });

  it('keeps SSNs, credentials and error details out of the logs', async () => {
    await app.inject({ url: '/v1/explode', headers: processCaller });
    await app.inject({
      method: 'POST',
      url: '/v1/greetings',
      payload: { name: 'Ada' },
      headers: processCaller,
    });
    const text = logs.lines.join('');
    expect(text).toContain('request failed');
    // Operators still get the error's message and stack, and the request line:
    expect(text).toContain('duplicate key value violates unique constraint');
    expect(text).toMatch(/"stack":"Error: duplicate key/);
    expect(text).toMatch(/"method":"POST","url":"\/v1\/greetings"/);
    expect(text).not.toContain('123-45-6789');
    expect(text).not.toContain(PROCESS_SECRET);
  });

  it('cuts tokens out of logged URLs', async () => {
    await app.inject({
      url: '/v1/customers/42?access_token=eyJhbGciOi.secret-token-value&limit=1',
      headers: processCaller,
    });
    const text = logs.lines.join('');
    expect(text).toContain('access_token=[REDACTED]&limit=1');
    expect(text).not.toContain('secret-token-value');
  });
});

describe('loadConfig', () => {
  it('names every missing or malformed variable', () => {
    expect(() =>
      loadConfig(ServiceConfigSchema, {
        PORT: 'eighty',
        ACCEPTED_CALLERS: 'x',
      }),
    ).toThrow(/PORT is invalid[\s\S]*ACCEPTED_CALLERS is invalid/);
    expect(() => loadConfig(ServiceConfigSchema, {})).toThrow(/PORT is required/);
  });
  it('applies defaults and converts numbers', () => {
    const config = loadConfig(ServiceConfigSchema, {
      PORT: '3101',
      ACCEPTED_CALLERS: '',
    });
    expect(config).toMatchObject({
      PORT: 3101,
      HOST: '127.0.0.1',
      BODY_LIMIT_BYTES: 65536,
    });
  });
});
