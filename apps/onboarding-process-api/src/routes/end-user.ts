import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { EndUserRequired } from '../errors';
import type { Requester } from '../onboarding/onboarding-service';

/**
 * The end user an experience-layer caller acts for. The Experience API verifies the user's token
 * and passes its subject here; this service trusts it because the caller proved itself with its
 * service credential (only known experience services and operators get this far).
 */
export const END_USER_HEADER = 'x-end-user-subject';

/** A token subject: 1–200 visible ASCII characters (e.g. `auth0|64f1c2…`). */
export const EndUserSubjectSchema = Type.String({ pattern: '^[\\x21-\\x7E]{1,200}$', description: 'Subject of the end user the caller acts for' });

export const EndUserHeadersSchema = Type.Object({ [END_USER_HEADER]: Type.Optional(EndUserSubjectSchema) });

/** Who asks. Experience callers must name their end user; operators may, but need not. */
export function requesterOf(request: FastifyRequest): Requester {
  const header = request.headers[END_USER_HEADER];
  const endUser = typeof header === 'string' ? header : undefined;
  const isOperator = request.caller.layer === 'operator';
  if (!isOperator && !endUser) throw new EndUserRequired();
  return { callerName: request.caller.name, isOperator, endUser, requestId: request.id };
}
