import type { Onboarding } from '@bartholomew/contracts-onboarding-process';
import { applicationView, STATUS_LABELS, STEP_LABELS } from '../../src/views/application-view';

describe('the application view', () => {
  const onboarding: Onboarding = {
    id: '5f0c8a9e-4a8e-4e7b-9d3c-3f1d2b6a7c10',
    status: 'rejected',
    owner: 'alice',
    applicant: { legalName: 'Ada Lovelace', email: 'ada@example.com', ssnLast4: '0001' },
    product: { productType: 'savings', planCode: 'everyday-savings' },
    fundingAccountMasked: { routingNumber: '011000015', accountNumberMasked: '•••1234', accountType: 'checking' },
    reason: { code: 'IDENTITY_NOT_VERIFIED', message: 'Identity not verified' },
    timeline: [
      {
        name: 'kyc',
        state: 'failed',
        attempts: 2,
        startedAt: '2025-01-01T00:00:00.000Z',
        finishedAt: '2025-01-01T00:00:01.500Z',
        outcome: 'rejected',
        reason: 'IDENTITY_NOT_VERIFIED',
      },
      { name: 'ach_verification', state: 'skipped', attempts: 0 },
    ],
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:01.500Z',
  };

  it('labels every step and status, and says how long each finished step took', () => {
    const view = applicationView(onboarding);
    expect(view.statusLabel).toBe('Not approved');
    expect(view.timeline).toEqual([
      {
        step: 'kyc',
        label: 'Identity check',
        state: 'failed',
        attempts: 2,
        startedAt: '2025-01-01T00:00:00.000Z',
        finishedAt: '2025-01-01T00:00:01.500Z',
        durationMs: 1500,
        outcome: 'rejected',
        reason: 'IDENTITY_NOT_VERIFIED',
      },
      { step: 'ach_verification', label: 'Bank account verification', state: 'skipped', attempts: 0 },
    ]);
    expect(view).not.toHaveProperty('result');
    expect(view).not.toHaveProperty('owner');
  });

  it('masks the email as the overview does, and never shows the full address', () => {
    const view = applicationView(onboarding);
    expect(view.applicant).toEqual({ legalName: 'Ada Lovelace', emailMasked: 'a•••@example.com', email: 'a•••@example.com', ssnLast4: '0001' });
    expect(JSON.stringify(view)).not.toContain('ada@example.com');
  });

  it('has a label for every step and status the Process API names', () => {
    expect(Object.keys(STEP_LABELS).sort()).toEqual(['ach_verification', 'billing_setup', 'kyc', 'open_account', 'opening_deposit', 'welcome_email']);
    expect(Object.keys(STATUS_LABELS)).toHaveLength(7);
  });
});
