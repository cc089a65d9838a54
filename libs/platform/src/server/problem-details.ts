import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FieldError, Problem } from '@bartholomew/contracts-shared';
import { classifyDatabaseError, DatabaseUnavailable, InvalidParameter } from '../db/errors';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Fastify's own request errors, given stable codes of ours. */
const FRAMEWORK_CODES: Record<string, string> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_CTP_INVALID_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BAD_REQUEST',
  FST_ERR_CTP_INVALID_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_EMPTY_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_VALIDATION: 'VALIDATION_FAILED',
  FST_ERR_NOT_FOUND: 'ROUTE_NOT_FOUND',
};

/** Problem type URIs are stable URNs derived from the code, e.g. `urn:problem:account-not-found`. */
export function problemType(code: string): string {
  return `urn:problem:${code.toLowerCase().replace(/_/g, '-')}`;
}

/** A path parameter echoed in `instance`: only our own ids; anything else a caller typed stays out. */
const ECHOABLE_PARAMETER = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The `instance` of a problem: the matched route with its id parameters filled in
 * (`/v1/onboardings/3f…`), other parameters left as `{name}` — never the raw request path, which a
 * careless or hostile caller can fill with an SSN or a token. Undefined when no route matched.
 */
export function problemInstance(request: FastifyRequest): string | undefined {
  const template = request.routeOptions?.url;
  if (!template || request.is404) return undefined;
  const params = (request.params ?? {}) as Record<string, unknown>;
  return template.replace(/:([A-Za-z0-9_]+)/g, (_match, name: string) => {
    const value = params[name];
    return typeof value === 'string' && ECHOABLE_PARAMETER.test(value) ? value : `{${name}}`;
  });
}

export function buildProblem(request: FastifyRequest, status: number, code: string, detail?: string, extra: Partial<Problem> = {}): Problem {
  const instance = problemInstance(request);
  return {
    type: problemType(code),
    title: STATUS_CODES[status] ?? 'Error',
    status,
    ...(detail ? { detail } : {}),
    ...(instance ? { instance } : {}),
    code,
    requestId: request.id,
    ...extra,
  };
}

export function sendProblem(reply: FastifyReply, problem: Problem, headers: Record<string, string> = {}): FastifyReply {
  return reply.code(problem.status).headers(headers).type(PROBLEM_CONTENT_TYPE).send(problem);
}

/** How long a caller should wait before retrying when the database is unreachable (seconds). */
const DATABASE_RETRY_AFTER_SECONDS = '5';

/**
 * A PostgreSQL error that is not a bug of ours: a value the database could not read (the
 * caller's 400) or a database that cannot be reached (503). Neither echoes the value or the
 * driver's message; the SQLSTATE goes to the log only.
 */
