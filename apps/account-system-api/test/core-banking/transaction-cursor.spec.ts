import { decodeTransactionCursor, encodeTransactionCursor } from '../../src/core-banking/transaction-cursor';

describe('transaction page cursors', () => {
  it('round-trips a ledger sequence through an opaque base64url token', () => {
    const cursor = encodeTransactionCursor('123456');
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(cursor).not.toContain('123456');
    expect(decodeTransactionCursor(cursor)).toBe('123456');
  });

  it('keeps the cursors issued before date filters existed valid for unfiltered listings', () => {
    expect(decodeTransactionCursor(Buffer.from('t1:42').toString('base64url'))).toBe('42');
  });

  it.each([
    ['both days', { from: '2025-01-01', to: '2025-01-31' }],
    ['only from', { from: '2025-01-01' }],
    ['only to', { to: '2025-01-31' }],
  ])('round-trips a sequence under a filter of %s', (_label, filter) => {
    expect(decodeTransactionCursor(encodeTransactionCursor('77', filter), filter)).toBe('77');
  });

  it.each([
    ['no filter', { from: '2025-01-01' }, {}],
    ['another from', { from: '2025-01-01' }, { from: '2025-01-02' }],
    ['the same day as to instead of from', { from: '2025-01-01' }, { to: '2025-01-01' }],
    ['a filter, used without one', {}, { to: '2025-01-31' }],
  ])('refuses a cursor issued for %s with INVALID_CURSOR', (_label, issuedFor, usedWith) => {
    const cursor = encodeTransactionCursor('77', issuedFor);
    expect(() => decodeTransactionCursor(cursor, usedWith)).toThrow(expect.objectContaining({ code: 'INVALID_CURSOR', statusCode: 400 }));
  });

  it.each([
    ['random text', 'bm90LWEtY3Vyc29y'],
    ['a zero sequence', Buffer.from('t1:0').toString('base64url')],
    ['a sequence beyond bigint', Buffer.from(`t1:${'9'.repeat(19)}`).toString('base64url')],
    ['another version', Buffer.from('t3:5').toString('base64url')],
    ['a filtered cursor with a malformed day', Buffer.from('t2:5:2025-1-1:').toString('base64url')],
    // Same bytes once decoded (the last character's spare bits differ): not a token we issued.
    ['a non-canonical encoding of a valid cursor', encodeTransactionCursor('5').replace(/Q$/, 'R')],
  ])('refuses %s with INVALID_CURSOR', (_label, cursor) => {
    expect(() => decodeTransactionCursor(cursor)).toThrow(expect.objectContaining({ code: 'INVALID_CURSOR', statusCode: 400 }));
  });
});
