/**
 * The caller's time budget travels down with each call, so no layer keeps working for an answer its
 * caller has already given up on. A caller says how long it will still wait, in milliseconds, in
 * `x-time-budget-ms` — relative, so it needs no synchronised clocks between hosts. Each service
 * takes the smaller of that and its own REQUEST_TIMEOUT_MS, and the client core sends what is left
 * (minus time already spent) with every call it makes while serving the request; a call whose budget
 * is spent is not sent at all.
 *
 * The deadline is kept in an AsyncLocalStorage for the request's lifetime (`../shared/request-deadline`,
 * the one storage the client core reads too), so typed clients pick it up without every route handing
 * it down by hand.
 */
import type { FastifyInstance } from 'fastify';
import { TIME_BUDGET_HEADER, withDeadline } from '../shared/request-deadline';

export { TIME_BUDGET_HEADER, currentDeadline, withDeadline } from '../shared/request-deadline';

/** The budget a caller sent, when it is a sane number of milliseconds. */
export function budgetFrom(header: string | string[] | undefined): number | undefined {
  const text = Array.isArray(header) ? header[0] : header;
  if (text === undefined || !/^\d{1,9}$/.test(text)) return undefined;
  return Number(text);
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Epoch milliseconds by which this request must be answered. */
    deadline: number;
  }
}

/**
 * Sets each request's deadline and makes it the current one for everything the handler awaits.
 * `trustCallers`: only services of ours may shorten it (an end user's header is ignored — a tiny
 * budget would turn their calls into timeouts below us).
 */
export function registerTimeBudget(app: FastifyInstance, options: { requestTimeoutMs: number; trustCallers: boolean }): void {
  const { requestTimeoutMs, trustCallers } = options;
  app.decorateRequest('deadline', 0);
  app.addHook('onRequest', (request, _reply, done) => {
    const budget = trustCallers ? budgetFrom(request.headers[TIME_BUDGET_HEADER]) : undefined;
    request.deadline = Date.now() + Math.min(budget ?? requestTimeoutMs, requestTimeoutMs);
    // The rest of the request's hooks and its handler run inside this callback's async context.
    withDeadline(request.deadline, done);
  });
}