function answerDatabaseFailure(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply | undefined {
  if (error.statusCode !== undefined) return undefined;
  const failure = classifyDatabaseError(error);
  if (failure === 'invalid-input') {
    const refused = new InvalidParameter();
    request.log.info({ code: refused.code, status: 400, sqlState: error.code }, 'request refused by the database');
    return sendProblem(reply, buildProblem(request, 400, refused.code, refused.message));
  }
  if (failure === 'unavailable') {
    const unavailable = new DatabaseUnavailable();
    request.log.warn({ err: error, code: unavailable.code }, 'database unavailable');
    return sendProblem(reply, buildProblem(request, 503, unavailable.code, unavailable.message), { 'retry-after': DATABASE_RETRY_AFTER_SECONDS });
  }
  return undefined;
}

/** Marks a socket that is being drained before it closes: its parser errors need no answer. */
export const DRAINING_BEFORE_CLOSE = Symbol('bartholomew.drainingBeforeClose');
const DRAIN_MS = 2_000;
const DRAIN_MAX_BYTES = 16 * 1024 * 1024;

/**
 * Fastify closes the connection after refusing a body it has not finished reading (413, a
 * malformed or unsupported body). Closing a socket with unread data makes the kernel reset it,
 * and the reset can wipe our answer from the client's buffers before it reads it. So once the
 * answer is written, this socket half-closes and keeps reading (and discarding) what the client
 * still sends — for at most DRAIN_MS and DRAIN_MAX_BYTES — before it is destroyed.
 */
function drainBeforeClosing(socket: Socket | null): void {
  if (!socket || socket.destroyed) return;
  // REVIEW: replaces Node's `destroySoon` (what the HTTP server calls after a `Connection: close`
  // answer) on this one socket; there is no public hook for lingering.
  const drainable = socket as Socket & {
    destroySoon?: () => void;
    [DRAINING_BEFORE_CLOSE]?: boolean;
  };
  drainable.destroySoon = () => {
    drainable[DRAINING_BEFORE_CLOSE] = true;
    let drained = 0;
    const stop = () => socket.destroy();
    const deadline = setTimeout(stop, DRAIN_MS).unref();
    socket.once('close', () => clearTimeout(deadline));
    socket.once('end', stop);
    socket.on('data', (chunk: Buffer) => {
      drained += chunk.length;
      if (drained > DRAIN_MAX_BYTES) stop();
    });
    socket.end();
    socket.resume();
  };
}

/** What ajv reports of one schema violation (Fastify's `error.validation` items). */
interface SchemaIssue {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

/**
 * A schema violation as the field error every answer carries: the pointer names the field itself,
 * also when it is missing or not allowed (ajv points at its parent object then), and the code is
 * the schema keyword it broke, e.g. `REQUIRED`, `PATTERN`, `ADDITIONAL_PROPERTIES`.
 */
function fieldErrorOf(issue: SchemaIssue, context: string): FieldError {
  const child = issue.params['missingProperty'] ?? issue.params['additionalProperty'];
  const pointer = typeof child === 'string' ? `${issue.instancePath}/${child.replace(/~/g, '~0').replace(/\//g, '~1')}` : issue.instancePath;
  const detail = issue.message ?? 'is invalid';
  return {
    pointer,
    code: issue.keyword.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase(),
    detail,
    path: `${context}${issue.instancePath || ''}`,
    message: detail,
  };
}

/** An error that wants extra headers on its problem answer (e.g. `Retry-After`). */
interface ErrorWithHeaders {
  headers?: Record<string, string>;
  problemExtensions?: Partial<Problem>;
}

/**
 * One error handler for every service: RFC 9457 problem+json with a stable `code`.
 * 4xx answers explain themselves; 5xx answers say only that something failed, with the
 * request id to quote — never driver codes, constraint names or stacks.
 */
export function registerProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError & ErrorWithHeaders, request, reply) => {
    if (error.validation) {
      const errors = error.validation.map((issue) => fieldErrorOf(issue, error.validationContext ?? 'request'));
      return sendProblem(
        reply,
        buildProblem(request, 400, 'VALIDATION_FAILED', error.message, {
          errors,
        }),
      );
    }
    const databaseAnswer = answerDatabaseFailure(error, request, reply);
    if (databaseAnswer) return databaseAnswer;
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const code =
        FRAMEWORK_CODES[error.code] ??
        (error.code && !error.code.startsWith('FST_') ? error.code : error instanceof SyntaxError ? 'MALFORMED_JSON' : 'BAD_REQUEST');
      request.log.info({ code, status }, 'request refused');
      if (reply.getHeader('connection') === 'close' && !request.raw.complete) drainBeforeClosing(request.raw.socket);
      return sendProblem(reply, buildProblem(request, status, code, error.message, error.problemExtensions), error.headers);
    }
    if (status === 503 && error.code && !error.code.startsWith('FST_')) {
      // A dependency is down: say so (with Retry-After), without saying how.
      request.log.warn({ err: error }, 'dependency unavailable');
      return sendProblem(reply, buildProblem(request, 503, error.code, error.message), error.headers);
    }
    request.log.error({ err: error }, 'request failed');
    return sendProblem(
      reply,
      buildProblem(request, 500, 'INTERNAL_ERROR', 'The request could not be completed. Quote the request id when reporting it.'),
    );
  });

  app.setNotFoundHandler((request, reply) =>
    // The path is not echoed: whatever a caller put in it (an SSN, a token) stays out of the answer.
    sendProblem(reply, buildProblem(request, 404, 'ROUTE_NOT_FOUND', `No route answers ${request.method} at this path`)),
  );
}
