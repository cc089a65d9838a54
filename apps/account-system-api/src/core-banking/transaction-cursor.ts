import { InvalidCursor } from '../errors';
import type { TransactionDateFilter } from './core-banking';

/**
 * The Postgres backend's page cursor: the ledger sequence of the last transaction shown and the
 * date filter the page was listed with, as base64url of `t1:<sequence>` (no filter — the shape
 * issued before filters existed, so those cursors stay valid) or `t2:<sequence>:<from>:<to>`
 * (either day may be empty). Opaque to callers; a cursor is valid only with the filter it was
 * issued for, so a page of one filter can never continue a listing of another.
 */
const CURSOR_TEXT = /^(?:t1:([1-9][0-9]{0,17})|t2:([1-9][0-9]{0,17}):(\d{4}-\d{2}-\d{2})?:(\d{4}-\d{2}-\d{2})?)$/;

export function encodeTransactionCursor(sequence: string, filter: TransactionDateFilter = {}): string {
  const text = filter.from === undefined && filter.to === undefined ? `t1:${sequence}` : `t2:${sequence}:${filter.from ?? ''}:${filter.to ?? ''}`;
  return Buffer.from(text, 'utf8').toString('base64url');
}

/**
 * The sequence a cursor points before; `InvalidCursor` (400) for anything this backend did not
 * issue, or issued for another filter.
 */
export function decodeTransactionCursor(cursor: string, filter: TransactionDateFilter = {}): string {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = CURSOR_TEXT.exec(text);
  if (!match) throw new InvalidCursor();
  const sequence = match[1] ?? match[2];
  // Node decodes base64url leniently; only the exact encoding of a valid text is ours — and
  // re-encoding with the caller's filter also refuses a cursor issued for another filter.
  if (encodeTransactionCursor(sequence, filter) !== cursor) throw new InvalidCursor();
  return sequence;
}
