import { decodeTransactionCursor, encodeTransactionCursor } from '../../src/core-banking/transaction-cursor';

describe('transaction page cursors', () => {
  it('round-trips a ledger sequence through an opaque base64url token', () => {
    const cursor = encodeTransactionCursor('123456');
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(cursor).not.toContain('123456');
    expect(decodeTransactionCursor(cursor)).toBe('123456');
  });

  it.each([
    ['random text', 'bm90LWEtY3Vyc29y'],
    ['a zero sequence', Buffer.from('t1:0').toString('base64url')],
    ['a sequence beyond bigint', Buffer.from(`t1:${'9'.repeat(19)}`).toString('base64url')],
    ['another version', Buffer.from('t2:5').toString('base64url')],
    // Same bytes once decoded (the last character's spare bits differ): not a token we issued.
    ['a non-canonical encoding of a valid cursor', encodeTransactionCursor('5').replace(/Q$/, 'R')],
  ])('refuses %s with INVALID_CURSOR', (_label, cursor) => {
    expect(() => decodeTransactionCursor(cursor)).toThrow(expect.objectContaining({ code: 'INVALID_CURSOR', statusCode: 400 }));
  });
});
