import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { TSchema } from '@sinclair/typebox';
import {
  ConfirmDepositsRequestSchema,
  HomeSchema,
  NextStepAnswerSchema,
  NextStepSchema,
  OnboardingFormSchema,
  ProductCatalogueSchema,
  mobileExperienceSchemas,
} from './index';

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
    expect(ids).toEqual([
      'OnboardingForm',
      'NewAccountForm',
      'NextStepAnswer',
      'ProcessingStep',
      'VerifyDepositsStep',
      'InReviewStep',
      'WelcomeStep',
      'RejectedStep',
      'FailedStep',
      'NextStep',
      'ConfirmDepositsRequest',
      'Home',
      'AccountDetail',
      'Billing',
      'ProductCatalogue',
    ]);
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

  const ID = '5f0c8a9e-4a8e-4e7b-9d3c-3f1d2b6a7c10';
  const reason = { code: 'IDENTITY_NOT_VERIFIED', message: 'We couldn’t verify your identity.' };

  it.each([
    ['processing', { id: ID, next: 'processing', pollAfterSeconds: 2 }],
    ['verify_deposits', { id: ID, next: 'verify_deposits', deposits: { attemptsLeft: 3, expiresAt: '2025-01-08T00:00:00.000Z' } }],
    ['in_review', { id: ID, next: 'in_review', pollAfterSeconds: 60, stale: true }],
    ['welcome', { id: ID, next: 'welcome', account: { id: ID, number: '•••4821' } }],
    ['rejected', { id: ID, next: 'rejected', reason }],
    ['failed', { id: ID, next: 'failed', reason }],
  ])('describes the %s screen as one variant of the union, and the v1 object too', (_next, answer) => {
    expect(valid(NextStepSchema, answer)).toBe(true);
    // The same JSON is a valid /v1 answer: /v2 changed the description, not the answers.
    expect(valid(NextStepAnswerSchema, answer)).toBe(true);
  });

  it.each([
    ['a screen without its own field', { id: ID, next: 'welcome' }],
    ['a field of another screen', { id: ID, next: 'processing', pollAfterSeconds: 2, reason }],
    ['a screen that does not exist', { id: ID, next: 'celebrate' }],
    ['a stale marker that is not true', { id: ID, next: 'processing', pollAfterSeconds: 2, stale: false }],
  ])('refuses %s in the union', (_label, answer) => {
    expect(valid(NextStepSchema, answer)).toBe(false);
  });

  it('discriminates the union on `next`, one named variant per screen', () => {
    const { oneOf, discriminator } = NextStepSchema;
    expect(discriminator.propertyName).toBe('next');
    expect(Object.keys(discriminator.mapping)).toEqual(['processing', 'verify_deposits', 'in_review', 'welcome', 'rejected', 'failed']);
    expect(oneOf.map((variant: { $ref: string }) => `#/components/schemas/${variant.$ref}`)).toEqual(Object.values(discriminator.mapping));
  });

  it('lists products as the form fields name them', () => {
    const plan = { plan: 'everyday-savings', name: 'Everyday Savings', description: 'Savings.', monthlyFeeCents: 500, currency: 'USD' };
    const catalogue = { products: [{ account: 'savings', plans: [plan], initialDepositCents: { min: 1, max: 2_500_000 } }] };
    expect(valid(ProductCatalogueSchema, catalogue)).toBe(true);
    expect(valid(ProductCatalogueSchema, { ...catalogue, stale: true })).toBe(true);
    expect(valid(ProductCatalogueSchema, { products: [{ ...catalogue.products[0], plans: [{ ...plan, monthlyFeeCents: 0 }] }] })).toBe(true);
    expect(valid(ProductCatalogueSchema, { products: [{ ...catalogue.products[0], plans: [{ ...plan, monthlyFeeCents: -1 }] }] })).toBe(false);
    expect(valid(ProductCatalogueSchema, { products: [{ ...catalogue.products[0], plans: [{ plan: 'everyday-savings' }] }] })).toBe(false);
    expect(valid(ProductCatalogueSchema, { products: [{ ...catalogue.products[0], plans: [] }] })).toBe(false);
    expect(valid(ProductCatalogueSchema, { products: [{ ...catalogue.products[0], account: 'brokerage' }] })).toBe(false);
    for (const example of ProductCatalogueSchema.examples as unknown[]) expect(valid(ProductCatalogueSchema, example)).toBe(true);
  });

  it('takes exactly two deposit amounts of 1 to 99 cents', () => {
    expect(valid(ConfirmDepositsRequestSchema, { amounts: [32, 45] })).toBe(true);
    expect(valid(ConfirmDepositsRequestSchema, { amounts: [32] })).toBe(false);
    expect(valid(ConfirmDepositsRequestSchema, { amounts: [0, 45] })).toBe(false);
  });
});
