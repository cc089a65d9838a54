import Fastify from 'fastify';
import { registerProblemHandlers } from './problem-details';

/** A route with a body, a query and a header to refuse, behind the platform's problem handler. */
async function app() {
  // As the platform configures ajv: unknown fields are refused, not stripped.
  const server = Fastify({ ajv: { customOptions: { removeAdditional: false } } });
  registerProblemHandlers(server);
  server.post(
    '/v1/things',
    {
      schema: {
        querystring: { type: 'object', properties: { limit: { type: 'integer', maximum: 10 } } },
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['applicant'],
          properties: {
            applicant: {
              type: 'object',
              additionalProperties: false,
              required: ['ssn', 'name/alias'],
              properties: { ssn: { type: 'string', pattern: '^\\d{9}$' }, 'name/alias': { type: 'string' } },
            },
          },
        },
      },
    },
    async () => ({ ok: true }),
  );
  await server.ready();
  return server;
}

describe('schema validation failures as field errors', () => {
  it('answers a JSON Pointer into the body, the broken keyword as a code and a detail, and keeps path and message', async () => {
    const server = await app();
    const res = await server.inject({ method: 'POST', url: '/v1/things', payload: { applicant: { ssn: '12-3', 'name/alias': 'x' } } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ pointer: '/applicant/ssn', code: 'PATTERN', detail: expect.any(String), path: 'body/applicant/ssn', message: expect.any(String) }],
    });
    await server.close();
  });

  it('points at the missing or unexpected field itself, escaped as RFC 6901 says, not at its parent', async () => {
    const server = await app();
    const missing = await server.inject({ method: 'POST', url: '/v1/things', payload: { applicant: { ssn: '123456789' } } });
    expect(missing.json().errors).toEqual([expect.objectContaining({ pointer: '/applicant/name~1alias', code: 'REQUIRED' })]);
    const extra = await server.inject({
      method: 'POST',
      url: '/v1/things',
      payload: { applicant: { ssn: '123456789', 'name/alias': 'x' }, admin: true },
    });
    expect(extra.json().errors).toEqual([expect.objectContaining({ pointer: '/admin', code: 'ADDITIONAL_PROPERTIES' })]);
    await server.close();
  });

  it('names the request part in path when the query is refused', async () => {
    const server = await app();
    const res = await server.inject({ method: 'POST', url: '/v1/things?limit=11', payload: { applicant: { ssn: '123456789', 'name/alias': 'x' } } });
    expect(res.json().errors).toEqual([expect.objectContaining({ pointer: '/limit', code: 'MAXIMUM', path: 'querystring/limit' })]);
    await server.close();
  });
});
