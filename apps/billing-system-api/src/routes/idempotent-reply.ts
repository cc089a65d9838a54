import type { FastifyReply } from 'fastify';
import type { IdempotentResult } from '@bartholomew/platform';

/**
 * Answers an idempotent write: the first answer, or the stored one again with
 * `idempotent-replayed: true` so the caller can tell a replay from a new effect.
 */
export function sendIdempotent<T>(reply: FastifyReply, result: IdempotentResult<T>, location: string): FastifyReply {
  if (result.replayed) reply.header('idempotent-replayed', 'true');
  return reply.code(result.statusCode).header('location', location).send(result.body);
}
