import { InvalidCursor } from '../../errors';
import type { TransactionDateFilter } from '../core-banking';

/**
 * The mainframe backend's page cursor: the posting number of the last transaction shown (the
 * gateway's HIST-CONTINUE-KEY of the next page) and the date filter the page was listed with, as
 * base64url of `m1:<posting number>:<from>:<to>` (either day may be empty). Its own prefix: a
 * cursor of the Postgres backend is not one of ours, and is refused.
 */
const CURSOR_TEXT = /^m1:([1-9][0-9]{0,14}):(\d{4}-\d{2}-\d{2})?:(\d{4}-\d{2}-\d{2})?$/;

export function encodeHistoryCursor(postingNumber: number, filter: TransactionDateFilter): string {
  return Buffer.from(`m1:${postingNumber}:${filter.from ?? ''}:${filter.to ?? ''}`, 'utf8').toString('base64url');
}

/** The posting number a cursor continues after; `InvalidCursor` for anything not issued for this filter. */
export function decodeHistoryCursor(cursor: string, filter: TransactionDateFilter): number {
  const match = CURSOR_TEXT.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw new InvalidCursor();
  const postingNumber = Number(match[1]);
  // Re-encoding with the caller's filter refuses a lenient base64 variant and a cursor of another filter alike.
  if (encodeHistoryCursor(postingNumber, filter) !== cursor) throw new InvalidCursor();
  return postingNumber;
}
