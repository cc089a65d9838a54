/**
 * Keyset cursors over a newest-first transaction list: a page starts strictly after the last
 * (postedAt, id) the previous page showed, so new transactions arriving between two pages never
 * repeat or skip a line. The cursor is opaque to the app (base64url).
 */
export interface TransactionPosition {
  postedAt: string;
  id: string;
}

const POSITION = /^(\d{4}-\d{2}-\d{2}T[\d:.]+(?:Z|[+-]\d{2}:\d{2}))\|([0-9a-f-]{36})$/i;

export function encodeCursor(position: TransactionPosition): string {
  return Buffer.from(`${position.postedAt}|${position.id}`).toString('base64url');
}

/** The position a cursor names, or undefined when it is not one of ours. */
export function decodeCursor(cursor: string): TransactionPosition | undefined {
  const match = POSITION.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return match ? { postedAt: match[1], id: match[2] } : undefined;
}

/** Newest first: later postedAt first, then greater id (a total order, as the cursor needs). */
export function newestFirst(a: TransactionPosition, b: TransactionPosition): number {
  const byTime = Date.parse(b.postedAt) - Date.parse(a.postedAt);
  return byTime !== 0 ? byTime : b.id.localeCompare(a.id);
}

/** One page of `items` (any order) after `cursor`, newest first, and the cursor of the next page. */
export function pageAfter<T extends TransactionPosition>(items: readonly T[], limit: number, after: TransactionPosition | undefined): { page: T[]; next: string | null } {
  const ordered = [...items].sort(newestFirst);
  const rest = after ? ordered.filter((item) => newestFirst(after, item) < 0) : ordered;
  const page = rest.slice(0, limit);
  const last = page[page.length - 1];
  return { page, next: rest.length > limit && last ? encodeCursor(last) : null };
}
