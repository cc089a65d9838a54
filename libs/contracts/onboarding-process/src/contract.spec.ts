import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { FormatRegistry, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import {
  ConfirmMicroDepositsRequestSchema,
  CustomerListSchema,
  CustomerOverviewSchema,
  ListCustomersQuerySchema,
  OnboardingListSchema,
  OnboardingSchema,
  OnboardingStatus,
  OnboardingStatusSchema,
  OnboardingStepName,
  OnboardingStepState,
  ReviewDecisionRequestSchema,
  StartOnboardingRequestSchema,
  onboardingProcessSchemas,
} from './index';

// Value.Check knows no string formats until they are registered. These follow the JSON Schema
// meanings closely enough for the examples below (a calendar date must exist, e.g.).
function isCalendarDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}
FormatRegistry.Set('date', isCalendarDate);
FormatRegistry.Set(
  'date-time',
  (value) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value) && isCalendarDate(value.slice(0, 10)),
);
FormatRegistry.Set('email', (value) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value));
FormatRegistry.Set('uuid', (value) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value));

const references = onboardingProcessSchemas as TSchema[];
const check = (schema: TSchema, value: unknown) => Value.Check(schema, references, value);

const startRequest = {
  applicant: {
    legalName: 'Ada Lovelace',
    dateOfBirth: '1990-04-01',
    ssn: '123-45-6780',
    email: 'ada@example.com',
    phone: '+12125550123',
    address: {
      line1: '1 Main St',
      line2: 'Apt 4',
      city: 'New York',
      state: 'NY',
      postalCode: '10001',
    },
  },
  product: { productType: 'checking', planCode: 'basic-checking' },
  fundingAccount: {
    routingNumber: '011000015',
    accountNumber: '000123456789',
    accountType: 'checking',
  },
  openingDeposit: { amountMinor: 2500, currency: 'USD' },
};

type StartRequest = typeof startRequest;
/** A copy of the valid request with one part changed (`undefined` removes the field). */
function withChange(change: (request: StartRequest) => void): unknown {
  const copy = structuredClone(startRequest);
  change(copy);
  return copy;
}

const onboardingId = '5f0c8a9e-4a8e-4e7b-9d3c-3f1d2b6a7c10';
const customerId = '0b7e4f3a-2c1d-4e5f-8a9b-1c2d3e4f5a6b';
const accountId = '7d6c5b4a-3e2f-4a1b-8c9d-0e1f2a3b4c5d';
const billingAccountId = '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';

const anOnboarding = {
  id: onboardingId,
  status: 'in_progress',
  owner: 'auth0|user-42',
  applicant: {
    legalName: 'Ada Lovelace',
    email: 'ada@example.com',
    ssnLast4: '6789',
  },
  product: { productType: 'savings', planCode: 'basic-savings' },
  fundingAccountMasked: {
    routingNumber: '021000021',
    accountNumberMasked: '\u2022\u2022\u20226789',
    accountType: 'checking',
  },
  timeline: [
    {
      name: 'kyc',
      state: 'succeeded',
      attempts: 1,
      startedAt: '2025-01-01T00:00:00.000Z',
      finishedAt: '2025-01-01T00:00:01.000Z',
      outcome: 'approved',
    },
    {
      name: 'ach_verification',
      state: 'waiting',
      attempts: 1,
      startedAt: '2025-01-01T00:00:01.000Z',
      outcome: 'micro_deposits_sent',
    },
    { name: 'open_account', state: 'pending', attempts: 0 },
  ],
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-01-01T00:00:01.000Z',
};

const onboarding = {
  ...anOnboarding,
  status: 'awaiting_customer',
  pendingAction: {
    action: 'confirm_micro_deposits',
    expiresAt: '2025-01-08T00:00:00.000Z',
    attemptsRemaining: 3,
  },
};

const completedOnboarding = {
  ...anOnboarding,
  status: 'completed',
  customerId,
  accountId,
  accountNumberMasked: '\u2022\u2022\u20224821',
  billingAccountId,
  openingDeposit: { amountMinor: 2500, currency: 'USD' },
};

