import { randomUUID } from 'node:crypto';
import type { FastifyRequest, FastifyServerOptions } from 'fastify';
import { stdSerializers } from 'pino';
import type { ServiceConfig } from './config';
import { redactPaths, scrubLogObject, scrubLogText } from './log-redaction';

/** Query parameters clients wrongly put tokens in (end-user APIs refuse them with 401, but the request is logged first). */
const TOKEN_PARAMETER = /([?&](?:access_token|token|id_token|jwt|api_key|apikey)=)[^&#]*/gi;

/** The URL as it may be logged: values of token-bearing query parameters replaced. */
export function loggableUrl(url: string): string {
  return url.replace(TOKEN_PARAMETER, '$1[REDACTED]');
}

/** The request as logged: no headers (they carry credentials), no body, tokens cut from the URL. */
const loggableRequest = (request: FastifyRequest) => ({
  method: request.method,
  url: loggableUrl(request.url),
  host: request.host,
  remoteAddress: request.ip,
});

/** Errors are serialized first (message, stack, own fields), then scrubbed like everything else. */
const scrubbedError = (error: Error) =>
  scrubLogObject(stdSerializers.err(error) as unknown as Record<string, unknown>) as ReturnType<typeof stdSerializers.err>;

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const TRACEPARENT = /^[\da-f]{2}-([\da-f]{32})-[\da-f]{16}-[\da-f]{2}$/;

/**
 * The request id: the caller's `x-request-id` when it is a safe token, else the trace id of a
 * W3C `traceparent`, else a new UUID. Never trusted verbatim (it is logged and echoed).
 */
export function requestIdFrom(headers: Record<string, string | string[] | undefined>): string {
  const given = headers['x-request-id'];
  if (typeof given === 'string' && SAFE_REQUEST_ID.test(given)) return given;
  const traceparent = headers['traceparent'];
  const trace = typeof traceparent === 'string' ? TRACEPARENT.exec(traceparent) : null;
  if (trace) return trace[1];
  return randomUUID();
}

export interface ServerOptionsOverrides {
  /** A pino destination stream (tests capture logs with it). */
  logStream?: NodeJS.WritableStream | { write(line: string): void };
}

/**
 * Fastify options every service starts with: pino with redaction, request ids, body limit,
 * timeouts. Passed to `Fastify()` by main.ts and by tests, so both run the same server.
 */
export function serviceServerOptions(config: ServiceConfig, overrides: ServerOptionsOverrides = {}): FastifyServerOptions {
  return {
    logger: {
      level: config.LOG_LEVEL,
      redact: { paths: redactPaths, censor: '[REDACTED]' },
      formatters: { log: scrubLogObject },
      serializers: { req: loggableRequest, err: scrubbedError, error: scrubbedError },
      hooks: {
        logMethod(args, method) {
          const scrubbed = args.map((arg) => (typeof arg === 'string' ? scrubLogText(arg) : arg));
          return method.apply(this, scrubbed as Parameters<typeof method>);
        },
      },
      ...(overrides.logStream ? { stream: overrides.logStream as NodeJS.WritableStream } : {}),
    },
    genReqId: (request) => requestIdFrom(request.headers),
    bodyLimit: config.BODY_LIMIT_BYTES,
    requestTimeout: config.REQUEST_TIMEOUT_MS,
    connectionTimeout: config.REQUEST_TIMEOUT_MS * 2,
    keepAliveTimeout: 72_000,
    return503OnClosing: true,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    forceCloseConnections: 'idle',
  };
}
