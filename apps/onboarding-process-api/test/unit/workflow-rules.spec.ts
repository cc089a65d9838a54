import { DownstreamRejected, DownstreamTimeout, DownstreamUnavailable } from '@bartholomew/platform';
import { AchVerifierUnavailable } from '../../src/ach-verification';
import { KycProviderRejected, KycProviderUnavailable } from '../../src/kyc';
import { composeWelcomeEmail } from '../../src/email/welcome-email';
import { decodeCursor, encodeCursor } from '../../src/onboarding/list-cursor';
import type { OnboardingRecord } from '../../src/onboarding/onboarding-repository';
import { retryDelayMs } from '../../src/jobs/backoff';
import { classifyFault } from '../../src/workflow/faults';
import { initialTimeline, stepAfter } from '../../src/onboarding/step-plan';
import { downstreamKey } from '../../src/workflow/step-result';

describe('fault classification', () => {
  it('retries unavailability of every kind and fails refusals for good', () => {
    expect(classifyFault(new DownstreamUnavailable('billing-system-api', { reason: 'connection', breakerState: 'closed' }))).toBe('transient');
    expect(classifyFault(new DownstreamUnavailable('billing-system-api', { reason: 'circuit-open', breakerState: 'open' }))).toBe('transient');
    expect(classifyFault(new DownstreamTimeout('account-system-api', { timeoutMs: 100, breakerState: 'closed' }))).toBe('transient');
    expect(classifyFault(new KycProviderUnavailable('sandbox', { reason: 'sandbox' }))).toBe('transient');
    expect(classifyFault(new AchVerifierUnavailable('sandbox'))).toBe('transient');
    expect(classifyFault(new DownstreamRejected('billing-system-api', 422, { code: 'UNKNOWN_FEE_PLAN' }))).toBe('permanent');
    expect(classifyFault(new KycProviderRejected('http-kyc', 401, undefined))).toBe('permanent');
  });

  it('leaves our own bugs to the job runner', () => {
    expect(classifyFault(new TypeError('x is undefined'))).toBe('unknown');
    expect(classifyFault(Object.assign(new Error('deadlock'), { code: '40P01' }))).toBe('unknown');
  });
});

describe('retry backoff', () => {
  const policy = { baseMs: 100, maxMs: 1_000 };
  it('doubles per attempt within ±25 %, never above the ceiling', () => {
    expect(retryDelayMs(1, policy, undefined, () => 0.5)).toBe(100);
    expect(retryDelayMs(3, policy, undefined, () => 0)).toBe(300);
    expect(retryDelayMs(3, policy, undefined, () => 0.999)).toBe(500);
    expect(retryDelayMs(20, policy, undefined, () => 0.999)).toBe(1_000);
  });
  it('waits at least what the downstream asked for, within the ceiling', () => {
    expect(retryDelayMs(1, policy, 700, () => 0.5)).toBe(700);
    expect(retryDelayMs(1, policy, 60_000, () => 0.5)).toBe(1_000);
  });
});

describe('step plan', () => {
  it('passes over the opening deposit when none was requested', () => {
    expect(stepAfter('billing_setup', true)).toBe('opening_deposit');
    expect(stepAfter('billing_setup', false)).toBe('welcome_email');
    expect(stepAfter('welcome_email', true)).toBeNull();
    expect(initialTimeline(false).find((step) => step.step === 'opening_deposit')?.state).toBe('skipped');
  });
  it('derives downstream idempotency keys that fit the contracts’ key pattern', () => {
    const key = downstreamKey('5f0c8a9e-4a8e-4e7b-9d3c-3f1d2b6a7c10', 'payment-method');
    expect(key).toMatch(/^[A-Za-z0-9_.:-]{8,128}$/);
    expect(downstreamKey('5f0c8a9e-4a8e-4e7b-9d3c-3f1d2b6a7c10', 'payment-method')).toBe(key);
  });
});

describe('list cursors', () => {
  it('round-trips a position and refuses anything else', () => {
    const position = { createdAt: new Date('2026-01-02T03:04:05.678Z'), id: '5f0c8a9e-4a8e-4e7b-9d3c-3f1d2b6a7c10' };
    expect(decodeCursor(encodeCursor(position))).toEqual(position);
    expect(() => decodeCursor('bm9wZQ')).toThrow(/cursor/);
  });
});

describe('welcome email', () => {
  const onboarding = {
    id: '5f0c8a9e-4a8e-4e7b-9d3c-3f1d2b6a7c10',
    legalName: 'Ada Lovelace',
    email: 'ada@example.com',
    productType: 'checking',
    planCode: 'basic-checking',
    accountNumberMasked: '•••4821',
    fundingAccountLast4: '6789',
    openingDeposit: { amountMinor: 2500, currency: 'USD' },
  } as OnboardingRecord;

  it('says who they are, the masked account number and next steps, with a Message-ID derived from the onboarding', () => {
    const mail = composeWelcomeEmail(onboarding, { messageIdDomain: 'example.test' });
    expect(mail.messageId).toBe('<onboarding-5f0c8a9e-4a8e-4e7b-9d3c-3f1d2b6a7c10.welcome@example.test>');
    expect(mail.recipient).toBe('ada@example.com');
    expect(mail.bodyText).toContain('Dear Ada Lovelace');
    expect(mail.bodyText).toContain('•••4821');
    expect(mail.bodyText).toContain('$25.00');
    expect(mail.bodyText).toMatch(/What happens next/);
  });
});
