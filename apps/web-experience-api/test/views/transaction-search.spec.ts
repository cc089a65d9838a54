import type { RecentTransaction } from '@bartholomew/contracts-onboarding-process';
import { decodeCursor, encodeCursor, searchTransactions, withinDays } from '../../src/views/transaction-search';

const money = (amountMinor: number) => ({ amountMinor, currency: 'USD' });
const transaction = (n: number, postedAt: string): RecentTransaction => ({
  transactionId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  direction: 'credit',
  amount: money(n * 100),
  description: `t${n}`,
  balanceAfter: money(0),
  postedAt,
});

describe('transaction search (date filters and paging done by the web Experience API)', () => {
  const transactions = [
    transaction(1, '2025-03-01T00:00:00.000Z'),
    transaction(2, '2025-03-01T23:59:59.999Z'),
    transaction(3, '2025-03-02T00:00:00.000Z'),
    transaction(4, '2025-03-05T12:00:00.000Z'),
  ];
  const ids = (items: RecentTransaction[]) => items.map((item) => Number(item.transactionId.slice(-2)));

  it('includes whole UTC days at both ends', () => {
    expect(withinDays('2025-03-01T00:00:00.000Z', { from: '2025-03-01', to: '2025-03-01' })).toBe(true);
    expect(withinDays('2025-03-01T23:59:59.999Z', { from: '2025-03-01', to: '2025-03-01' })).toBe(true);
    expect(withinDays('2025-03-02T00:00:00.000Z', { to: '2025-03-01' })).toBe(false);
    expect(withinDays('2025-02-28T23:59:59.999Z', { from: '2025-03-01' })).toBe(false);
  });

  it('filters, orders newest first and pages with a cursor that never repeats or skips', () => {
    const filter = { from: '2025-03-01', to: '2025-03-02' };
    const first = searchTransactions(transactions, filter, { limit: 2 });
    expect(ids(first.items)).toEqual([3, 2]);
    const second = searchTransactions(transactions, filter, { limit: 2, after: decodeCursor(first.nextCursor as string, filter) });
    expect(ids(second.items)).toEqual([1]);
    expect(second.nextCursor).toBeNull();
  });

  it('refuses a cursor issued for another filter', () => {
    const cursor = encodeCursor({ postedAt: '2025-03-02T00:00:00.000Z', id: transactions[2].transactionId }, { from: '2025-03-01' });
    expect(decodeCursor(cursor, { from: '2025-03-01' })).toBeDefined();
    expect(decodeCursor(cursor, { from: '2025-02-01' })).toBeUndefined();
    expect(decodeCursor(cursor, {})).toBeUndefined();
  });
});
