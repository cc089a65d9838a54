import { InvalidCursor } from '../errors';

/**
 * The Postgres backend's page cursor: the ledger sequence of the last transaction shown, as
 * base64url of `t1:<sequence>`. Opaque to callers; the version prefix lets its shape change later.
 */
const CURSOR_TEXT = /^t1:([1-9][0-9]{0,17})$/;

export function encodeTransactionCursor(sequence: string): string {
  return Buffer.from(`t1:${sequence}`, 'utf8').toString('base64url');
}

/** The sequence a cursor points before; `InvalidCursor` (400) for anything this backend did not issue. */
export function decodeTransactionCursor(cursor: string): string {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = CURSOR_TEXT.exec(text);
  // Node decodes base64url leniently; only the exact encoding of a valid text is ours.
  if (!match || encodeTransactionCursor(match[1]) !== cursor) throw new InvalidCursor();
  return match[1];
}
