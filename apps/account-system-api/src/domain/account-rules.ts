import { AccountStatus, TransactionDirection } from '@bartholomew/contracts-account-system';
import type { Money } from '@bartholomew/contracts-shared';
import { AccountBalanceNotZero, AccountClosed, AccountFrozen, BalanceLimitExceeded, CurrencyMismatch, InsufficientFunds } from '../errors';

/**
 * The rules core banking applies to an account's status and postings, as pure functions so every
 * backend adapter applies the same ones and they are tested without a database.
 */

/** What the rules need to know about an account, read under its row lock. */
export interface AccountStanding {
  accountId: string;
  status: AccountStatus;
  currency: string;
  ledgerBalanceMinor: number;
}

/** Balances are integers of minor units; above this JavaScript numbers lose precision. */
export const MAX_LEDGER_BALANCE_MINOR = Number.MAX_SAFE_INTEGER;

/** What may be withdrawn now: the ledger balance while active; nothing while frozen or closed. */
export function availableBalanceMinor(account: Pick<AccountStanding, 'status' | 'ledgerBalanceMinor'>): number {
  return account.status === AccountStatus.active ? account.ledgerBalanceMinor : 0;
}

/**
 * Whether a requested status is a change. The same status again is a no-op (so a retried request
 * is harmless); closed is final; an account closes only at a zero balance.
 */
export function decideStatusChange(account: AccountStanding, requested: AccountStatus): 'unchanged' | 'changed' {
  if (requested === account.status) return 'unchanged';
  if (account.status === AccountStatus.closed) throw new AccountClosed(account.accountId);
  if (requested === AccountStatus.closed && account.ledgerBalanceMinor !== 0) throw new AccountBalanceNotZero(account.accountId);
  return 'changed';
}

export interface Posting {
  direction: TransactionDirection;
  amount: Money;
}

/**
 * The ledger balance after a posting, or the refusal: nothing posts to a closed account, the
 * currency must be the account's, a frozen account takes credits only, and a debit may not exceed
 * the available balance (there is no overdraft).
 */
export function balanceAfterPosting(account: AccountStanding, posting: Posting): number {
  const { accountId, ledgerBalanceMinor } = account;
  if (account.status === AccountStatus.closed) throw new AccountClosed(accountId);
  if (posting.amount.currency !== account.currency) throw new CurrencyMismatch(accountId, account.currency, posting.amount.currency);
  if (posting.direction === TransactionDirection.credit) {
    const after = ledgerBalanceMinor + posting.amount.amountMinor;
    if (after > MAX_LEDGER_BALANCE_MINOR) throw new BalanceLimitExceeded(accountId);
    return after;
  }
  if (account.status === AccountStatus.frozen) throw new AccountFrozen(accountId);
  if (posting.amount.amountMinor > availableBalanceMinor(account)) throw new InsufficientFunds(accountId);
  return ledgerBalanceMinor - posting.amount.amountMinor;
}
