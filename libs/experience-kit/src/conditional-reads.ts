import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set when any part of the answer is a last good answer: the age of the oldest part, in ms. */
    staleAgeMs: number | undefined;
  }
}

/** A strong validator of the exact bytes sent: same JSON, same ETag. */
export function entityTag(payload: string | Buffer): string {
  return `"${createHash('sha256').update(payload).digest('base64url').slice(0, 27)}"`;
}

/** RFC 9110 If-None-Match: weak comparison, a list of tags, or `*`. */
export function ifNoneMatchHolds(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => opaque(tag) === opaque(etag));
}

/** Marks this request's answer as (partly) served from a last good answer. */
export function markStale(request: FastifyRequest, ageMs: number): void {
  request.staleAgeMs = Math.max(request.staleAgeMs ?? 0, ageMs);
}

/** The body with `stale: true` when any part of it came from a last good answer. */
export function withStaleMarker<T extends object>(request: FastifyRequest, body: T): T & { stale?: true } {
  return request.staleAgeMs === undefined ? body : { ...body, stale: true as const };
}

/** Reads of the API's versioned paths (`/v1/...`, `/v2/...`), not health, metrics or docs. */
const API_PATH = /^\/v\d+\//;

/** `Cache-Control` of the customer's own data: revalidated on each use. */
export const PRIVATE_DATA_CACHE_CONTROL = 'private, no-cache';
/**
 * `Cache-Control` of an answer that is the same for everyone and changes only with a release (the
 * product catalogue): reused for an hour, then revalidated. Private all the same: it is answered
 * only to a bearer token, and shared caches must not serve it to requests without one.
 */
export const CATALOGUE_CACHE_CONTROL = 'private, max-age=3600';

/**
 * Conditional reads for end-user clients on any network: every successful read carries an `ETag`; a
 * read whose `If-None-Match` still holds gets `304` and no body. Answers are private to the user
 * (`Vary: Authorization`) and revalidated on each use (`no-cache`) unless the route set its own
 * `Cache-Control`. A stale answer says so in headers too — `<staleHeader>: true` (the API contract
 * names it), `Age`, and the (obsolete but widely understood) `Warning: 110`.
 */
async function conditionalReadsPlugin(app: FastifyInstance, { staleHeader }: { staleHeader: string }): Promise<void> {
  app.decorateRequest('staleAgeMs', undefined);
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.staleAgeMs !== undefined && reply.statusCode < 400) {
      reply.header(staleHeader, 'true');
      reply.header('age', String(Math.floor(request.staleAgeMs / 1000)));
      reply.header('warning', '110 - "Response is Stale"');
    }
    const isApiRead = (request.method === 'GET' || request.method === 'HEAD') && API_PATH.test(request.routeOptions.url ?? '');
    if (!isApiRead || reply.statusCode !== 200 || (typeof payload !== 'string' && !Buffer.isBuffer(payload))) return payload;
    const etag = entityTag(payload);
    reply.header('etag', etag);
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', PRIVATE_DATA_CACHE_CONTROL);
    // Added to, not replaced: CORS answers already vary by Origin.
    const vary = reply.getHeader('vary');
    reply.header('vary', vary ? `${String(vary)}, authorization` : 'authorization');
    const condition = request.headers['if-none-match'];
    if (ifNoneMatchHolds(typeof condition === 'string' ? condition : undefined, etag)) {
      reply.code(304);
      reply.removeHeader('content-type');
      reply.removeHeader('content-length');
      return '';
    }
    return payload;
  });
}

export const conditionalReads = fp(conditionalReadsPlugin, {
  name: 'conditional-reads',
  fastify: '5.x',
});