describe('onboarding Process API contract', () => {
  it('names every shared schema with a distinct $id', () => {
    const ids = onboardingProcessSchemas.map((schema) => schema.$id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'StartOnboardingRequest',
        'Onboarding',
        'OnboardingList',
        'ConfirmMicroDepositsRequest',
        'ReviewDecisionRequest',
        'CustomerOverview',
        'CustomerList',
      ]),
    );
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('compiles in a strict, non-coercing Ajv like the server and client use, refusing a numeric SSN', () => {
    const ajv = new Ajv({ strict: false, coerceTypes: false, allErrors: true });
    addFormats(ajv);
    for (const schema of onboardingProcessSchemas) ajv.addSchema(schema);
    const validate = (schema: TSchema, value: unknown) => ajv.validate(schema.$id as string, value);
    expect(validate(StartOnboardingRequestSchema, startRequest)).toBe(true);
    expect(
      validate(
        StartOnboardingRequestSchema,
        withChange((r) => ((r.applicant as { ssn: unknown }).ssn = 123456789)),
      ),
    ).toBe(false);
    expect(
      validate(OnboardingListSchema, {
        items: [completedOnboarding],
        nextCursor: null,
      }),
    ).toBe(true);
    expect(
      validate(ConfirmMicroDepositsRequestSchema, {
        amountsMinor: [32, 45, 1],
      }),
    ).toBe(false);
  });

  describe('StartOnboardingRequest', () => {
    it('accepts a complete application, with or without the optional address line and opening deposit', () => {
      expect(check(StartOnboardingRequestSchema, startRequest)).toBe(true);
      const minimal = withChange((r) => {
        delete (r.applicant.address as { line2?: string }).line2;
        delete (r as { openingDeposit?: unknown }).openingDeposit;
      });
      expect(check(StartOnboardingRequestSchema, minimal)).toBe(true);
    });

    it.each(['123-45-6789', '123456789', '12345-6789', '123-456789'])('accepts the SSN %s with or without dashes', (ssn) => {
      expect(
        check(
          StartOnboardingRequestSchema,
          withChange((r) => (r.applicant.ssn = ssn)),
        ),
      ).toBe(true);
    });

    it.each(['10001', '10001-2345', '100012345'])('accepts the ZIP code %s', (postalCode) => {
      expect(
        check(
          StartOnboardingRequestSchema,
          withChange((r) => (r.applicant.address.postalCode = postalCode)),
        ),
      ).toBe(true);
    });

    it.each<[string, (r: StartRequest) => void]>([
      ['an unknown top-level field', (r) => Object.assign(r, { promoCode: 'FREE' })],
      ['an unknown applicant field', (r) => Object.assign(r.applicant, { isAdmin: true })],
      ['an unknown address field', (r) => Object.assign(r.applicant.address, { country: 'US' })],
      ['an unknown product field', (r) => Object.assign(r.product, { overdraft: true })],
      ['an unknown funding account field', (r) => Object.assign(r.fundingAccount, { holderName: 'Ada' })],
      ['a missing email', (r) => delete (r.applicant as { email?: string }).email],
      ['a missing funding account', (r) => delete (r as { fundingAccount?: unknown }).fundingAccount],
      ['a blank legal name', (r) => (r.applicant.legalName = '   ')],
      ['an SSN of eight digits', (r) => (r.applicant.ssn = '12345678')],
      ['an SSN with letters', (r) => (r.applicant.ssn = '123-45-67a9')],
      ['an SSN given as a number', (r) => ((r.applicant as { ssn: unknown }).ssn = 123456789)],
      ['a date of birth that is not a date', (r) => (r.applicant.dateOfBirth = '01/04/1990')],
      ['a date of birth that does not exist', (r) => (r.applicant.dateOfBirth = '1990-02-30')],
      ['an email without a domain', (r) => (r.applicant.email = 'ada@')],
      ['a phone number without its country code', (r) => (r.applicant.phone = '2125550123')],
      ['a phone number with a country code starting with 0', (r) => (r.applicant.phone = '+02125550123')],
      ['a lower-case state', (r) => (r.applicant.address.state = 'ny')],
      ['a three-letter state', (r) => (r.applicant.address.state = 'NYC')],
      ['a four-digit ZIP code', (r) => (r.applicant.address.postalCode = '1000')],
      ['a six-digit ZIP code', (r) => (r.applicant.address.postalCode = '100012')],
      ['a product other than checking or savings', (r) => (r.product.productType = 'brokerage')],
      ['a plan code with capitals', (r) => (r.product.planCode = 'Basic-Checking')],
      ['an eight-digit routing number', (r) => (r.fundingAccount.routingNumber = '01100001')],
      ['a three-digit account number', (r) => (r.fundingAccount.accountNumber = '123')],
      ['an eighteen-digit account number', (r) => (r.fundingAccount.accountNumber = '1'.repeat(18))],
      ['an account type other than checking or savings', (r) => (r.fundingAccount.accountType = 'money_market')],
      ['an opening deposit of zero', (r) => (r.openingDeposit.amountMinor = 0)],
      ['a negative opening deposit', (r) => (r.openingDeposit.amountMinor = -100)],
      ['a fractional number of cents', (r) => (r.openingDeposit.amountMinor = 10.5)],
      ['an opening deposit in euros', (r) => (r.openingDeposit.currency = 'EUR')],
    ])('refuses %s', (_label, change) => {
      expect(check(StartOnboardingRequestSchema, withChange(change))).toBe(false);
    });
  });

  describe('Onboarding', () => {
    it('accepts an onboarding waiting for the customer and a completed one', () => {
      expect(check(OnboardingSchema, onboarding)).toBe(true);
      expect(check(OnboardingSchema, completedOnboarding)).toBe(true);
    });

    it('accepts every status, step name and step state its named lists declare, and nothing else', () => {
      for (const status of Object.values(OnboardingStatus)) expect(check(OnboardingSchema, { ...onboarding, status })).toBe(true);
      expect(check(OnboardingStatusSchema, 'archived')).toBe(false);
      const step = (name: string, state: string) => ({
        ...onboarding,
        timeline: [{ name, state, attempts: 0 }],
      });
      for (const name of Object.values(OnboardingStepName)) expect(check(OnboardingSchema, step(name, 'pending'))).toBe(true);
      for (const state of Object.values(OnboardingStepState)) expect(check(OnboardingSchema, step('kyc', state))).toBe(true);
      expect(check(OnboardingSchema, step('credit_check', 'pending'))).toBe(false);
      expect(check(OnboardingSchema, step('kyc', 'cancelled'))).toBe(false);
    });

    it.each<[string, Record<string, unknown>]>([
      ['the full SSN of the applicant', { applicant: { ...onboarding.applicant, ssn: '123-45-6789' } }],
      ['more than four SSN digits', { applicant: { ...onboarding.applicant, ssnLast4: '456789' } }],
      [
        'an unmasked funding account number',
        {
          fundingAccountMasked: {
            ...onboarding.fundingAccountMasked,
            accountNumberMasked: '000123456789',
          },
        },
      ],
      ['an unmasked new account number', { accountNumberMasked: '12345674821' }],
      ['a negative attempt count', { timeline: [{ name: 'kyc', state: 'running', attempts: -1 }] }],
      ['a reason without a code', { reason: { message: 'Too young' } }],
      ['a reason code in lower case', { reason: { code: 'underage', message: 'Too young' } }],
      ['a customer id that is not a UUID', { customerId: 'cust-1' }],
    ])('refuses an onboarding answer with %s', (_label, change) => {
      expect(check(OnboardingSchema, { ...onboarding, ...change })).toBe(false);
    });

    it('checks every item of a list against the referenced onboarding schema', () => {
      expect(
        check(OnboardingListSchema, {
          items: [onboarding, completedOnboarding],
          nextCursor: 'abc_123',
        }),
      ).toBe(true);
      expect(check(OnboardingListSchema, { items: [], nextCursor: null })).toBe(true);
      expect(
        check(OnboardingListSchema, {
          items: [{ ...onboarding, status: 'archived' }],
          nextCursor: null,
        }),
      ).toBe(false);
      expect(check(OnboardingListSchema, { items: [onboarding] })).toBe(false);
    });
  });

  describe('ConfirmMicroDepositsRequest', () => {
    it('accepts two amounts of 1 to 99 cents', () => {
      expect(check(ConfirmMicroDepositsRequestSchema, { amountsMinor: [32, 45] })).toBe(true);
      expect(check(ConfirmMicroDepositsRequestSchema, { amountsMinor: [1, 99] })).toBe(true);
    });

    it.each<[string, unknown]>([
      ['one amount', [32]],
      ['three amounts', [32, 45, 1]],
      ['zero cents', [0, 45]],
      ['a dollar', [100, 45]],
      ['fractional cents', [0.32, 0.45]],
      ['amounts as strings', ['32', '45']],
    ])('refuses %s', (_label, amountsMinor) => {
      expect(check(ConfirmMicroDepositsRequestSchema, { amountsMinor })).toBe(false);
    });
  });

  describe('ReviewDecisionRequest', () => {
    it('accepts an approval or a rejection with a reason', () => {
      expect(
        check(ReviewDecisionRequestSchema, {
          decision: 'approve',
          reason: 'Watch-list hit is a different person (DOB differs)',
        }),
      ).toBe(true);
      expect(
        check(ReviewDecisionRequestSchema, {
          decision: 'reject',
          reason: 'Confirmed match',
        }),
      ).toBe(true);
    });

    it('refuses a decision other than approve or reject, and a missing or blank reason', () => {
      expect(
        check(ReviewDecisionRequestSchema, {
          decision: 'escalate',
          reason: 'Unsure',
        }),
      ).toBe(false);
      expect(check(ReviewDecisionRequestSchema, { decision: 'approve' })).toBe(false);
      expect(
        check(ReviewDecisionRequestSchema, {
          decision: 'approve',
          reason: ' ',
        }),
      ).toBe(false);
    });
  });

  describe('CustomerOverview', () => {
    const overview = {
      customer: {
        customerId,
        legalName: 'Ada Lovelace',
        email: 'ada@example.com',
        phone: '+12125550123',
        address: {
          line1: '1 Main St',
          city: 'New York',
          state: 'NY',
          postalCode: '10001',
        },
        ssnLast4: '6789',
        customerSince: '2025-01-01T00:00:00.000Z',
      },
      accounts: [
        {
          accountId,
          accountNumberMasked: '\u2022\u2022\u20224821',
          productType: 'checking',
          currency: 'USD',
          status: 'active',
          openedAt: '2025-01-01T00:00:00.000Z',
          ledgerBalance: { amountMinor: 2500, currency: 'USD' },
          availableBalance: { amountMinor: 2500, currency: 'USD' },
          balanceAsOf: '2025-01-02T00:00:00.000Z',
          recentTransactions: [
            {
              transactionId: '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b',
              direction: 'credit',
              amount: { amountMinor: 2500, currency: 'USD' },
              description: 'Opening deposit',
              balanceAfter: { amountMinor: 2500, currency: 'USD' },
              postedAt: '2025-01-01T00:00:05.000Z',
            },
          ],
        },
      ],
      billingAccounts: [
        {
          billingAccountId,
          accountId,
          status: 'open',
          plan: {
            planCode: 'basic-checking',
            name: 'Basic Checking',
            monthlyFee: { amountMinor: 500, currency: 'USD' },
          },
          paymentMethod: {
            paymentMethodId: '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e',
            routingNumber: '011000015',
            accountNumberMasked: '\u2022\u2022\u20226789',
            accountType: 'checking',
            status: 'verified',
          },
        },
      ],
      unavailable: [],
      asOf: '2025-01-02T00:00:00.000Z',
    };

    it('accepts a complete overview, and one whose billing part could not be loaded', () => {
      expect(check(CustomerOverviewSchema, overview)).toBe(true);
      expect(
        check(CustomerOverviewSchema, {
          ...overview,
          billingAccounts: [],
          unavailable: ['billing'],
        }),
      ).toBe(true);
    });

    it('refuses a full bank account number in the payment method', () => {
      const [billing] = overview.billingAccounts;
      const leaky = {
        ...billing,
        paymentMethod: {
          ...billing.paymentMethod,
          accountNumberMasked: '000123456789',
        },
      };
      expect(
        check(CustomerOverviewSchema, {
          ...overview,
          billingAccounts: [leaky],
        }),
      ).toBe(false);
    });

    it('refuses an unknown or repeated unavailable section', () => {
      expect(
        check(CustomerOverviewSchema, {
          ...overview,
          unavailable: ['accounts'],
        }),
      ).toBe(false);
      expect(
        check(CustomerOverviewSchema, {
          ...overview,
          unavailable: ['billing', 'billing'],
        }),
      ).toBe(false);
    });

    it('checks every customer of a list against the referenced overview schema', () => {
      expect(
        check(CustomerListSchema, {
          items: [overview, { ...overview, unavailable: ['billing'] }],
          nextCursor: 'abc_123',
        }),
      ).toBe(true);
      expect(check(CustomerListSchema, { items: [], nextCursor: null })).toBe(true);
      expect(
        check(CustomerListSchema, {
          items: [{ ...overview, unavailable: ['accounts'] }],
          nextCursor: null,
        }),
      ).toBe(false);
      expect(check(CustomerListSchema, { items: [overview] })).toBe(false);
    });

    it('takes 1 to 20 customers a page and an opaque cursor, nothing else', () => {
      expect(check(ListCustomersQuerySchema, {})).toBe(true);
      expect(check(ListCustomersQuerySchema, { limit: 20, cursor: 'abc_123' })).toBe(true);
      expect(check(ListCustomersQuerySchema, { limit: 21 })).toBe(false);
      expect(check(ListCustomersQuerySchema, { limit: 0 })).toBe(false);
      expect(check(ListCustomersQuerySchema, { cursor: 'a/b' })).toBe(false);
      expect(check(ListCustomersQuerySchema, { owner: 'someone' })).toBe(false);
    });

    it('refuses a balance given in fractional cents', () => {
      const [account] = overview.accounts;
      const fractional = {
        ...account,
        ledgerBalance: { amountMinor: 25.5, currency: 'USD' },
      };
      expect(check(CustomerOverviewSchema, { ...overview, accounts: [fractional] })).toBe(false);
    });
  });
});
