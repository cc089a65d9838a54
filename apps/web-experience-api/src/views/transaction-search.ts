import type { RecentTransaction } from '@bartholomew/contracts-onboarding-process';

/**
 * Date filtering and keyset paging of an account's transactions, done here because the Process
 * API offers neither: it reports each account's latest transactions inside the customer overview,
 * and this filters and pages those.
 *
 * The cursor carries the filter it was issued for, so it cannot be replayed against another one.
 */
export interface TransactionFilter {
  from?: string;
  to?: string;
}

interface Position {
  postedAt: string;
  id: string;
}

const DAY_MS = 86_400_000;
const CURSOR = /^(\d{4}-\d{2}-\d{2}T[\d:.]+(?:Z|[+-]\d{2}:\d{2}))\|([0-9a-f-]{36})\|(\d{4}-\d{2}-\d{2})?\|(\d{4}-\d{2}-\d{2})?$/i;

export function encodeCursor(position: Position, filter: TransactionFilter): string {
  return Buffer.from(`${position.postedAt}|${position.id}|${filter.from ?? ''}|${filter.to ?? ''}`).toString('base64url');
}

/** The position a cursor names — only if it was issued for this same filter. */
export function decodeCursor(cursor: string, filter: TransactionFilter): Position | undefined {
  const match = CURSOR.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match || (match[3] ?? '') !== (filter.from ?? '') || (match[4] ?? '') !== (filter.to ?? '')) return undefined;
  return { postedAt: match[1], id: match[2] };
}

const newestFirst = (a: Position, b: Position) => {
  const byTime = Date.parse(b.postedAt) - Date.parse(a.postedAt);
  return byTime !== 0 ? byTime : b.id.localeCompare(a.id);
};

/** Whether `postedAt` falls on a day from `from` to `to` (UTC calendar days, both inclusive). */
export function withinDays(postedAt: string, filter: TransactionFilter): boolean {
  const at = Date.parse(postedAt);
  if (filter.from && at < Date.parse(`${filter.from}T00:00:00Z`)) return false;
  if (filter.to && at >= Date.parse(`${filter.to}T00:00:00Z`) + DAY_MS) return false;
  return true;
}

export function searchTransactions(
  transactions: readonly RecentTransaction[],
  filter: TransactionFilter,
  page: { limit: number; after?: Position },
): { items: RecentTransaction[]; nextCursor: string | null } {
  const position = (transaction: RecentTransaction): Position => ({ postedAt: transaction.postedAt, id: transaction.transactionId });
  const matching = transactions.filter((transaction) => withinDays(transaction.postedAt, filter)).sort((a, b) => newestFirst(position(a), position(b)));
  const { after } = page;
  const rest = after ? matching.filter((transaction) => newestFirst(after, position(transaction)) < 0) : matching;
  const items = rest.slice(0, page.limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rest.length > page.limit && last ? encodeCursor(position(last), filter) : null };
}
