/**
 * The KYC port: the onboarding workflow's `kyc` step asks a provider whether an applicant may
 * become a customer. The answer is a decision, never an exception: `approved`, `rejected` (final,
 * no account is opened) or `manual_review` (an operator decides). A provider that cannot answer
 * throws a `KycProviderError` instead (see kyc-errors.ts): transient ones are retried by the
 * workflow, permanent ones fail the step.
 */

/** What a KYC check needs to know about the applicant (a subset of the onboarding request's). */
export interface KycApplicant {
  legalName: string;
  /** Calendar date `YYYY-MM-DD`. */
  dateOfBirth: string;
  /** `ddd-dd-dddd` or nine digits. */
  ssn: string;
  address?: {
    line1: string;
    line2?: string;
    city: string;
    state: string;
    postalCode: string;
  };
}

export interface KycCheckOptions {
  /**
   * Sent to providers that bill per check, so a retry after a lost answer is not a second check.
   * Derive it from the onboarding, e.g. `${onboardingId}:kyc`.
   */
  idempotencyKey?: string;
  /** Propagated for log correlation. */
  requestId?: string;
}

export const KycOutcome = {
  approved: 'approved',
  rejected: 'rejected',
  manual_review: 'manual_review',
} as const;
export type KycOutcome = (typeof KycOutcome)[keyof typeof KycOutcome];

/** Why an applicant was refused. Stable: shown to clients as the onboarding's reason code. */
export const KycRejectionCode = {
  UNDERAGE: 'UNDERAGE',
  INVALID_SSN: 'INVALID_SSN',
  INVALID_DATE_OF_BIRTH: 'INVALID_DATE_OF_BIRTH',
  WATCHLIST_MATCH: 'WATCHLIST_MATCH',
  IDENTITY_NOT_VERIFIED: 'IDENTITY_NOT_VERIFIED',
  SSN_REPORTED_DECEASED: 'SSN_REPORTED_DECEASED',
  /** The provider declined for a reason this adapter does not know. */
  REJECTED_BY_PROVIDER: 'REJECTED_BY_PROVIDER',
} as const;
export type KycRejectionCode = (typeof KycRejectionCode)[keyof typeof KycRejectionCode];

/** Why a person has to decide. */
export const KycReviewCode = {
  POSSIBLE_WATCHLIST_MATCH: 'POSSIBLE_WATCHLIST_MATCH',
  IDENTITY_PARTIAL_MATCH: 'IDENTITY_PARTIAL_MATCH',
  /** The provider asked for review for a reason this adapter does not know. */
  REVIEW_REQUESTED_BY_PROVIDER: 'REVIEW_REQUESTED_BY_PROVIDER',
} as const;
export type KycReviewCode = (typeof KycReviewCode)[keyof typeof KycReviewCode];

/** The watch-list entry a name resembled, for the operator who reviews the application. */
export interface WatchListHit {
  entryId: string;
  listedName: string;
  /** Similarity of the applicant's name to the listed name, 0–1. */
  score: number;
}

export type KycDecision =
  | { outcome: typeof KycOutcome.approved; providerReference?: string }
  | {
      outcome: typeof KycOutcome.rejected;
      reasonCode: KycRejectionCode;
      /** For people; never contains the applicant's SSN or date of birth. */
      reason: string;
      providerReference?: string;
      watchListHit?: WatchListHit;
    }
  | {
      outcome: typeof KycOutcome.manual_review;
      reasonCode: KycReviewCode;
      reason: string;
      providerReference?: string;
      watchListHit?: WatchListHit;
    };

export interface KycProvider {
  /** Provider name for logs and the step outcome, e.g. `sandbox`. */
  readonly name: string;
  checkApplicant(applicant: KycApplicant, options?: KycCheckOptions): Promise<KycDecision>;
  /** Releases connections; the provider is not used afterwards. */
  close(): Promise<void>;
}
