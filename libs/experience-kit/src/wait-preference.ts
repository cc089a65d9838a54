/**
 * Long polls for end-user clients: RFC 7240's `Prefer: wait=<seconds>` on a conditional read
 * (`If-None-Match`) asks the server to hold the answer until it differs from what the client has,
 * or the wait is over. A phone then follows a sign-up with one request in flight and hears of each
 * change when it happens, instead of asking every second or two.
 */
import type { FastifyRequest } from 'fastify';

/** A held read ends this long before the request's own deadline, so its answer still goes out. */
export const WAIT_ANSWER_MARGIN_MS = 250;

/** The seconds of `wait=` in a Prefer header (among other preferences), when there is one. */
export function preferredWaitSeconds(header: string | string[] | undefined): number | undefined {
  const values = Array.isArray(header) ? header : header === undefined ? [] : [header];
  for (const preference of values.flatMap((value) => value.split(/[,;]/))) {
    const match = /^\s*wait\s*=\s*"?(\d{1,6})"?\s*$/i.exec(preference);
    if (match) return Number(match[1]);
  }
  return undefined;
}

/**
 * Until when this read may hold its answer (epoch ms): when the client asked to wait and has an
 * answer to compare (`If-None-Match`); never past the request's deadline. Undefined: answer at once.
 */
export function holdUntil(request: FastifyRequest): number | undefined {
  const seconds = preferredWaitSeconds(request.headers.prefer);
  if (!seconds || !request.headers['if-none-match']) return undefined;
  const until = Math.min(Date.now() + seconds * 1000, request.deadline - WAIT_ANSWER_MARGIN_MS);
  return until > Date.now() ? until : undefined;
}
