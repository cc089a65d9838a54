import type { Onboarding } from '@bartholomew/contracts-onboarding-process';
import { nextStepOf } from '../../src/onboarding/next-step';

const base: Onboarding = {
  id: '5f0c8a9e-4a8e-4e7b-9d3c-3f1d2b6a7c10',
  status: 'in_progress',
  owner: 'alice',
  applicant: { legalName: 'Ada Lovelace', email: 'ada@example.com', ssnLast4: '7890' },
  product: { productType: 'checking', planCode: 'basic-checking' },
  fundingAccountMasked: { routingNumber: '021000021', accountNumberMasked: '•••3245', accountType: 'checking' },
  timeline: [],
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-01-01T00:00:00.000Z',
};
const at = (change: Partial<Onboarding>) => nextStepOf({ ...base, ...change });
/** The reason shown on a `rejected` or `failed` screen; any other screen has none to show. */
const reasonAt = (change: Partial<Onboarding>) => {
  const answer = at(change);
  if (answer.next !== 'rejected' && answer.next !== 'failed') throw new Error(`expected a refusal screen, got ${answer.next}`);
  return answer.reason;
};

describe('what to show next', () => {
  it('asks the app to poll while checks run', () => {
    expect(at({ status: 'pending' })).toEqual({ id: base.id, next: 'processing', pollAfterSeconds: 2 });
    expect(at({ status: 'in_progress' }).next).toBe('processing');
  });

  it('asks for the deposits with the attempts left and the deadline', () => {
    const pendingAction = { action: 'confirm_micro_deposits' as const, attemptsRemaining: 2, expiresAt: '2025-01-08T00:00:00.000Z' };
    expect(at({ status: 'awaiting_customer', pendingAction })).toEqual({
      id: base.id,
      next: 'verify_deposits',
      deposits: { attemptsLeft: 2, expiresAt: '2025-01-08T00:00:00.000Z' },
    });
  });

  it('welcomes a new customer with the new account only', () => {
    const answer = at({
      status: 'completed',
      accountId: '7d6c5b4a-3e2f-4a1b-8c9d-0e1f2a3b4c5d',
      accountNumberMasked: '•••4821',
      customerId: '0b7e4f3a-2c1d-4e5f-8a9b-1c2d3e4f5a6b',
    });
    expect(answer).toEqual({ id: base.id, next: 'welcome', account: { id: '7d6c5b4a-3e2f-4a1b-8c9d-0e1f2a3b4c5d', number: '•••4821' } });
  });

  it('refuses to show a welcome screen without the account (a completed onboarding always names it)', () => {
    expect(() => at({ status: 'completed', accountNumberMasked: '•••4821' })).toThrow(
      expect.objectContaining({ code: 'PROCESS_ANSWER_INCOMPLETE', statusCode: 500 }),
    );
    expect(() => at({ status: 'completed', accountId: '7d6c5b4a-3e2f-4a1b-8c9d-0e1f2a3b4c5d' })).toThrow(
      expect.objectContaining({ code: 'PROCESS_ANSWER_INCOMPLETE' }),
    );
  });

  it('tells a bank-account problem as something the applicant can fix', () => {
    expect(reasonAt({ status: 'rejected', reason: { code: 'ACCOUNT_CLOSED', message: 'R02' } })).toEqual({
      code: 'BANK_ACCOUNT_NOT_ACCEPTED',
      message: expect.stringMatching(/closed/),
    });
  });

  it.each(['WATCHLIST_MATCH', 'SSN_REPORTED_DECEASED', 'IDENTITY_NOT_VERIFIED', 'KYC_REJECTED_ON_REVIEW', 'SOMETHING_NEW'])(
    'never discloses the identity-check finding %s to the applicant',
    (code) => {
      const rejected: Partial<Onboarding> = { status: 'rejected', reason: { code, message: `internal detail of ${code}` } };
      expect(reasonAt(rejected).code).toBe('IDENTITY_NOT_VERIFIED');
      expect(JSON.stringify(at(rejected))).not.toContain('internal detail');
    },
  );

  it('shows a technical failure as ours, without internals, and asks to try again later', () => {
    const answer = at({ status: 'failed', reason: { code: 'ECONNRESET', message: 'socket hang up at 10.0.0.7:5432' } });
    expect(answer).toEqual({
      id: base.id,
      next: 'failed',
      reason: { code: 'SOMETHING_WENT_WRONG', message: expect.stringMatching(/try again later/) },
    });
    expect(JSON.stringify(answer)).not.toContain('10.0.0.7');
  });

  it.each([
    ['BILLING_SETUP_REFUSED', 'PLAN_OR_BANK_ACCOUNT_NOT_ACCEPTED', /another plan or account/],
    ['OPENING_DEPOSIT_REFUSED', 'DEPOSIT_NOT_ACCEPTED', /different amount/],
  ])('tells a business refusal %s as what to change, not as a fault to retry', (code, shown, advice) => {
    const answer = at({ status: 'failed', reason: { code, message: 'billing said 422 PAYMENT_METHOD_INVALID' } });
    expect(answer).toEqual({ id: base.id, next: 'failed', reason: { code: shown, message: expect.stringMatching(advice) } });
    expect(reasonAt({ status: 'failed', reason: { code, message: 'billing said 422 PAYMENT_METHOD_INVALID' } }).message).not.toMatch(
      /try again later/,
    );
    expect(JSON.stringify(answer)).not.toContain('PAYMENT_METHOD_INVALID');
  });

  it('asks to check back much later while a person reviews', () => {
    expect(at({ status: 'in_review' })).toEqual({ id: base.id, next: 'in_review', pollAfterSeconds: 60 });
  });
});
