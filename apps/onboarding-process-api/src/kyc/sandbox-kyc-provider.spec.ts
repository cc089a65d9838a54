import { KycProviderError, KycProviderUnavailable } from './kyc-errors';
import type { KycApplicant } from './kyc-provider';
import { SandboxKycProvider, SandboxKycTestSsn } from './sandbox-kyc-provider';

/** Noon in New York on 2025-06-15: calendar date 2025-06-15 there and in UTC. */
const JUNE_15 = new Date('2025-06-15T16:00:00Z');

const ada: KycApplicant = {
  legalName: 'Ada Lovelace',
  dateOfBirth: '1990-04-01',
  ssn: '234-56-7890',
  address: {
    line1: '1 Main St',
    city: 'New York',
    state: 'NY',
    postalCode: '10001',
  },
};

function provider(now: Date = JUNE_15) {
  return new SandboxKycProvider({ now: () => now });
}

describe('SandboxKycProvider', () => {
  it('approves an adult with a valid SSN and a name on no watch list', async () => {
    await expect(provider().checkApplicant(ada)).resolves.toEqual({
      outcome: 'approved',
    });
  });

  describe('age of majority', () => {
    it('rejects an applicant the day before their 18th birthday as UNDERAGE', async () => {
      const decision = await provider().checkApplicant({
        ...ada,
        dateOfBirth: '2007-06-16',
      });
      expect(decision).toEqual({
        outcome: 'rejected',
        reasonCode: 'UNDERAGE',
        reason: 'Applicant is younger than 18',
      });
    });

    it('approves an applicant on their 18th birthday', async () => {
      await expect(provider().checkApplicant({ ...ada, dateOfBirth: '2007-06-15' })).resolves.toEqual({ outcome: 'approved' });
    });

    it("counts the birthday from the bank's calendar date, not UTC's", async () => {
      const applicant = { ...ada, dateOfBirth: '2007-06-16' };
      // 02:00 UTC on the 16th is still the 15th in New York.
      const lateEveningInNewYork = new Date('2025-06-16T02:00:00Z');
      const morningInNewYork = new Date('2025-06-16T13:00:00Z');
      await expect(provider(lateEveningInNewYork).checkApplicant(applicant)).resolves.toMatchObject({ reasonCode: 'UNDERAGE' });
      await expect(provider(morningInNewYork).checkApplicant(applicant)).resolves.toEqual({ outcome: 'approved' });
      const utcProvider = new SandboxKycProvider({
        now: () => lateEveningInNewYork,
        timeZone: 'UTC',
      });
      await expect(utcProvider.checkApplicant(applicant)).resolves.toEqual({
        outcome: 'approved',
      });
    });

    it('uses the age of majority it is configured with', async () => {
      const twentyOne = new SandboxKycProvider({
        now: () => JUNE_15,
        minimumAge: 21,
      });
      await expect(twentyOne.checkApplicant({ ...ada, dateOfBirth: '2005-01-01' })).resolves.toMatchObject({
        outcome: 'rejected',
        reasonCode: 'UNDERAGE',
        reason: 'Applicant is younger than 21',
      });
    });

    it.each([
      ['AL', 19],
      ['NE', 19],
      ['MS', 21],
    ] as const)('rejects an 18-year-old living in %s, where the age of majority is %s', async (state, age) => {
      const applicant: KycApplicant = {
        ...ada,
        dateOfBirth: '2007-06-15',
        address: { line1: '1 Main St', city: 'Montgomery', state, postalCode: '36104' },
      };
      await expect(provider().checkApplicant(applicant)).resolves.toEqual({
        outcome: 'rejected',
        reasonCode: 'UNDERAGE',
        reason: `Applicant is younger than ${age}`,
      });
    });

    it.each(['1990-02-30', 'yesterday', '2030-01-01'])('rejects the date of birth %s as INVALID_DATE_OF_BIRTH', async (dateOfBirth) => {
      await expect(provider().checkApplicant({ ...ada, dateOfBirth })).resolves.toMatchObject({
        outcome: 'rejected',
        reasonCode: 'INVALID_DATE_OF_BIRTH',
      });
    });

    it('refuses to start with a time zone that does not exist', () => {
      expect(() => new SandboxKycProvider({ timeZone: 'America/Atlantis' })).toThrow(RangeError);
    });
  });

  describe('SSN validity', () => {
    it.each(['000-12-3456', '666-12-3456', '900-12-3456', '999-12-3456', '123-00-4567', '123-45-0000', '12-345-6789', '078-05-1120', '123-45-6789'])(
      'rejects %s as INVALID_SSN',
      async (ssn) => {
        await expect(provider().checkApplicant({ ...ada, ssn })).resolves.toMatchObject({
          outcome: 'rejected',
          reasonCode: 'INVALID_SSN',
        });
      },
    );
  });

  describe('watch-list screening', () => {
    it('rejects a listed name written differently as WATCHLIST_MATCH and names the entry', async () => {
      const decision = await provider().checkApplicant({
        ...ada,
        legalName: 'BLACKHAT, Mallory',
      });
      expect(decision).toEqual({
        outcome: 'rejected',
        reasonCode: 'WATCHLIST_MATCH',
        reason: 'Name matches watch-list entry SBX-WL-001 (SANDBOX-SANCTIONS)',
        watchListHit: {
          entryId: 'SBX-WL-001',
          listedName: 'Mallory Blackhat',
          score: 1,
        },
      });
    });

    it('holds a name that only resembles a listed one for manual review as POSSIBLE_WATCHLIST_MATCH', async () => {
      const decision = await provider().checkApplicant({
        ...ada,
        legalName: 'Mallory Black',
      });
      expect(decision).toMatchObject({
        outcome: 'manual_review',
        reasonCode: 'POSSIBLE_WATCHLIST_MATCH',
        watchListHit: { entryId: 'SBX-WL-001', listedName: 'Mallory Blackhat' },
      });
      if (decision.outcome === 'manual_review') {
        expect(decision.watchListHit?.score).toBeGreaterThanOrEqual(0.93);
        expect(decision.watchListHit?.score).toBeLessThan(0.98);
      }
    });
  });

  describe('test SSNs', () => {
    it.each([
      [SandboxKycTestSsn.approve, { outcome: 'approved' }],
      [SandboxKycTestSsn.rejectIdentityNotVerified, { outcome: 'rejected', reasonCode: 'IDENTITY_NOT_VERIFIED' }],
      [SandboxKycTestSsn.rejectDeceased, { outcome: 'rejected', reasonCode: 'SSN_REPORTED_DECEASED' }],
      [SandboxKycTestSsn.reviewPartialMatch, { outcome: 'manual_review', reasonCode: 'IDENTITY_PARTIAL_MATCH' }],
    ])('decides %s as documented', async (ssn, expected) => {
      await expect(provider().checkApplicant({ ...ada, ssn })).resolves.toMatchObject(expected);
      await expect(provider().checkApplicant({ ...ada, ssn: ssn.replace(/-/g, '') })).resolves.toMatchObject(expected);
    });

    it('never approves through a test SSN what the rules refuse', async () => {
      const minor = {
        ...ada,
        dateOfBirth: '2010-01-01',
        ssn: SandboxKycTestSsn.approve,
      };
      await expect(provider().checkApplicant(minor)).resolves.toMatchObject({
        reasonCode: 'UNDERAGE',
      });
      const listed = {
        ...ada,
        legalName: 'Mallory Blackhat',
        ssn: SandboxKycTestSsn.reviewPartialMatch,
      };
      await expect(provider().checkApplicant(listed)).resolves.toMatchObject({
        reasonCode: 'WATCHLIST_MATCH',
      });
    });

    it('simulates an outage that never ends with a transient error on every check', async () => {
      const sandbox = provider();
      for (let attempt = 0; attempt < 3; attempt++) {
        const error = await sandbox.checkApplicant({ ...ada, ssn: SandboxKycTestSsn.unavailable }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(KycProviderUnavailable);
        expect(error).toMatchObject({
          transient: true,
          code: 'KYC_PROVIDER_UNAVAILABLE',
          reason: 'sandbox',
        });
      }
    });

    it('simulates a short outage: two transient errors, then a decision', async () => {
      const sandbox = provider();
      const applicant = { ...ada, ssn: SandboxKycTestSsn.unavailableTwice };
      await expect(sandbox.checkApplicant(applicant)).rejects.toBeInstanceOf(KycProviderUnavailable);
      await expect(sandbox.checkApplicant(applicant)).rejects.toBeInstanceOf(KycProviderUnavailable);
      await expect(sandbox.checkApplicant(applicant)).resolves.toEqual({
        outcome: 'approved',
      });
      // Other applicants are unaffected by the outage.
      await expect(provider().checkApplicant(ada)).resolves.toEqual({
        outcome: 'approved',
      });
    });
  });

  it('never puts the SSN or date of birth in a decision', async () => {
    const applicants = [
      { ...ada, ssn: '666-12-3456' },
      { ...ada, dateOfBirth: '2010-03-04' },
      { ...ada, ssn: SandboxKycTestSsn.rejectDeceased },
      { ...ada, legalName: 'Mallory Black' },
    ];
    for (const applicant of applicants) {
      const decision = JSON.stringify(await provider().checkApplicant(applicant));
      expect(decision).toMatch(/"outcome":"(rejected|manual_review)"/);
      expect(decision).not.toContain(applicant.ssn);
      expect(decision).not.toContain(applicant.ssn.replace(/-/g, '').slice(-4));
      expect(decision).not.toContain(applicant.dateOfBirth);
    }
  });

  it('raises errors a caller can tell apart from its own bugs', async () => {
    const error = await provider()
      .checkApplicant({ ...ada, ssn: SandboxKycTestSsn.unavailable })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KycProviderError);
    expect((error as Error).message).not.toContain('0098');
  });
});
