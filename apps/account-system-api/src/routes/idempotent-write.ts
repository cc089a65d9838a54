import { fingerprintRequest, sendIdempotentReply } from '@bartholomew/platform/server';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Idempotent, IdempotencyToken } from '../core-banking/core-banking';

/**
 * The idempotency token of a write: scoped to the caller and the operation, so two callers'
 * keys never collide, and fingerprinting everything that identifies the request — path ids
 * included, so one key cannot be replayed against another account.
 */
export function idempotencyTokenOf(request: FastifyRequest, operation: string, identifyingRequest: unknown): IdempotencyToken {
  return {
    scope: `${request.caller.name}:${operation}`,
    // Present and well-formed: every idempotent route requires the header in its schema.
    key: request.headers['idempotency-key'] as string,
    requestHash: fingerprintRequest(request.server.pii, identifyingRequest),
  };
}

/** Answers 201 with the created resource through the platform's idempotent reply (replays marked). */
export function created<T>(reply: FastifyReply, result: Idempotent<T>): FastifyReply {
  return sendIdempotentReply(reply, { statusCode: 201, body: result.value, replayed: result.replayed });
}
