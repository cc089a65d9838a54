/**
 * The ACH verification port: the onboarding workflow's `ach_verification` step proves that the
 * applicant's funding account exists and is theirs before it becomes the billing payment method.
 * A verifier answers `verified` (instantly), `failed` (final, with a reason code) or
 * `micro_deposits_sent`: two small credits are on their way, and the applicant must confirm their
 * amounts before `expiresAt`. The verifier does not remember the amounts — the caller stores them
 * (encrypted) and checks the applicant's answer with `confirmMicroDeposits`.
 * A verifier that cannot answer now throws `AchVerifierUnavailable` (transient; see ach-errors.ts).
 */

export interface AchBankAccount {
  routingNumber: string;
  accountNumber: string;
  accountType: 'checking' | 'savings';
}

export interface AchVerificationOptions {
  /** Sent to verifiers that move money, so a retry never sends a second pair of micro-deposits. */
  idempotencyKey?: string;
}

export const AchVerificationOutcome = {
  verified: 'verified',
  failed: 'failed',
  micro_deposits_sent: 'micro_deposits_sent',
} as const;
export type AchVerificationOutcome = (typeof AchVerificationOutcome)[keyof typeof AchVerificationOutcome];

/** Why a bank account cannot be used. Stable: shown to clients as the onboarding's reason code. */
export const AchFailureCode = {
  INVALID_ROUTING_NUMBER: 'INVALID_ROUTING_NUMBER',
  INVALID_ACCOUNT_NUMBER: 'INVALID_ACCOUNT_NUMBER',
  /** NACHA return R02. */
  ACCOUNT_CLOSED: 'ACCOUNT_CLOSED',
  /** NACHA return R03. */
  NO_ACCOUNT: 'NO_ACCOUNT',
  /** NACHA return R16. */
  ACCOUNT_FROZEN: 'ACCOUNT_FROZEN',
  /** NACHA return R20. */
  NON_TRANSACTION_ACCOUNT: 'NON_TRANSACTION_ACCOUNT',
} as const;
export type AchFailureCode = (typeof AchFailureCode)[keyof typeof AchFailureCode];

/** Two amounts in cents, 1–99 each. */
export type MicroDepositAmounts = readonly [number, number];

export type AchVerificationResult =
  | { outcome: typeof AchVerificationOutcome.verified; method: 'instant' }
  | {
      outcome: typeof AchVerificationOutcome.failed;
      reasonCode: AchFailureCode;
      /** For people; never contains the account number. */
      reason: string;
    }
  | {
      outcome: typeof AchVerificationOutcome.micro_deposits_sent;
      /** The amounts sent. Secret: store them encrypted, never log or return them to a client. */
      amountsMinor: MicroDepositAmounts;
      /** After this instant the amounts can no longer be confirmed. */
      expiresAt: Date;
    };

export interface AchVerifier {
  /** Verifier name for logs and the step outcome, e.g. `sandbox`. */
  readonly name: string;
  startVerification(bankAccount: AchBankAccount, options?: AchVerificationOptions): Promise<AchVerificationResult>;
  /** Releases connections; the verifier is not used afterwards. */
  close(): Promise<void>;
}

/**
 * Whether the applicant's two amounts are the two that were sent, in either order.
 * Pure: counting attempts and the expiry are the caller's business.
 */
export function confirmMicroDeposits(expected: MicroDepositAmounts, given: MicroDepositAmounts): boolean {
  const [e1, e2] = expected;
  const [g1, g2] = given;
  return (e1 === g1 && e2 === g2) || (e1 === g2 && e2 === g1);
}
