import { randomInt as cryptoRandomInt } from 'node:crypto';
import { checkRoutingNumber } from '@bartholomew/onboarding-rules';
import { AchVerifierUnavailable } from './ach-errors';
import {
  AchFailureCode,
  AchVerificationOutcome,
  type AchBankAccount,
  type AchVerificationResult,
  type AchVerifier,
  type MicroDepositAmounts,
} from './ach-verifier';

/**
 * The default ACH verifier: offline and deterministic apart from the micro-deposit amounts, which
 * come from an injectable random source. Real rules where they exist (ABA routing checksum and
 * routing symbols, 4–17 digit account numbers); documented test values for what only a bank
 * knows (closed or frozen accounts, instant verification, outages). The table is in ./README.md.
 */

/** The sandbox's instant-verification bank: any valid account there verifies at once. */
export const SANDBOX_INSTANT_ROUTING_NUMBER = '011000015';

/** Test account-number endings and what they force, at any valid routing number. */
export const SandboxAchTestAccountSuffix = {
  /** Failed `ACCOUNT_CLOSED` (R02). */
  accountClosed: '0000',
  /** Failed `NO_ACCOUNT` (R03). */
  noAccount: '0001',
  /** Failed `INVALID_ACCOUNT_NUMBER` (R04). */
  invalidAccountNumber: '0002',
  /** Failed `ACCOUNT_FROZEN` (R16). */
  accountFrozen: '0003',
  /** Failed `NON_TRANSACTION_ACCOUNT` (R20). */
  nonTransactionAccount: '0004',
  /** Micro-deposits of exactly 32 and 45 cents (when not at the instant bank). */
  fixedMicroDeposits: '3245',
  /** Every verification throws `AchVerifierUnavailable`. */
  unavailable: '9998',
  /** The first two verifications of this account (per verifier instance) throw `AchVerifierUnavailable`. */
  unavailableTwice: '9999',
} as const;

/** The amounts sent to an account ending `SandboxAchTestAccountSuffix.fixedMicroDeposits`. */
export const SANDBOX_FIXED_MICRO_DEPOSITS: MicroDepositAmounts = [32, 45];

const FAILURES: Record<string, { reasonCode: AchFailureCode; reason: string }> = {
  [SandboxAchTestAccountSuffix.accountClosed]: {
    reasonCode: AchFailureCode.ACCOUNT_CLOSED,
    reason: 'The bank account is closed',
  },
  [SandboxAchTestAccountSuffix.noAccount]: {
    reasonCode: AchFailureCode.NO_ACCOUNT,
    reason: 'The bank has no account with this number',
  },
  [SandboxAchTestAccountSuffix.invalidAccountNumber]: {
    reasonCode: AchFailureCode.INVALID_ACCOUNT_NUMBER,
    reason: 'The bank says the account number is not valid',
  },
  [SandboxAchTestAccountSuffix.accountFrozen]: {
    reasonCode: AchFailureCode.ACCOUNT_FROZEN,
    reason: 'The bank account is frozen',
  },
  [SandboxAchTestAccountSuffix.nonTransactionAccount]: {
    reasonCode: AchFailureCode.NON_TRANSACTION_ACCOUNT,
    reason: 'The bank account does not allow ACH transactions',
  },
};

/** A uniform integer in [min, max), like `crypto.randomInt`. */
export type RandomInt = (min: number, max: number) => number;

export interface SandboxAchVerifierOptions {
  /** The clock expiries are computed from. Default: the system clock. */
  now?: () => Date;
  /** Where micro-deposit amounts come from. Default: `crypto.randomInt`. */
  randomInt?: RandomInt;
  /** How long the applicant has to confirm micro-deposits. Default 7 days. */
  microDepositValidityDays?: number;
}

const FLAKY_FAILURES = 2;
const DAY_MS = 24 * 60 * 60 * 1000;

export class SandboxAchVerifier implements AchVerifier {
  readonly name = 'sandbox';
  private readonly now: () => Date;
  private readonly randomInt: RandomInt;
  private readonly validityMs: number;
  /** Verifications of flaky test accounts so far, by account number. */
  private readonly flakyAttempts = new Map<string, number>();

  constructor(options: SandboxAchVerifierOptions = {}) {
    const days = options.microDepositValidityDays ?? 7;
    if (!(days > 0)) throw new RangeError('microDepositValidityDays must be positive');
    this.now = options.now ?? (() => new Date());
    this.randomInt = options.randomInt ?? cryptoRandomInt;
    this.validityMs = days * DAY_MS;
  }

  /**
   * Order: routing number and account number rules (checked before anything is sent), then the
   * simulated outages, then the test failures, then instant verification, then micro-deposits.
   */
  async startVerification(bankAccount: AchBankAccount): Promise<AchVerificationResult> {
    const routing = checkRoutingNumber(bankAccount.routingNumber);
    if (!routing.valid) return failed(AchFailureCode.INVALID_ROUTING_NUMBER, routing.problem);
    const { accountNumber } = bankAccount;
    if (!/^\d{4,17}$/.test(accountNumber)) return failed(AchFailureCode.INVALID_ACCOUNT_NUMBER, 'Account number is not 4 to 17 digits');

    const suffix = accountNumber.slice(-4);
    if (suffix === SandboxAchTestAccountSuffix.unavailable) throw new AchVerifierUnavailable(this.name);
    if (suffix === SandboxAchTestAccountSuffix.unavailableTwice) {
      const attempts = this.flakyAttempts.get(accountNumber) ?? 0;
      this.flakyAttempts.set(accountNumber, attempts + 1);
      if (attempts < FLAKY_FAILURES) throw new AchVerifierUnavailable(this.name);
    }

    const failure = FAILURES[suffix];
    if (failure) return failed(failure.reasonCode, failure.reason);

    if (bankAccount.routingNumber === SANDBOX_INSTANT_ROUTING_NUMBER) {
      return { outcome: AchVerificationOutcome.verified, method: 'instant' };
    }

    const amountsMinor = suffix === SandboxAchTestAccountSuffix.fixedMicroDeposits ? SANDBOX_FIXED_MICRO_DEPOSITS : this.drawAmounts();
    return {
      outcome: AchVerificationOutcome.micro_deposits_sent,
      amountsMinor,
      expiresAt: new Date(this.now().getTime() + this.validityMs),
    };
  }

  async close(): Promise<void> {
    // Nothing to release.
  }

  /** Two different amounts of 1–99 cents, each pair equally likely. */
  private drawAmounts(): MicroDepositAmounts {
    const first = this.randomInt(1, 100);
    // Draw the second from the 98 values left: skip over the first.
    const drawn = this.randomInt(1, 99);
    const second = drawn >= first ? drawn + 1 : drawn;
    for (const amount of [first, second]) {
      if (!Number.isInteger(amount) || amount < 1 || amount > 99) throw new RangeError(`random source gave ${amount}, outside 1–99`);
    }
    return [first, second];
  }
}

function failed(reasonCode: AchFailureCode, reason: string): AchVerificationResult {
  return { outcome: AchVerificationOutcome.failed, reasonCode, reason };
}
