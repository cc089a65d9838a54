import { Value } from '@sinclair/typebox/value';
import { AddPaymentMethodRequestSchema, RecordVerificationRequestSchema, billingSystemSchemas } from './index';

const bankAccount = { routingNumber: '021000021', accountNumber: '000123456789', accountType: 'checking', holderName: 'Ada Lovelace' };

describe('billing System API contract', () => {
  it('accepts a well-formed ACH bank account', () => {
    expect(Value.Check(AddPaymentMethodRequestSchema, bankAccount)).toBe(true);
  });

  it.each([
    ['a three-digit account number', { accountNumber: '123' }],
    ['an eighteen-digit account number', { accountNumber: '1'.repeat(18) }],
    ['an account number with a dash', { accountNumber: '1234-5678' }],
    ['an eight-digit routing number', { routingNumber: '02100002' }],
    ['an account type other than checking or savings', { accountType: 'brokerage' }],
    ['a blank holder name', { holderName: '   ' }],
    ['an unknown field', { nickname: 'rainy day' }],
  ])('refuses %s', (_label, change) => {
    expect(Value.Check(AddPaymentMethodRequestSchema, { ...bankAccount, ...change })).toBe(false);
  });

  it('takes only verified or failed as a verification outcome', () => {
    expect(Value.Check(RecordVerificationRequestSchema, { outcome: 'failed', reason: 'R03 no account' })).toBe(true);
    expect(Value.Check(RecordVerificationRequestSchema, { outcome: 'unverified' })).toBe(false);
  });

  it('names every shared schema with a distinct $id', () => {
    const ids = billingSystemSchemas.map((schema) => schema.$id);
    expect(ids.every((id) => typeof id === 'string')).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
