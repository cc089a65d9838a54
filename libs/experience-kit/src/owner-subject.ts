import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
// The platform's end-user authentication declares `request.endUser`.
import type {} from '@bartholomew/platform';
import { SubjectNotAccepted } from './errors';

/** A token subject the Process API accepts as an owner: 1–200 visible ASCII characters. */
const OWNER_SUBJECT = /^[\x21-\x7E]{1,200}$/;

/**
 * Refuses, as a bad token (401), a verified token whose subject could not name an owner at the
 * Process API (control characters, too long) — before any route would pass it down.
 */
async function ownerSubjectPlugin(app: FastifyInstance): Promise<void> {
  app.addHook('onRequest', async (request) => {
    if (request.endUser && !OWNER_SUBJECT.test(request.endUser.subject)) throw new SubjectNotAccepted();
  });
}

export const ownerSubject = fp(ownerSubjectPlugin, {
  name: 'owner-subject',
  dependencies: ['platform'],
  fastify: '5.x',
});
