/**
 * The deadline of the request being served, kept in an AsyncLocalStorage: the server platform sets
 * it (`registerTimeBudget`), the client core reads it and sends what is left in `x-time-budget-ms`.
 * ONE storage instance for both, so it lives here, neutral ground that neither half owns — the
 * http-client entry point loads without the server half and still sees the server's deadline.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

/** How long the caller will still wait, in milliseconds (relative: no synchronised clocks needed). */
export const TIME_BUDGET_HEADER = 'x-time-budget-ms';

const deadlines = new AsyncLocalStorage<number>();

/** Epoch milliseconds by which the request being served must be answered; undefined outside a request. */
export function currentDeadline(): number | undefined {
  return deadlines.getStore();
}

/** Runs `work` with a deadline (each request's hooks and handler, background jobs that want one, tests). */
export function withDeadline<T>(deadline: number, work: () => T): T {
  return deadlines.run(deadline, work);
}
