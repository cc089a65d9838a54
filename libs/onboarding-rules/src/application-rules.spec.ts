import { checkApplication, type OnboardingApplication } from './application-rules';
import type { CalendarDate } from './calendar-date';

const TODAY: CalendarDate = { year: 2026, month: 6, day: 15 };

function application(change: (a: OnboardingApplication) => void = () => undefined): OnboardingApplication {
  const valid: OnboardingApplication = {
    applicant: {
      legalName: 'Ada Lovelace',
      dateOfBirth: '1990-04-01',
      ssn: '234-56-7890',
      address: { line1: '1 Main St', city: 'New York', state: 'NY' },
    },
    product: { productType: 'checking', planCode: 'basic-checking' },
    fundingAccount: { routingNumber: '011000015' },
    openingDeposit: { amountMinor: 2500 },
  };
  change(valid);
  return valid;
}

describe('checkApplication', () => {
  it('finds nothing wrong with a valid application', () => {
    expect(checkApplication(application(), TODAY)).toEqual([]);
  });

  it.each<[string, (a: OnboardingApplication) => void, string, string]>([
    ['a never-issued SSN', (a) => void (a.applicant.ssn = '666-12-3456'), '/applicant/ssn', 'SSN_NEVER_ISSUED'],
    ['a voided SSN', (a) => void (a.applicant.ssn = '078-05-1120'), '/applicant/ssn', 'SSN_VOIDED'],
    [
      'a routing number with a wrong check digit',
      (a) => void (a.fundingAccount.routingNumber = '011000016'),
      '/fundingAccount/routingNumber',
      'ROUTING_NUMBER_CHECK_DIGIT',
    ],
    [
      'the all-zero routing number',
      (a) => void (a.fundingAccount.routingNumber = '000000000'),
      '/fundingAccount/routingNumber',
      'ROUTING_NUMBER_UNASSIGNED_PREFIX',
    ],
    ['an unknown plan', (a) => void (a.product.planCode = 'platinum-legacy'), '/product/planCode', 'UNKNOWN_PLAN'],
    ['a savings plan on a checking account', (a) => void (a.product.planCode = 'everyday-savings'), '/product/planCode', 'PLAN_NOT_FOR_PRODUCT'],
    ['an unknown product', (a) => void (a.product.productType = 'brokerage'), '/product/productType', 'UNKNOWN_PRODUCT'],
    ['a deposit over the limit', (a) => void (a.openingDeposit = { amountMinor: 2_500_001 }), '/openingDeposit/amountMinor', 'DEPOSIT_OUT_OF_RANGE'],
    ['a NUL byte in the name', (a) => void (a.applicant.legalName = 'Ada\u0000Lovelace'), '/applicant/legalName', 'TEXT_NOT_PRINTABLE'],
    ['a lone surrogate in an address line', (a) => void (a.applicant.address.line2 = 'Apt \ud800'), '/applicant/address/line2', 'TEXT_NOT_PRINTABLE'],
    ['a line break in the city', (a) => void (a.applicant.address.city = 'New\nYork'), '/applicant/address/city', 'TEXT_NOT_PRINTABLE'],
    ['a date of birth in year 0', (a) => void (a.applicant.dateOfBirth = '0000-01-01'), '/applicant/dateOfBirth', 'DATE_OF_BIRTH_INVALID'],
    ['a date of birth in 1899', (a) => void (a.applicant.dateOfBirth = '1899-12-31'), '/applicant/dateOfBirth', 'DATE_OF_BIRTH_INVALID'],
    ['a date of birth tomorrow', (a) => void (a.applicant.dateOfBirth = '2026-06-16'), '/applicant/dateOfBirth', 'DATE_OF_BIRTH_INVALID'],
    ['a date of birth that does not exist', (a) => void (a.applicant.dateOfBirth = '1990-02-30'), '/applicant/dateOfBirth', 'DATE_OF_BIRTH_INVALID'],
    ['a 17-year-old in New York', (a) => void (a.applicant.dateOfBirth = '2008-06-16'), '/applicant/dateOfBirth', 'UNDERAGE'],
    [
      'an 18-year-old in Alabama',
      (a) => void Object.assign(a.applicant, { dateOfBirth: '2008-01-01', address: { ...a.applicant.address, state: 'AL' } }),
      '/applicant/dateOfBirth',
      'UNDERAGE',
    ],
    [
      'an 18-year-old in Nebraska',
      (a) => void Object.assign(a.applicant, { dateOfBirth: '2008-01-01', address: { ...a.applicant.address, state: 'NE' } }),
      '/applicant/dateOfBirth',
      'UNDERAGE',
    ],
    [
      'a 20-year-old in Mississippi',
      (a) => void Object.assign(a.applicant, { dateOfBirth: '2006-01-01', address: { ...a.applicant.address, state: 'MS' } }),
      '/applicant/dateOfBirth',
      'UNDERAGE',
    ],
  ])('refuses %s, naming the field', (_label, change, pointer, code) => {
    expect(checkApplication(application(change), TODAY)).toEqual([{ pointer, code, detail: expect.any(String) }]);
  });

  it('accepts the first day of 1900, an 18th birthday today in New York, a 19th in Alabama and a 21st in Mississippi', () => {
    const at = (dateOfBirth: string, state: string) =>
      checkApplication(
        application((a) => Object.assign(a.applicant, { dateOfBirth, address: { ...a.applicant.address, state } })),
        TODAY,
      );
    expect(at('1900-01-01', 'NY')).toEqual([]);
    expect(at('2008-06-15', 'NY')).toEqual([]);
    expect(at('2007-06-15', 'AL')).toEqual([]);
    expect(at('2005-06-15', 'MS')).toEqual([]);
  });

  it('accepts a savings plan on a savings account, the largest deposit allowed and no deposit at all', () => {
    expect(
      checkApplication(
        application((a) => (a.product = { productType: 'savings', planCode: 'everyday-savings' })),
        TODAY,
      ),
    ).toEqual([]);
    expect(
      checkApplication(
        application((a) => (a.openingDeposit = { amountMinor: 2_500_000 })),
        TODAY,
      ),
    ).toEqual([]);
    expect(
      checkApplication(
        application((a) => delete a.openingDeposit),
        TODAY,
      ),
    ).toEqual([]);
  });

  it('reports every broken field at once, and never the SSN or routing number in a detail', () => {
    const errors = checkApplication(
      application((a) => {
        a.applicant.ssn = '219-09-9999';
        a.fundingAccount.routingNumber = '011000016';
        a.product.planCode = 'platinum-legacy';
      }),
      TODAY,
    );
    expect(errors.map((e) => e.pointer).sort()).toEqual(['/applicant/ssn', '/fundingAccount/routingNumber', '/product/planCode']);
    expect(JSON.stringify(errors)).not.toMatch(/219|9999|011000016/);
  });
});
