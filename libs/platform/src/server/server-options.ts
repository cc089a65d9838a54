import { randomUUID } from 'node:crypto';
import { createServer, STATUS_CODES, type RequestListener, type Server } from 'node:http';
import { BlockList, isIP, type Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import { LogController } from 'fastify';
import { destination, stdSerializers } from 'pino';
import type { Problem } from '@bartholomew/contracts-shared';
import { ConfigError, type ServiceConfig } from './config';
import { createLogScrubber, REDACTED, redactPaths, type LogScrubber } from './log-redaction';
import { buildProblem, DRAINING_BEFORE_CLOSE, problemType, PROBLEM_CONTENT_TYPE, sendProblem } from './problem-details';

const defaultScrubber = createLogScrubber();

/**
 * Query parameters whose values may be logged: the paging and filter parameters our routes
 * declare (ids, dates, statuses, opaque cursors). Any other value — a token a client put in
 * `?bearer=` or `?access_token=`, an end-user subject — is replaced.
 */
const LOGGABLE_QUERY_PARAMETERS = new Set(['limit', 'cursor', 'status', 'from', 'to', 'customerid', 'accountid']);
/** Parameter names are kept when they look like names; anything else might itself be a secret. */
const PARAMETER_NAME = /^[A-Za-z][A-Za-z0-9_.[\]-]{0,39}$/;

/** The URL as it may be logged: allow-listed query values only, and no secret shapes anywhere. */
export function loggableUrl(url: string, scrubber: LogScrubber = defaultScrubber): string {
  const queryStart = url.indexOf('?');
  if (queryStart === -1) return scrubber.text(url);
  const pairs = url
    .slice(queryStart + 1)
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      const rawName = equals === -1 ? pair : pair.slice(0, equals);
      let name: string;
      try {
        name = decodeURIComponent(rawName);
      } catch {
        name = '';
      }
      if (!PARAMETER_NAME.test(name)) return REDACTED;
      if (equals === -1) return rawName;
      return LOGGABLE_QUERY_PARAMETERS.has(name.toLowerCase()) ? pair : `${rawName}=${REDACTED}`;
    });
  return scrubber.text(`${url.slice(0, queryStart)}?${pairs.join('&')}`);
}

/** Secrets the configuration holds, cut from every log line wherever they appear. */
function configuredSecrets(config: Record<string, unknown>): string[] {
  const secrets: string[] = [];
  for (const [key, value] of Object.entries(config)) {
    if (typeof value !== 'string' || value === '') continue;
    if (key === 'ACCEPTED_CALLERS') {
      for (const entry of value.split(',')) secrets.push(entry.split(':').slice(2).join(':'));
    } else if (/SECRET|PASSWORD|TOKEN|PRIVATE|_KEY$/.test(key)) {
      secrets.push(value);
    } else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
      try {
        const password = decodeURIComponent(new URL(value).password);
        if (password) secrets.push(password);
      } catch {
        // not a URL after all: nothing to take from it
      }
    }
  }
  return secrets;
}

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

/** Named ranges proxy-addr users know, so TRUST_PROXY reads the same as elsewhere. */
const NAMED_RANGES: Record<string, string[]> = {
  loopback: ['127.0.0.1/8', '::1/128'],
  linklocal: ['169.254.0.0/16', 'fe80::/10'],
  uniquelocal: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
};

/**
 * Fastify's `trustProxy` from TRUST_PROXY: empty trusts no proxy (request.ip is the peer);
 * addresses/CIDRs trust those peers' X-Forwarded-For; a number N trusts the N nearest hops —
 * only for services that no client can reach except through that many proxies.
 */
export function trustProxyFrom(setting: string): false | ((address: string, hop: number) => boolean) {
  const value = setting.trim();
  if (value === '') return false;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    return hops === 0 ? false : (_address, hop) => hop < hops;
  }
  const trusted = new BlockList();
  for (const entry of value.split(',').flatMap((item) => NAMED_RANGES[item.trim()] ?? [item.trim()])) {
    const [address, prefix] = entry.split('/');
    const family = isIP(address);
    const bits = prefix === undefined ? undefined : Number(prefix);
    if (family === 0 || (bits !== undefined && !(Number.isInteger(bits) && bits >= 0 && bits <= (family === 4 ? 32 : 128)))) {
      throw new ConfigError([`TRUST_PROXY is invalid: "${entry}" is not an IP address or CIDR range`]);
    }
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (bits === undefined) trusted.addAddress(address, type);
    else trusted.addSubnet(address, bits, type);
  }
  return (address) => {
    const family = isIP(address);
    return family !== 0 && trusted.check(address, family === 4 ? 'ipv4' : 'ipv6');
  };
}

