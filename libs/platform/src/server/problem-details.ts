import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Problem } from '@bartholomew/contracts-shared';

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

export function buildProblem(request: FastifyRequest, status: number, code: string, detail?: string, extra: Partial<Problem> = {}): Problem {
  return {
    type: problemType(code),
    title: STATUS_CODES[status] ?? 'Error',
    status,
    ...(detail ? { detail } : {}),
    instance: request.url.split('?')[0],
    code,
    requestId: request.id,
    ...extra,
  };
}

export function sendProblem(reply: FastifyReply, problem: Problem, headers: Record<string, string> = {}): FastifyReply {
  return reply.code(problem.status).headers(headers).type(PROBLEM_CONTENT_TYPE).send(problem);
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
      const errors = error.validation.map((issue) => ({
        path: `${error.validationContext ?? 'request'}${issue.instancePath || ''}`,
        message: issue.message ?? 'is invalid',
      }));
      return sendProblem(reply, buildProblem(request, 400, 'VALIDATION_FAILED', error.message, { errors }));
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const code =
        FRAMEWORK_CODES[error.code] ??
        (error.code && !error.code.startsWith('FST_') ? error.code : error instanceof SyntaxError ? 'MALFORMED_JSON' : 'BAD_REQUEST');
      request.log.info({ code, status }, 'request refused');
      return sendProblem(reply, buildProblem(request, status, code, error.message, error.problemExtensions), error.headers);
    }
    if (status === 503 && error.code && !error.code.startsWith('FST_')) {
      // A dependency is down: say so (with Retry-After), without saying how.
      request.log.warn({ err: error }, 'dependency unavailable');
      return sendProblem(reply, buildProblem(request, 503, error.code, error.message), error.headers);
    }
    request.log.error({ err: error }, 'request failed');
    return sendProblem(reply, buildProblem(request, 500, 'INTERNAL_ERROR', 'The request could not be completed. Quote the request id when reporting it.'));
  });

  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, buildProblem(request, 404, 'ROUTE_NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}`)),
  );
}
