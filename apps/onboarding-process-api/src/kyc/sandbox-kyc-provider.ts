import {
  ageInYears,
  ageOfMajority,
  BANK_TIME_ZONE,
  calendarDateIn,
  checkSsn,
  compareCalendarDates,
  parseCalendarDate,
} from '@bartholomew/onboarding-rules';
import { KycProviderUnavailable } from './kyc-errors';
import { KycOutcome, KycRejectionCode, KycReviewCode, type KycApplicant, type KycDecision, type KycProvider } from './kyc-provider';
import { SANDBOX_WATCH_LIST, type WatchListEntry } from './watch-list';
import { DEFAULT_SCREENING_THRESHOLDS, screenName, type ScreeningThresholds } from './watch-list-screening';

/**
 * The default KYC provider: deterministic, offline, with the real rules that exist (SSN issuing
 * rules, age of majority, watch-list screening with fuzzy name matching) and documented test SSNs
 * that force the outcomes a real vendor would decide on data we do not have (identity records,
 * deceased lists, outages). The table is in ./README.md.
 */

/**
 * Test SSNs (area 123, group 45) and what they force. Each is valid by every rule of
 * @bartholomew/onboarding-rules — so not 123-45-6789, the published specimen those rules refuse.
 */
export const SandboxKycTestSsn = {
  /** Approved — as is any other valid SSN that passes the rules. */
  approve: '123-45-6780',
  /** Rejected `IDENTITY_NOT_VERIFIED`: name, date of birth and SSN do not belong together. */
  rejectIdentityNotVerified: '123-45-0001',
  /** Rejected `SSN_REPORTED_DECEASED`. */
  rejectDeceased: '123-45-0002',
  /** Manual review `IDENTITY_PARTIAL_MATCH`. */
  reviewPartialMatch: '123-45-0003',
  /** Every check throws `KycProviderUnavailable` (an outage that never ends). */
  unavailable: '123-45-0098',
  /** The first two checks of this SSN (per provider instance) throw `KycProviderUnavailable`, later ones approve. */
  unavailableTwice: '123-45-0099',
} as const;

export interface SandboxKycProviderOptions {
  /** The clock ages are computed against. Default: the system clock. */
  now?: () => Date;
  /** Age of majority, in years, for every applicant. Default: their state's (`ageOfMajority`: 18, AL and NE 19, MS 21). */
  minimumAge?: number;
  /** The bank's time zone: whose calendar date "today" is. Default `America/New_York`. */
  timeZone?: string;
  watchList?: readonly WatchListEntry[];
  screeningThresholds?: ScreeningThresholds;
}

/** How many checks of `SandboxKycTestSsn.unavailableTwice` fail before it answers. */
const FLAKY_FAILURES = 2;

export class SandboxKycProvider implements KycProvider {
  readonly name = 'sandbox';
  private readonly now: () => Date;
  private readonly minimumAge: number | undefined;
  private readonly timeZone: string;
  private readonly watchList: readonly WatchListEntry[];
  private readonly thresholds: ScreeningThresholds;
  /** Checks of the flaky test SSN so far: the only state, kept for that transient-outage test value. */
  private flakyChecks = 0;

  constructor(options: SandboxKycProviderOptions = {}) {
    this.now = options.now ?? (() => new Date());
    this.minimumAge = options.minimumAge;
    this.timeZone = options.timeZone ?? BANK_TIME_ZONE;
    this.watchList = options.watchList ?? SANDBOX_WATCH_LIST;
    this.thresholds = options.screeningThresholds ?? DEFAULT_SCREENING_THRESHOLDS;
    // Fails at construction, not at the first check, when the zone is misspelt.
    calendarDateIn(this.now(), this.timeZone);
  }

  /**
   * Order: simulated outages (a vendor that is down answers nothing), then the rules — SSN,
   * date of birth and age, watch list — then the test SSNs, then approval. A test SSN never
   * approves what the rules refuse.
   */
  async checkApplicant(applicant: KycApplicant): Promise<KycDecision> {
    const ssn = checkSsn(applicant.ssn);
    const digits = ssn.valid ? ssn.digits : undefined;
    if (digits === testDigits(SandboxKycTestSsn.unavailable)) {
      throw new KycProviderUnavailable(this.name, { reason: 'sandbox' });
    }
    if (digits === testDigits(SandboxKycTestSsn.unavailableTwice) && this.flakyChecks++ < FLAKY_FAILURES) {
      throw new KycProviderUnavailable(this.name, { reason: 'sandbox' });
    }

    if (!ssn.valid) return rejected(KycRejectionCode.INVALID_SSN, ssn.problem);

    const birth = parseCalendarDate(applicant.dateOfBirth);
    const today = calendarDateIn(this.now(), this.timeZone);
    if (!birth) return rejected(KycRejectionCode.INVALID_DATE_OF_BIRTH, 'Date of birth is not a calendar date');
    if (compareCalendarDates(birth, today) > 0) {
      return rejected(KycRejectionCode.INVALID_DATE_OF_BIRTH, 'Date of birth is in the future');
    }
    const minimumAge = this.minimumAge ?? (applicant.address ? ageOfMajority(applicant.address.state) : 18);
    if (ageInYears(birth, today) < minimumAge) {
      return rejected(KycRejectionCode.UNDERAGE, `Applicant is younger than ${minimumAge}`);
    }

    const screening = screenName(applicant.legalName, this.watchList, this.thresholds);
    if (screening.verdict !== 'clear') {
      const watchListHit = {
        entryId: screening.entry.id,
        listedName: screening.entry.name,
        score: round(screening.score),
      };
      return screening.verdict === 'match'
        ? {
            outcome: KycOutcome.rejected,
            reasonCode: KycRejectionCode.WATCHLIST_MATCH,
            reason: `Name matches watch-list entry ${screening.entry.id} (${screening.entry.programme})`,
            watchListHit,
          }
        : {
            outcome: KycOutcome.manual_review,
            reasonCode: KycReviewCode.POSSIBLE_WATCHLIST_MATCH,
            reason: `Name resembles watch-list entry ${screening.entry.id} (similarity ${watchListHit.score})`,
            watchListHit,
          };
    }

    switch (ssn.digits) {
      case testDigits(SandboxKycTestSsn.rejectIdentityNotVerified):
        return rejected(KycRejectionCode.IDENTITY_NOT_VERIFIED, 'Name, date of birth and SSN do not match one person on record');
      case testDigits(SandboxKycTestSsn.rejectDeceased):
        return rejected(KycRejectionCode.SSN_REPORTED_DECEASED, 'SSN is reported as belonging to a deceased person');
      case testDigits(SandboxKycTestSsn.reviewPartialMatch):
        return {
          outcome: KycOutcome.manual_review,
          reasonCode: KycReviewCode.IDENTITY_PARTIAL_MATCH,
          reason: 'Identity records match only in part (name and SSN, not date of birth)',
        };
      default:
        return { outcome: KycOutcome.approved };
    }
  }

  async close(): Promise<void> {
    // Nothing to release.
  }
}

function rejected(reasonCode: KycRejectionCode, reason: string): KycDecision {
  return { outcome: KycOutcome.rejected, reasonCode, reason };
}

function testDigits(ssn: string): string {
  return ssn.replace(/-/g, '');
}

function round(score: number): number {
  return Math.round(score * 1000) / 1000;
}
