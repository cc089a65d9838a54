import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { TSchema } from '@sinclair/typebox';
import { CustomerOverviewViewSchema, ProductCatalogueViewSchema, TransactionQuerySchema, webExperienceSchemas } from './index';

const ajv = new Ajv({ strict: false, coerceTypes: false, allErrors: true });
addFormats(ajv);
for (const schema of webExperienceSchemas) ajv.addSchema(schema);

describe('web Experience API contract', () => {
  it('names every shared schema with a distinct $id', () => {
    const ids = webExperienceSchemas.map((schema) => schema.$id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('lists products as the account application names them, its example included', () => {
    const validate = (value: unknown) => ajv.validate(ProductCatalogueViewSchema.$id as string, value);
    const usd = (amountMinor: number) => ({ amountMinor, currency: 'USD' });
    const plan = { planCode: 'everyday-savings', name: 'Everyday Savings', description: 'Savings.', monthlyFee: usd(500) };
    const savings = { productType: 'savings', plans: [plan], openingDeposit: { min: usd(1), max: usd(2_500_000) } };
    expect(validate({ products: [savings] })).toBe(true);
    expect(validate({ products: [savings], stale: true })).toBe(true);
    expect(validate({ products: [{ ...savings, plans: [{ ...plan, monthlyFee: usd(0) }] }] })).toBe(true);
    expect(validate({ products: [{ ...savings, plans: [{ planCode: 'everyday-savings' }] }] })).toBe(false);
    expect(validate({ products: [{ ...savings, openingDeposit: { min: { amountMinor: 1, currency: 'EUR' }, max: usd(2_500_000) } }] })).toBe(false);
    expect(validate({ products: [{ ...savings, plans: [{ ...plan, planCode: 'Everyday Savings' }] }] })).toBe(false);
    for (const example of ProductCatalogueViewSchema.examples as unknown[]) expect(validate(example)).toBe(true);
  });

  it('refuses an overview with an unmasked payment account number', () => {
    const overview = {
      profile: {
        customerId: '0b7e4f3a-2c1d-4e5f-8a9b-1c2d3e4f5a6b',
        legalName: 'Ada Lovelace',
        emailMasked: 'a•••@example.com',
        phoneMasked: '•••0123',
        address: { city: 'New York', state: 'NY', postalCode: '10001' },
        ssnLast4: '6789',
        customerSince: '2025-01-01T00:00:00.000Z',
      },
      accounts: [],
      billingAccounts: [
        {
          billingAccountId: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
          accountId: '7d6c5b4a-3e2f-4a1b-8c9d-0e1f2a3b4c5d',
          status: 'open',
          plan: { planCode: 'basic-checking', name: 'Basic Checking', monthlyFee: { amountMinor: 0, currency: 'USD' } },
          paymentMethods: [
            {
              paymentMethodId: '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e',
              routingNumber: '011000015',
              accountNumberMasked: '•••6789',
              accountType: 'checking',
              status: 'verified',
            },
          ],
        },
      ],
      unavailable: [],
    };
    const validate = (value: unknown) => ajv.validate(CustomerOverviewViewSchema.$id as string, value);
    expect(validate(overview)).toBe(true);
    const leaky = structuredClone(overview);
    leaky.billingAccounts[0].paymentMethods[0].accountNumberMasked = '000123456789';
    expect(validate(leaky)).toBe(false);
    expect(validate({ ...overview, profile: { ...overview.profile, ssn: '123-45-6789' } })).toBe(false);
  });

  it('takes calendar days as date filters', () => {
    const validate = (value: unknown) => ajv.validate(TransactionQuerySchema as TSchema, value);
    expect(validate({ from: '2025-03-01', to: '2025-03-31' })).toBe(true);
    expect(validate({ from: '2025-02-30' })).toBe(false);
    expect(validate({ from: '03/01/2025' })).toBe(false);
  });
});
