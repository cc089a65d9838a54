import {
  availableBalanceMinor,
  balanceAfterPosting,
  decideStatusChange,
  MAX_LEDGER_BALANCE_MINOR,
  type AccountStanding,
} from '../../src/domain/account-rules';

const account = (overrides: Partial<AccountStanding> = {}): AccountStanding => ({
  accountId: 'a-1',
  status: 'active',
  currency: 'USD',
  ledgerBalanceMinor: 1_000,
  ...overrides,
});
const usd = (amountMinor: number) => ({ amountMinor, currency: 'USD' });

describe('account status rules', () => {
  it('treats the same status again as no change, closed included', () => {
    expect(decideStatusChange(account(), 'active')).toBe('unchanged');
    expect(decideStatusChange(account({ status: 'closed', ledgerBalanceMinor: 0 }), 'closed')).toBe('unchanged');
  });

  it('freezes and reactivates an account', () => {
    expect(decideStatusChange(account(), 'frozen')).toBe('changed');
    expect(decideStatusChange(account({ status: 'frozen' }), 'active')).toBe('changed');
  });

  it('never reopens a closed account', () => {
    const closed = account({ status: 'closed', ledgerBalanceMinor: 0 });
    expect(() => decideStatusChange(closed, 'active')).toThrow(expect.objectContaining({ code: 'ACCOUNT_CLOSED', statusCode: 409 }));
    expect(() => decideStatusChange(closed, 'frozen')).toThrow(expect.objectContaining({ code: 'ACCOUNT_CLOSED' }));
  });

  it('closes an account only at a zero balance, from active or frozen', () => {
    expect(() => decideStatusChange(account(), 'closed')).toThrow(expect.objectContaining({ code: 'ACCOUNT_BALANCE_NOT_ZERO', statusCode: 409 }));
    expect(decideStatusChange(account({ ledgerBalanceMinor: 0 }), 'closed')).toBe('changed');
    expect(decideStatusChange(account({ status: 'frozen', ledgerBalanceMinor: 0 }), 'closed')).toBe('changed');
  });
});

describe('available balance', () => {
  it('is the ledger balance while active and nothing while frozen or closed', () => {
    expect(availableBalanceMinor(account())).toBe(1_000);
    expect(availableBalanceMinor(account({ status: 'frozen' }))).toBe(0);
    expect(availableBalanceMinor(account({ status: 'closed', ledgerBalanceMinor: 0 }))).toBe(0);
  });
});

describe('posting rules', () => {
  it('adds credits and subtracts debits', () => {
    expect(balanceAfterPosting(account(), { direction: 'credit', amount: usd(250) })).toBe(1_250);
    expect(balanceAfterPosting(account(), { direction: 'debit', amount: usd(250) })).toBe(750);
  });

  it('lets a debit take the balance to exactly zero but not below', () => {
    expect(balanceAfterPosting(account(), { direction: 'debit', amount: usd(1_000) })).toBe(0);
    expect(() => balanceAfterPosting(account(), { direction: 'debit', amount: usd(1_001) })).toThrow(
      expect.objectContaining({ code: 'INSUFFICIENT_FUNDS', statusCode: 422 }),
    );
  });

  it('takes credits on a frozen account but refuses its debits', () => {
    const frozen = account({ status: 'frozen' });
    expect(balanceAfterPosting(frozen, { direction: 'credit', amount: usd(1) })).toBe(1_001);
    expect(() => balanceAfterPosting(frozen, { direction: 'debit', amount: usd(1) })).toThrow(
      expect.objectContaining({ code: 'ACCOUNT_FROZEN', statusCode: 409 }),
    );
  });

  it('posts nothing to a closed account', () => {
    const closed = account({ status: 'closed', ledgerBalanceMinor: 0 });
    for (const direction of ['credit', 'debit'] as const) {
      expect(() => balanceAfterPosting(closed, { direction, amount: usd(1) })).toThrow(
        expect.objectContaining({ code: 'ACCOUNT_CLOSED', statusCode: 409 }),
      );
    }
  });

  it("refuses a posting in a currency other than the account's", () => {
    expect(() => balanceAfterPosting(account(), { direction: 'credit', amount: { amountMinor: 1, currency: 'EUR' } })).toThrow(
      expect.objectContaining({ code: 'CURRENCY_MISMATCH', statusCode: 422 }),
    );
  });

  it('refuses a credit that would take the balance beyond exact integer range', () => {
    const nearlyFull = account({ ledgerBalanceMinor: MAX_LEDGER_BALANCE_MINOR - 10 });
    expect(balanceAfterPosting(nearlyFull, { direction: 'credit', amount: usd(10) })).toBe(MAX_LEDGER_BALANCE_MINOR);
    expect(() => balanceAfterPosting(nearlyFull, { direction: 'credit', amount: usd(11) })).toThrow(
      expect.objectContaining({ code: 'BALANCE_LIMIT_EXCEEDED', statusCode: 422 }),
    );
  });
});
