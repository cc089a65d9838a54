import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { Type } from '@sinclair/typebox';
import { accountSystemSchemas, AccountSchema, CreateCustomerRequestSchema, PostTransactionRequestSchema, ref, TransactionPageSchema } from './index';

/** The same kind of validator the server and the client use: strict, no coercion. */
function validatorFor() {
  const ajv = new Ajv({ strict: false, coerceTypes: false, allErrors: true });
  addFormats(ajv);
  for (const schema of accountSystemSchemas) ajv.addSchema(schema);
  return ajv;
}

const customer = {
  legalName: 'Ada Lovelace',
  dateOfBirth: '1990-04-01',
  taxId: '123-45-6789',
  email: 'ada@example.com',
  phone: '+12125550123',
  address: { line1: '1 Main St', city: 'New York', state: 'NY', postalCode: '10001' },
};

describe('account System API contract', () => {
  const ajv = validatorFor();
  const check = (schema: { $id?: string }, value: unknown) => ajv.validate(schema.$id as string, value);

  it('gives every shared schema a distinct $id so OpenAPI and the client can name it', () => {
    const ids = accountSystemSchemas.map((schema) => schema.$id);
    expect(ids.every((id) => typeof id === 'string' && id.length > 0)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('resolves the references inside list schemas to the registered item schemas', () => {
    const page = { items: [{ transactionId: 'not-a-uuid' }], nextCursor: null };
    expect(check(TransactionPageSchema, page)).toBe(false);
    expect(ajv.errors?.[0]?.instancePath).toMatch(/^\/items\/0/);
  });

  it('accepts an SSN dashed or as nine digits and nothing else', () => {
    expect(check(CreateCustomerRequestSchema, customer)).toBe(true);
    expect(check(CreateCustomerRequestSchema, { ...customer, taxId: '123456789' })).toBe(true);
    for (const taxId of ['12345678', '123-456-789', '1234567890', 123456789]) {
      expect(check(CreateCustomerRequestSchema, { ...customer, taxId })).toBe(false);
    }
  });

  it('refuses unknown fields, lower-case states and impossible dates in a new customer', () => {
    expect(check(CreateCustomerRequestSchema, { ...customer, isAdmin: true })).toBe(false);
    expect(check(CreateCustomerRequestSchema, { ...customer, address: { ...customer.address, state: 'ny' } })).toBe(false);
    expect(check(CreateCustomerRequestSchema, { ...customer, dateOfBirth: '1990-02-30' })).toBe(false);
  });

  it('refuses postings of zero, negative or fractional amounts', () => {
    const posting = (amountMinor: number) => ({ direction: 'credit', amount: { amountMinor, currency: 'USD' }, description: 'Deposit' });
    expect(check(PostTransactionRequestSchema, posting(1))).toBe(true);
    for (const amountMinor of [0, -5, 1.5]) expect(check(PostTransactionRequestSchema, posting(amountMinor))).toBe(false);
  });

  it('shows account numbers only masked to their last four digits', () => {
    const account = {
      accountId: '5f0c8a9e-4a8e-4e7b-9d3c-3f1d2b6a7c10',
      customerId: '0b7e4f3a-2c1d-4e5f-8a9b-1c2d3e4f5a6b',
      accountNumberMasked: '\u2022\u2022\u20224821',
      productType: 'checking',
      currency: 'USD',
      status: 'active',
      openedAt: '2025-01-01T00:00:00.000Z',
      statusChangedAt: '2025-01-01T00:00:00.000Z',
    };
    expect(check(AccountSchema, account)).toBe(true);
    expect(check(AccountSchema, { ...account, accountNumberMasked: '12345674821' })).toBe(false);
  });

  it('refuses to reference a schema without an $id', () => {
    expect(() => ref(Type.String())).toThrow(/\$id/);
    expect(ref(AccountSchema)).toEqual(expect.objectContaining({ $ref: 'Account' }));
  });
});
