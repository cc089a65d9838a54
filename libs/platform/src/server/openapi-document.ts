/**
 * What every OpenAPI document of ours says that no single route does: errors are
 * `application/problem+json` with ONE `$ref`'d Problem component (not a pasted copy per status),
 * and the response headers and request headers the platform itself adds are declared — so a client
 * generated from the document needs no knowledge that is not in it.
 */
import { STATUS_CODES } from 'node:http';
import { ProblemSchema } from '@bartholomew/contracts-shared';
import { IDEMPOTENT_REPLY } from './idempotency';
import { PROBLEM_CONTENT_TYPE } from './problem-details';

type Json = Record<string, unknown>;
interface ResponseObject extends Json {
  description?: string;
  content?: Record<string, { schema?: unknown }>;
  headers?: Record<string, Json>;
}
interface OperationObject extends Json {
  parameters?: Array<{ in: string; name: string } & Json>;
  responses?: Record<string, ResponseObject>;
}

const PROBLEM_REF = { $ref: '#/components/schemas/Problem' };
const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options']);

/** Header counts are small non-negative numbers: bounded and typed so generated clients pick a 32-bit integer. */
const integerHeader = (description: string) => ({
  description,
  schema: {
    type: 'integer',
    format: 'int32',
    minimum: 0,
    maximum: 2_147_483_647,
  },
});

/** Headers the platform puts on answers, by when they appear. */
const RETRY_AFTER = {
  'Retry-After': integerHeader('Seconds to wait before trying again'),
};
// Header names are case-insensitive; this is the spelling clients (and the OWASP lint rules) look for.
const RATE_LIMIT = {
  'X-RateLimit-Limit': integerHeader('Requests allowed per minute for this caller; the quota refills evenly'),
  'X-RateLimit-Remaining': integerHeader('Requests this caller could make right now'),
  'X-RateLimit-Reset': integerHeader("Seconds until this caller's whole quota is available again"),
};
const ETAG = {
  ETag: {
    description: 'Version of this representation; send it back in If-None-Match',
    schema: { type: 'string' },
  },
};
const CACHE_CONTROL = {
  'Cache-Control': {
    description: 'How long the answer may be reused',
    schema: { type: 'string' },
  },
};
const IDEMPOTENT_REPLAYED = {
  'Idempotent-Replayed': {
    description: 'Present (`true`) only when this is the stored answer of an earlier request with the same Idempotency-Key: no new effect',
    schema: { type: 'string', enum: ['true'] },
  },
};
const IDEMPOTENT_REPLY_MARKER = Object.keys(IDEMPOTENT_REPLY)[0];
const IF_NONE_MATCH = {
  in: 'header',
  name: 'if-none-match',
  required: false,
  description: 'The ETag of a copy the client holds: 304 with no body when it is still current',
  schema: { type: 'string' },
};

/** The Problem schema as a component: a plain JSON Schema without TypeBox's `$id` or symbols. */
function problemComponent(): Json {
  const schema = JSON.parse(JSON.stringify(ProblemSchema)) as Json;
  delete schema.$id;
  return schema;
}

function describe(status: string, response: ResponseObject): void {
  if (response.description && response.description !== 'Default Response') return;
  const reason = STATUS_CODES[Number(status)] ?? 'Answer';
  response.description = Number(status) >= 400 ? `${reason} (problem details)` : reason;
}

function shapeOperation(operation: OperationObject, endUsers: boolean): void {
  const responses = operation.responses ?? {};
  const conditional = '304' in responses;
  // Said by the header it declares; the marker itself is no part of the contract.
  const idempotentReply = operation[IDEMPOTENT_REPLY_MARKER] === true;
  delete operation[IDEMPOTENT_REPLY_MARKER];
  for (const [status, response] of Object.entries(responses)) {
    const code = Number(status);
    describe(status, response);
    if (code >= 400) response.content = { [PROBLEM_CONTENT_TYPE]: { schema: PROBLEM_REF } };
    if (code === 304) delete response.content;
    const headers: Record<string, Json> = { ...response.headers };
    if (code === 429 || code === 503) Object.assign(headers, RETRY_AFTER);
    // End users are rate limited once authenticated: every answer after that carries the counters,
    // refusals included (400, 404, 415...); a 401 comes before the token is known, so it has none.
    if (endUsers && code < 500 && code !== 401) Object.assign(headers, RATE_LIMIT);
    if (conditional && (code === 200 || code === 304)) Object.assign(headers, ETAG, CACHE_CONTROL);
    if (idempotentReply && code >= 200 && code < 300) Object.assign(headers, IDEMPOTENT_REPLAYED);
    if (Object.keys(headers).length > 0) response.headers = headers;
  }
  if (conditional && !operation.parameters?.some((parameter) => parameter.in === 'header' && parameter.name.toLowerCase() === 'if-none-match')) {
    operation.parameters = [...(operation.parameters ?? []), IF_NONE_MATCH];
  }
}

/** `transformObject` of @fastify/swagger: shapes the generated document in place and returns it. */
export function shapeOpenApiDocument<T extends object>(document: T, callers: 'services' | 'end-users'): T {
  const doc = document as Json & {
    paths?: Record<string, Record<string, OperationObject>>;
    components?: Json & { schemas?: Json };
  };
  for (const item of Object.values(doc.paths ?? {})) {
    for (const [method, operation] of Object.entries(item)) {
      if (HTTP_METHODS.has(method)) shapeOperation(operation, callers === 'end-users');
    }
  }
  doc.components = {
    ...doc.components,
    schemas: { ...doc.components?.schemas, Problem: problemComponent() },
  };
  // Relative to where the document was fetched from: right locally, behind a gateway and in compose.
  // `x-internal` says who may call it: System and Process APIs are for our own services only.
  doc.servers ??= [
    {
      url: '/',
      description: 'This service, in every environment (local, staging, production): paths are relative to where this document was fetched',
      'x-internal': callers === 'services',
    },
  ];
  return document;
}
