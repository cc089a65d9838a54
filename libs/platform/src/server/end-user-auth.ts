import createError from '@fastify/error';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import fp from 'fastify-plugin';
import { createLocalJWKSet, createRemoteJWKSet, errors as joseErrors, jwtVerify, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';

/**
 * End-user settings of an Experience API: who issues the bearer tokens, for whom, and which keys
 * and algorithms are trusted. Spread into a service's config schema.
 */
export const EndUserAuthConfigSchema = Type.Object({
  JWT_ISSUER: Type.String({ minLength: 1, description: 'Expected `iss` of end-user tokens' }),
  JWT_AUDIENCE: Type.String({ minLength: 1, description: 'Expected `aud` of end-user tokens' }),
  JWT_JWKS_URL: Type.Optional(Type.String({ pattern: '^https?://', description: 'Where the issuer publishes its JWKS' })),
  JWT_PUBLIC_KEYS: Type.Optional(Type.String({ minLength: 2, description: 'A static JWKS (JSON) instead of a JWKS URL' })),
  JWT_ALGORITHMS: Type.String({ default: 'ES256', pattern: '^(ES256|ES384|RS256|PS256|EdDSA)(,(ES256|ES384|RS256|PS256|EdDSA))*$' }),
  RATE_LIMIT_PER_MINUTE: Type.Integer({ minimum: 1, maximum: 100_000, default: 120, description: 'Requests per end user per minute' }),
});
export type EndUserAuthConfig = Static<typeof EndUserAuthConfigSchema>;

/** The customer behind a request, from a verified token. */
export interface EndUser {
  /** The token's `sub`: the owner of onboardings and accounts. */
  subject: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    endUser: EndUser;
  }
}

const Unauthenticated = createError('UNAUTHENTICATED', '%s', 401);
const TooManyRequests = createError('RATE_LIMITED', 'Too many requests: try again in %s seconds', 429);

const QUERY_TOKEN_NAMES = ['access_token', 'token', 'id_token', 'jwt'];
const OPERATIONAL_PREFIXES = ['/health/', '/metrics', '/openapi.json', '/docs'];

function keySetFrom(config: EndUserAuthConfig): JWTVerifyGetKey {
  if (config.JWT_JWKS_URL) return createRemoteJWKSet(new URL(config.JWT_JWKS_URL));
  if (config.JWT_PUBLIC_KEYS) return createLocalJWKSet(JSON.parse(config.JWT_PUBLIC_KEYS) as JSONWebKeySet);
  throw new Error('End-user auth needs JWT_JWKS_URL or JWT_PUBLIC_KEYS');
}

/** Why a token was refused, in words safe to return (never the token itself). */
function refusal(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'The token has expired';
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `The token's ${error.claim} claim is not accepted`;
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return "The token's algorithm is not accepted";
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return "The token's signature is not valid";
  if (error instanceof joseErrors.JWKSNoMatchingKey) return 'The token was signed by an unknown key';
  return 'The token is not valid';
}

/**
 * Bearer JWT authentication for Experience APIs: verified with `jose` against the configured
 * issuer, audience and key set, algorithms pinned (so `alg: none` and HMAC-with-public-key
 * tricks fail), a little clock tolerance. Tokens in query strings are refused: URLs end up in
 * logs and browser history. Ops routes stay open.
 */
async function endUserAuthPlugin(app: FastifyInstance, options: { config: EndUserAuthConfig }): Promise<void> {
  const { config } = options;
  const keys = keySetFrom(config);
  const algorithms = config.JWT_ALGORITHMS.split(',');
  app.decorateRequest('endUser', null as unknown as EndUser);

  app.addHook('onRequest', async (request: FastifyRequest) => {
    const url = request.routeOptions.url;
    if (!url || OPERATIONAL_PREFIXES.some((prefix) => url.startsWith(prefix))) return;
    const query = new URLSearchParams(request.url.split('?')[1] ?? '');
    if (QUERY_TOKEN_NAMES.some((name) => query.has(name))) {
      throw new Unauthenticated('Tokens are accepted only in the Authorization header, never in the URL');
    }
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)$/.exec(header) : null;
    if (!match) throw new Unauthenticated('A bearer token is required');
    try {
      const { payload } = await jwtVerify(match[1], keys, {
        issuer: config.JWT_ISSUER,
        audience: config.JWT_AUDIENCE,
        algorithms,
        clockTolerance: 5,
        requiredClaims: ['sub', 'exp'],
      });
      request.endUser = { subject: payload.sub as string };
    } catch (error) {
      request.log.info({ reason: refusal(error) }, 'bearer token refused');
      throw Object.assign(new Unauthenticated(refusal(error)), { headers: { 'www-authenticate': 'Bearer error="invalid_token"' } });
    }
  });

  // Per customer, keyed on the verified subject — not on an IP a proxy header could spoof.
  await app.register(rateLimit, {
    global: true,
    hook: 'preHandler',
    max: config.RATE_LIMIT_PER_MINUTE,
    timeWindow: 60_000,
    allowList: (request) => !request.endUser,
    keyGenerator: (request) => (request.endUser ? `sub:${request.endUser.subject}` : `ip:${request.ip}`),
    errorResponseBuilder: (_request, context) => {
      const seconds = Math.max(1, Math.ceil(context.ttl / 1000));
      return Object.assign(new TooManyRequests(String(seconds)), { headers: { 'retry-after': String(seconds) } });
    },
  });
}

export const endUserAuth = fp(endUserAuthPlugin, { name: 'end-user-auth', fastify: '5.x' });
