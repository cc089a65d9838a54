import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { TSchema } from '@sinclair/typebox';
import { ConfirmDepositsRequestSchema, HomeSchema, NextStepAnswerSchema, OnboardingFormSchema, mobileExperienceSchemas } from './index';

const ajv = new Ajv({ strict: false, coerceTypes: false, allErrors: true });
addFormats(ajv);
for (const schema of mobileExperienceSchemas) ajv.addSchema(schema);
const valid = (schema: TSchema, value: unknown) => ajv.validate(schema.$id as string, value);

const form = {
  firstName: 'Ada',
  lastName: 'Lovelace',
  dateOfBirth: '1990-04-01',
  ssn: '234-56-7890',
  email: 'ada@example.com',
  phone: '+12125550123',
  address: { street: '1 Main St', city: 'New York', state: 'NY', zip: '10001' },
  account: 'checking',
  plan: 'basic-checking',
  bank: { routingNumber: '011000015', accountNumber: '123456789', type: 'checking' },
};

describe('mobile Experience API contract', () => {
  it('names every shared schema with a distinct $id', () => {
    const ids = mobileExperienceSchemas.map((schema) => schema.$id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(['OnboardingForm', 'NewAccountForm', 'NextStepAnswer', 'ConfirmDepositsRequest', 'Home', 'AccountDetail', 'Billing']);
  });

  it('accepts the sign-up form and refuses what the Process API would refuse', () => {
    expect(valid(OnboardingFormSchema, form)).toBe(true);
    expect(valid(OnboardingFormSchema, { ...form, initialDepositCents: 2500 })).toBe(true);
    expect(valid(OnboardingFormSchema, { ...form, ssn: 234567890 })).toBe(false);
    expect(valid(OnboardingFormSchema, { ...form, plan: 'Basic' })).toBe(false);
    expect(valid(OnboardingFormSchema, { ...form, bank: { ...form.bank, routingNumber: '1234' } })).toBe(false);
    expect(valid(OnboardingFormSchema, { ...form, lastName: 'x'.repeat(100) })).toBe(false);
  });

  it('keeps answers compact: no field beyond what the screens show', () => {
    expect(valid(NextStepAnswerSchema, { id: '5f0c8a9e-4a8e-4e7b-9d3c-3f1d2b6a7c10', next: 'processing', pollAfterSeconds: 2 })).toBe(true);
    expect(valid(NextStepAnswerSchema, { id: '5f0c8a9e-4a8e-4e7b-9d3c-3f1d2b6a7c10', next: 'processing', timeline: [] })).toBe(false);
    expect(valid(HomeSchema, { accounts: [], stale: true })).toBe(true);
    expect(valid(HomeSchema, { accounts: [], stale: false })).toBe(false);
  });

  it('takes exactly two deposit amounts of 1 to 99 cents', () => {
    expect(valid(ConfirmDepositsRequestSchema, { amounts: [32, 45] })).toBe(true);
    expect(valid(ConfirmDepositsRequestSchema, { amounts: [32] })).toBe(false);
    expect(valid(ConfirmDepositsRequestSchema, { amounts: [0, 45] })).toBe(false);
  });
});
