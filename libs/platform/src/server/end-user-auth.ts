import { setTimeout as delay } from 'node:timers/promises';
import createError from '@fastify/error';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { createLocalJWKSet, createRemoteJWKSet, errors as joseErrors, jwtVerify, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { FallbackRateLimitStore, MemoryRateLimitStore, RedisRateLimitStore, type RateLimitStore } from './rate-limit-store';
import { TokenRefused, VerifiedTokenCache, type VerifiedToken } from './verified-token-cache';

/**
 * End-user settings of an Experience API: who issues the bearer tokens, for whom, which keys and
 * algorithms are trusted, and how hard clients may call. Spread into a service's config schema.
 */
export const EndUserAuthConfigSchema = Type.Object({
  JWT_ISSUER: Type.String({
    minLength: 1,
    description: 'Expected `iss` of end-user tokens',
  }),
  JWT_AUDIENCE: Type.String({
    minLength: 1,
    description: 'Expected `aud` of end-user tokens',
  }),
  JWT_JWKS_URL: Type.Optional(
    Type.String({
      pattern: '^https?://',
      description: 'Where the issuer publishes its JWKS',
    }),
  ),
  JWT_PUBLIC_KEYS: Type.Optional(
    Type.String({
      minLength: 2,
      description: 'A static JWKS (JSON) instead of a JWKS URL',
    }),
  ),
  JWT_ALGORITHMS: Type.String({
    default: 'ES256',
    pattern: '^(ES256|ES384|RS256|PS256|EdDSA)(,(ES256|ES384|RS256|PS256|EdDSA))*$',
  }),
  JWT_CACHE_TTL_S: Type.Integer({
    minimum: 0,
    maximum: 3600,
    default: 60,
    description: 'Longest a verified token is trusted without a new signature check (never past its exp); 0 verifies every request',
  }),
  JWT_CACHE_MAX_ENTRIES: Type.Integer({
    minimum: 1,
    maximum: 1_000_000,
    default: 10_000,
    description: 'Verified tokens remembered (refused ones: a tenth of this)',
  }),
  RATE_LIMIT_PER_MINUTE: Type.Integer({
    minimum: 1,
    maximum: 100_000,
    default: 120,
    description:
      'Requests per end user (token subject) per minute; the quota refills evenly, one request every 60/N s, so a client that keeps asking is let through at that pace, never in bursts',
  }),
  RATE_LIMIT_BURST_PER_SECOND: Type.Integer({
    minimum: 1,
    maximum: 10_000,
    default: 10,
    description:
      'Requests per end user in any one second, besides the per-minute quota: a client cannot spend its whole minute in a burst that starves everyone else',
  }),
  RATE_LIMIT_CONCURRENT_PER_USER: Type.Integer({
    minimum: 1,
    maximum: 10_000,
    default: 4,
    description:
      'Requests one end user may have in progress at once in this process (an app screen makes a few in parallel): a client firing many at once queues behind nobody else but itself',
  }),
  RATE_LIMIT_PER_IP_PER_MINUTE: Type.Integer({
    minimum: 1,
    maximum: 1_000_000,
    default: 1_200,
    description: 'Requests per client address per minute, counted before authentication (ops routes excepted)',
  }),
  RATE_LIMIT_PER_IP_BURST_PER_SECOND: Type.Integer({
    minimum: 1,
    maximum: 100_000,
    default: 50,
    description:
      'Requests per client address in any one second, besides the per-minute quota: an address cannot spend its minute (a whole NAT of customers) in one burst',
  }),
  RATE_LIMIT_REFUSAL_DELAY_MS: Type.Integer({
    minimum: 0,
    maximum: 10_000,
    default: 1_000,
    description:
      'How long a request over its limit is held before its 429 (a random time between half and all of this): a client that ignores Retry-After gets its refusals no faster than one per connection per half of this, and refusals that came together go back apart',
  }),
  REDIS_URL: Type.Optional(
    Type.String({
      pattern: '^rediss?://',
      description: 'Redis shared by every replica for rate limits; unset: each process counts alone',
    }),
  ),
  RATE_LIMIT_KEY_PREFIX: Type.String({
    pattern: '^[A-Za-z0-9:._-]{1,64}$',
    default: 'bartholomew:rate-limit:',
    description: 'Prefix of the rate-limit keys in Redis: services with the same prefix share each quota',
  }),
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

/** The one answer to every refused token: which check failed would tell a forger how far they got. */
const INVALID_TOKEN = 'The bearer token is not valid';
const CLOCK_TOLERANCE_S = 5;
const WINDOW_MS = 60_000;

const QUERY_TOKEN_NAMES = ['access_token', 'token', 'id_token', 'jwt'];
const OPERATIONAL_PREFIXES = ['/health/', '/metrics', '/openapi.json', '/docs'];
const isOperational = (url: string | undefined) => url !== undefined && OPERATIONAL_PREFIXES.some((prefix) => url.startsWith(prefix));

function keySetFrom(config: EndUserAuthConfig): JWTVerifyGetKey {
  if (config.JWT_JWKS_URL) return createRemoteJWKSet(new URL(config.JWT_JWKS_URL));
  if (config.JWT_PUBLIC_KEYS) return createLocalJWKSet(JSON.parse(config.JWT_PUBLIC_KEYS) as JSONWebKeySet);
  throw new Error('End-user auth needs JWT_JWKS_URL or JWT_PUBLIC_KEYS');
}

/** Why `jose` refused a token, for the log. Failures to reach the key set say nothing about the token: not remembered. */
function refusal(error: unknown): TokenRefused {
  if (error instanceof joseErrors.JWTExpired) return new TokenRefused('expired');
  if (error instanceof joseErrors.JWTClaimValidationFailed) return new TokenRefused(`${error.claim} claim ${error.reason}`);
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return new TokenRefused('algorithm not allowed');
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return new TokenRefused('signature');
  if (error instanceof joseErrors.JWKSNoMatchingKey) return new TokenRefused('unknown key');
  if (error instanceof joseErrors.JWKSTimeout || error instanceof joseErrors.JWKSInvalid || !(error instanceof joseErrors.JOSEError)) {
    return new TokenRefused('key set unavailable', false);
  }
  return new TokenRefused(`malformed (${error.code})`);
}

/** The signature and claim checks: issuer, audience, pinned algorithms, exp, nbf — and an `iat` not in the future. */
function tokenVerifier(config: EndUserAuthConfig): (token: string) => Promise<VerifiedToken<EndUser>> {
  const keys = keySetFrom(config);
  const algorithms = config.JWT_ALGORITHMS.split(',');
  return async (token) => {
    const { payload } = await jwtVerify(token, keys, {
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
      algorithms,
      clockTolerance: CLOCK_TOLERANCE_S,
      requiredClaims: ['sub', 'exp'],
    }).catch((error: unknown) => {
      throw refusal(error);
    });
    // jose checks `iat` only against a maximum age; a token minted in the future is a forged or misconfigured issuer.
    if (typeof payload.iat === 'number' && payload.iat > Date.now() / 1000 + CLOCK_TOLERANCE_S) throw new TokenRefused('iat in the future');
    const subject = payload.sub;
    if (typeof subject !== 'string' || subject.length === 0 || subject.length > 255) throw new TokenRefused('sub claim unusable');
    return { identity: { subject }, expiresAt: (payload.exp as number) * 1000 };
  };
}

/** Memory by default; with REDIS_URL one quota across replicas, falling back to memory while Redis does not answer. */
async function rateLimitStoreFor(app: FastifyInstance, config: EndUserAuthConfig): Promise<RateLimitStore> {
  if (!config.REDIS_URL) return new MemoryRateLimitStore();
  const redis = await RedisRateLimitStore.create(config.REDIS_URL, app.log, `rate-limit@${config.RATE_LIMIT_KEY_PREFIX}`);
  const store = new FallbackRateLimitStore(redis, app.log);
  if (!(await redis.connected())) store.sharedUnavailable(new Error('not reachable at start'));
  return store;
}

/**
 * Bearer JWT authentication and rate limits for Experience APIs.
 *
 * Every request but the ops routes is first counted per client address (`request.ip`, so behind
 * a trusted proxy the real client), per second and per minute, before any token is looked at: a flood of forged tokens is
 * cut off without a signature check each. Tokens are verified with `jose` against the configured
 * issuer, audience and key set, algorithms pinned (so `alg: none` and HMAC-with-public-key tricks
 * fail), then remembered briefly (VerifiedTokenCache). Every refusal answers the same detail; the
 * reason goes to the log. Tokens in query strings are refused: URLs end up in logs and history.
 * Then each customer (token subject) has its own quota and a cap on its requests in progress.
 * Every limit answers 429 problem+json with Retry-After (and x-ratelimit-* for the quotas), held
 * up to RATE_LIMIT_REFUSAL_DELAY_MS first; with REDIS_URL the quotas are shared by every replica and by
 * every service with the same RATE_LIMIT_KEY_PREFIX.
 */
async function endUserAuthPlugin(app: FastifyInstance, options: { config: EndUserAuthConfig }): Promise<void> {
  const { config } = options;
  const tokens = new VerifiedTokenCache(tokenVerifier(config), {
    ttlMs: config.JWT_CACHE_TTL_S * 1000,
    maxEntries: config.JWT_CACHE_MAX_ENTRIES,
  });
  const store = await rateLimitStoreFor(app, config);
  app.addHook('onClose', async () => store.close());
  app.decorateRequest('endUser', null as unknown as EndUser);
  /** Requests in progress per end user, in this process. */
  const inProgress = new Map<string, number>();
  /**
   * Holds a refused request before its 429. A flooder that answers each 429 with the next request
   * would otherwise cost us a refusal per round trip; held, it costs a timer, and its connections
   * (capped per peer) set its pace. A random time between half and all of the delay, whenever its
   * quota refills: a flood's connections are refused together, and held to one moment (the end of
   * a window, say) they would come back together, every time, as one burst that everyone else's
   * requests wait behind.
   */
  const holdRefusal = () => delay(Math.round(config.RATE_LIMIT_REFUSAL_DELAY_MS * (0.5 + Math.random() / 2)));

  /** Takes the request from `key`'s quota of `max` per window; 429 beyond it. The subject's quota is the one shown on answers. */
  const enforce = async (reply: FastifyReply, key: string, max: number, showQuota: boolean, windowMs = WINDOW_MS) => {
    const decision = await store.take(`${config.RATE_LIMIT_KEY_PREFIX}${key}`, max, windowMs);
    const quota = {
      'x-ratelimit-limit': String(max),
      'x-ratelimit-remaining': String(decision.remaining),
      'x-ratelimit-reset': String(Math.max(1, Math.ceil(decision.resetInMs / 1000))),
    };
    if (!decision.allowed) {
      await holdRefusal();
      const retrySeconds = String(Math.max(1, Math.ceil(decision.retryInMs / 1000)));
      throw Object.assign(new TooManyRequests(retrySeconds), {
        headers: { ...quota, 'retry-after': retrySeconds },
      });
    }
    if (showQuota) reply.headers(quota);
  };

  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const url = request.routeOptions.url;
    if (isOperational(url)) return;
    await enforce(reply, `ip:${request.ip}:second`, config.RATE_LIMIT_PER_IP_BURST_PER_SECOND, false, 1_000);
    await enforce(reply, `ip:${request.ip}`, config.RATE_LIMIT_PER_IP_PER_MINUTE, false);
    if (!url) return; // no such route: a 404 needs no token
    const query = new URLSearchParams(request.url.split('?')[1] ?? '');
    if (QUERY_TOKEN_NAMES.some((name) => query.has(name))) {
      throw new Unauthenticated('Tokens are accepted only in the Authorization header, never in the URL');
    }
    const header = request.headers.authorization;
    if (typeof header !== 'string' || !/^Bearer /i.test(header)) {
      throw Object.assign(new Unauthenticated('A bearer token is required'), {
        headers: { 'www-authenticate': 'Bearer' },
      });
    }
    try {
      const token = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)$/i.exec(header)?.[1];
      if (!token) throw new TokenRefused('not a compact JWT');
      request.endUser = await tokens.check(token);
    } catch (error) {
      if (!(error instanceof TokenRefused)) throw error;
      request.log.info({ reason: error.reason }, 'end-user token refused');
      throw Object.assign(new Unauthenticated(INVALID_TOKEN), {
        headers: { 'www-authenticate': 'Bearer error="invalid_token"' },
      });
    }
    // The burst first: a customer who spends the minute's quota in one second is held to a fair
    // share of the machine; the per-minute quota is the one the answers show.
    await enforce(reply, `subject:${request.endUser.subject}:second`, config.RATE_LIMIT_BURST_PER_SECOND, false, 1_000);
    await enforce(reply, `subject:${request.endUser.subject}`, config.RATE_LIMIT_PER_MINUTE, true);
    // Even within its quota, a customer's requests in progress are capped: twenty home screens at
    // once would fill the machine for everyone for as long as they take.
    const subject = request.endUser.subject;
    const running = inProgress.get(subject) ?? 0;
    if (running >= config.RATE_LIMIT_CONCURRENT_PER_USER) {
      await holdRefusal();
      throw Object.assign(new TooManyRequests('1'), { headers: { 'retry-after': '1' } });
    }
    inProgress.set(subject, running + 1);
    reply.raw.once('close', () => {
      const left = (inProgress.get(subject) ?? 1) - 1;
      if (left === 0) inProgress.delete(subject);
      else inProgress.set(subject, left);
    });
  });
}

export const endUserAuth = fp(endUserAuthPlugin, {
  name: 'end-user-auth',
  fastify: '5.x',
});