/**
 * What Node's HTTP parser refuses before Fastify sees a request, as our problems. Without this
 * Fastify writes its own `application/json` bodies.
 */
const CLIENT_ERRORS: Record<string, { status: number; code: string; detail: string }> = {
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: 408,
    code: 'REQUEST_TIMEOUT',
    detail: 'The request was not received in time',
  },
  HPE_HEADER_OVERFLOW: {
    status: 431,
    code: 'HEADERS_TOO_LARGE',
    detail: 'The request line and headers are too large',
  },
  HPE_CHUNK_EXTENSIONS_OVERFLOW: {
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
    detail: 'The request body framing is too large',
  },
};
const MALFORMED_REQUEST = {
  status: 400,
  code: 'MALFORMED_REQUEST',
  detail: 'The request is not valid HTTP/1.1',
};
/** How long a refused connection may take to read our answer before it is dropped. */
const CLIENT_ERROR_LINGER_MS = 2_000;

/** A problem as raw HTTP/1.1 bytes, for a socket no request object exists for. */
function rawProblemResponse(status: number, code: string, detail: string, requestId: string): string {
  const problem: Problem = {
    type: problemType(code),
    title: STATUS_CODES[status] ?? 'Error',
    status,
    detail,
    code,
    requestId,
  };
  const body = JSON.stringify(problem);
  return [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}`,
    `Content-Type: ${PROBLEM_CONTENT_TYPE}`,
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Cache-Control: no-store',
    'X-Content-Type-Options: nosniff',
    `X-Request-Id: ${requestId}`,
    'Connection: close',
    '',
    body,
  ].join('\r\n');
}

/**
 * Fastify `clientErrorHandler`: a request Node could not parse or that timed out before routing
 * (slow headers, huge headers, garbage) is answered with a problem — never echoing what was
 * sent — and the connection is closed. Reset connections get nothing: nobody is listening.
 */
function clientErrorHandler(this: FastifyInstance, error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  // Already answered and draining what the client still sends (see problem-details.ts).
  if ((socket as Socket & { [DRAINING_BEFORE_CLOSE]?: boolean })[DRAINING_BEFORE_CLOSE]) return;
  const { status, code, detail } = (error.code && CLIENT_ERRORS[error.code]) || MALFORMED_REQUEST;
  const requestId = randomUUID();
  this.log.info({ requestId, status, code, parserError: error.code }, 'request refused before routing');
  const answering = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (socket.writable && !answering?.headersSent) {
    // end(), not destroy(): a client still sending must get to read the answer first.
    socket.end(rawProblemResponse(status, code, detail, requestId));
    setTimeout(() => socket.destroy(), CLIENT_ERROR_LINGER_MS).unref();
  } else {
    socket.destroy();
  }
}

/** Router-level refusals (bad percent-encoding, an over-long path parameter), as problems without the path. */
const FRAMEWORK_ERRORS: Record<string, { status: number; code: string; detail: string }> = {
  FST_ERR_BAD_URL: {
    status: 400,
    code: 'MALFORMED_URL',
    detail: 'The request path is not validly encoded',
  },
  FST_ERR_MAX_PARAM_LENGTH: {
    status: 414,
    code: 'URI_TOO_LONG',
    detail: 'A path segment is longer than this API accepts',
  },
};

function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  // These answers skip the onSend hooks: set what every answer carries.
  reply.header('x-request-id', request.id).header('x-content-type-options', 'nosniff').header('cache-control', 'no-store');
  const known = FRAMEWORK_ERRORS[error.code];
  if (!known) {
    request.log.error({ err: error }, 'request failed before routing');
    const problem = buildProblem(request, 500, 'INTERNAL_ERROR', 'The request could not be completed. Quote the request id when reporting it.');
    return sendProblem(reply, { ...problem, instance: undefined });
  }
  request.log.info({ code: known.code, status: known.status }, 'request refused before routing');
  return sendProblem(reply, {
    ...buildProblem(request, known.status, known.code, known.detail),
    instance: undefined,
  });
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
  const scrubber = createLogScrubber(configuredSecrets(config));
  /** The request as logged: no headers (they carry credentials), no body, the URL scrubbed. */
  const loggableRequest = (request: FastifyRequest) => ({
    method: request.method,
    url: loggableUrl(request.url, scrubber),
    host: scrubber.text(request.host ?? ''),
    remoteAddress: request.ip,
  });
  /** Errors are serialized first (message, stack, own fields), then scrubbed like everything else. */
  const scrubbedError = (error: Error) =>
    scrubber.object(stdSerializers.err(error) as unknown as Record<string, unknown>) as ReturnType<typeof stdSerializers.err>;
  return {
    logger: {
      level: config.LOG_LEVEL,
      redact: { paths: redactPaths, censor: REDACTED },
      formatters: { log: scrubber.object, bindings: scrubber.object },
      serializers: {
        req: loggableRequest,
        err: scrubbedError,
        error: scrubbedError,
      },
      hooks: {
        logMethod(args, method) {
          const scrubbed = args.map((arg) => (typeof arg === 'string' ? scrubber.text(arg) : arg));
          return method.apply(this, scrubbed as Parameters<typeof method>);
        },
      },
      // Asynchronous by default: a request never waits for its log line to reach the terminal or
      // the collector (pino flushes what is buffered when the process exits).
      stream: overrides.logStream ? (overrides.logStream as NodeJS.WritableStream) : destination({ dest: 1, sync: false }),
    },
    // Fastify's own request logging (two lines a request) off: the platform writes one access line.
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: (request) => requestIdFrom(request.headers),
    trustProxy: trustProxyFrom(config.TRUST_PROXY),
    bodyLimit: config.BODY_LIMIT_BYTES,
    return503OnClosing: true,
    // Plugins that migrate a database or start a worker pool may take longer than Fastify's 10 s on
    // a busy host; a service that gives up on start-up then stays down. Bounded all the same.
    pluginTimeout: config.STARTUP_TIMEOUT_MS,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    forceCloseConnections: 'idle',
    clientErrorHandler,
    frameworkErrors,
    serverFactory: (handler) => createServiceServer(config, handler),
  };
}

/**
 * The HTTP server, with the limits that keep slow or numerous clients from starving the others:
 * headers must arrive within HEADERS_TIMEOUT_MS and the whole request within REQUEST_TIMEOUT_MS
 * (then 408), idle keep-alive sockets close after KEEP_ALIVE_TIMEOUT_MS, and connections beyond
 * MAX_CONNECTIONS (or beyond MAX_CONNECTIONS_PER_PEER from one address) are closed on arrival.
 */
function createServiceServer(config: ServiceConfig, handler: RequestListener) {
  const headersTimeout = Math.min(config.HEADERS_TIMEOUT_MS, config.REQUEST_TIMEOUT_MS);
  const server = createServer(
    {
      headersTimeout,
      requestTimeout: config.REQUEST_TIMEOUT_MS,
      keepAliveTimeout: config.KEEP_ALIVE_TIMEOUT_MS,
      // Node checks those deadlines only this often (default 30 s, which let slow clients linger).
      connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(headersTimeout / 4))),
    },
    handler,
  );
  server.keepAliveTimeout = config.KEEP_ALIVE_TIMEOUT_MS;
  server.maxConnections = config.MAX_CONNECTIONS;
  if (config.MAX_CONNECTIONS_PER_PEER > 0) capConnectionsPerPeer(server, config.MAX_CONNECTIONS_PER_PEER);
  // Sockets with no traffic at all (not even a request line) are dropped too.
  server.setTimeout(config.REQUEST_TIMEOUT_MS * 2);
  return server;
}

/** Closes a peer's connections beyond `cap` on arrival: one client holding every slot would lock out the rest. */
function capConnectionsPerPeer(server: Server, cap: number): void {
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const peer = socket.remoteAddress ?? '';
    const count = (open.get(peer) ?? 0) + 1;
    if (count > cap) {
      socket.destroy();
      return;
    }
    open.set(peer, count);
    socket.once('close', () => {
      const left = (open.get(peer) ?? 1) - 1;
      if (left === 0) open.delete(peer);
      else open.set(peer, left);
    });
  });
}
