import cors from '@fastify/cors';
import { Type, type Static, type TObject } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** One exact origin as a browser sends it: scheme, lower-case host, optional port — no path, no slash, no wildcard. */
const ORIGIN = 'https?://([a-z0-9-]+(\\.[a-z0-9-]+)*|\\[[0-9a-f:.]+\\])(:[0-9]{1,5})?';

/**
 * The variable of an Experience API whose clients run in browsers on other origins (web banking),
 * to spread into its config schema. Native mobile apps are not browsers: they send no preflight
 * and read every header, so the mobile Experience API has no use for it and does not take it.
 */
export const BrowserOriginsConfigProperties = {
  CORS_ALLOWED_ORIGINS: Type.String({
    default: '',
    pattern: `^\\s*(${ORIGIN}(\\s*,\\s*${ORIGIN})*)?\\s*$`,
    description:
      'Comma-separated exact origins whose pages may call this API from a browser, e.g. https://bank.example,https://staging.bank.example (default: none)',
  }),
};
export type BrowserOriginsConfig = Static<TObject<typeof BrowserOriginsConfigProperties>>;

/** The allow-list as configured: exact origins, no duplicates. */
export function allowedOriginsOf(config: BrowserOriginsConfig): Set<string> {
  return new Set(
    config.CORS_ALLOWED_ORIGINS.split(',')
      .map((origin) => origin.trim())
      .filter((origin) => origin !== ''),
  );
}

/** What browser clients send and read — everything else stays invisible to page scripts. */
const CORS_METHODS = ['GET', 'HEAD', 'POST'];
const CORS_REQUEST_HEADERS = ['authorization', 'content-type', 'idempotency-key', 'if-none-match', 'x-request-id'];
const CORS_EXPOSED_HEADERS = [
  'etag',
  'location',
  'retry-after',
  'x-request-id',
  'x-ratelimit-limit',
  'x-ratelimit-remaining',
  'x-ratelimit-reset',
  // The stale marker of a last good answer and its age (conditional-reads).
  'x-stale',
  'age',
];
/** Chromium caps a cached preflight at 2 hours; an origin removed from the list is refused at once anyway (ACAO is per request). */
export const PREFLIGHT_MAX_AGE_S = 7200;

/**
 * CORS for browser clients of an Experience API: pages on the configured origins may call it with
 * a bearer token (no cookies, so no credentials mode); any other origin gets no CORS header at all,
 * so the browser refuses the call. With no origin configured nothing is registered.
 *
 * Register it BEFORE the platform: a preflight carries no Authorization header, and Fastify runs
 * onRequest hooks in registration order, so it must be answered before the platform's bearer check.
 */
async function browserCorsPlugin(app: FastifyInstance, { config }: { config: BrowserOriginsConfig }): Promise<void> {
  const allowed = allowedOriginsOf(config);
  if (allowed.size === 0) return;
  // REVIEW: registered before the platform, the plugin's catch-all OPTIONS route is declared before
  // the platform sets its error handler, so it would keep Fastify's default one (CORS as a platform
  // option, between its error handler and its bearer check, would need neither this nor the order):
  // delegate to the server's handler as it is when an error happens, so a refused OPTIONS (no
  // token, unknown origin) is problem+json like any other answer.
  app.addHook('onRoute', (route) => {
    if (route.method === 'OPTIONS' && route.url === '*' && !route.errorHandler) {
      route.errorHandler = (error, request, reply) => request.server.errorHandler(error, request, reply);
    }
  });
  await app.register(cors, {
    // false, not a list: an unknown origin gets no CORS headers and no preflight answer.
    origin: (origin, callback) => callback(null, origin !== undefined && allowed.has(origin)),
    methods: CORS_METHODS,
    allowedHeaders: CORS_REQUEST_HEADERS,
    exposedHeaders: CORS_EXPOSED_HEADERS,
    maxAge: PREFLIGHT_MAX_AGE_S,
    // A bare OPTIONS from an allowed origin gets the same 204; strict mode would answer it with a
    // text/plain 400 instead of this API's problem+json.
    strictPreflight: false,
  });
}

export const browserCors = fp(browserCorsPlugin, {
  name: 'browser-cors',
  fastify: '5.x',
});
