import { fingerprintRequest } from '@bartholomew/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Idempotent, IdempotencyToken } from '../core-banking/core-banking';

/** The header saying an answer is the stored answer of an earlier request with the same key. */
export const IDEMPOTENT_REPLAYED_HEADER = 'idempotent-replayed';

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

/** Answers 201 with the created resource, marking replays. */
export function created<T>(reply: FastifyReply, result: Idempotent<T>): T {
  reply.code(201);
  if (result.replayed) reply.header(IDEMPOTENT_REPLAYED_HEADER, 'true');
  return result.value;
}
