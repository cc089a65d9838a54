import { decodeCursor, encodeCursor, pageAfter } from '../../src/banking/transaction-cursor';

const line = (id: number, postedAt: string) => ({ id: `00000000-0000-4000-8000-${String(id).padStart(12, '0')}`, postedAt });

describe('transaction cursor', () => {
  const lines = [line(1, '2025-01-01T10:00:00.000Z'), line(3, '2025-01-03T10:00:00.000Z'), line(2, '2025-01-03T10:00:00.000Z'), line(4, '2025-01-04T10:00:00.000Z')];

  it('pages newest first, ties broken by id, without repeating or skipping a line', () => {
    const first = pageAfter(lines, 2, undefined);
    expect(first.page.map((item) => item.id.slice(-1))).toEqual(['4', '3']);
    const second = pageAfter(lines, 2, decodeCursor(first.next as string));
    expect(second.page.map((item) => item.id.slice(-1))).toEqual(['2', '1']);
    expect(second.next).toBeNull();
  });

  it('keeps its place when a newer transaction arrives between two pages', () => {
    const first = pageAfter(lines, 2, undefined);
    const withNewer = [...lines, line(5, '2025-01-05T10:00:00.000Z')];
    expect(pageAfter(withNewer, 2, decodeCursor(first.next as string)).page.map((item) => item.id.slice(-1))).toEqual(['2', '1']);
  });

  it('round-trips a position and refuses what it did not issue', () => {
    const position = line(7, '2025-02-01T00:00:00.000Z');
    expect(decodeCursor(encodeCursor(position))).toEqual(position);
    expect(decodeCursor('bm90LWEtY3Vyc29y')).toBeUndefined();
    expect(decodeCursor('')).toBeUndefined();
  });
});
