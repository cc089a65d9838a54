import pg from 'pg';
import type { StartOnboardingRequest } from '@bartholomew/contracts-onboarding-process';
import { application, buildTestApp, expectProblem, newKey, type TestApp } from '../helper';

type Change = (body: StartOnboardingRequest) => void;

/**
 * Every rule that needs no vendor is checked when the application arrives: 422 with a JSON
 * Pointer per broken field, and nothing stored, queued or sent downstream — not a 202 followed by
 * a refusal after KYC, ACH verification and account opening.
 */
describe('application rules checked on arrival', () => {
  let test: TestApp;
  let sql: pg.Pool;
  beforeAll(async () => {
    test = await buildTestApp(undefined, { env: { WORKFLOW_WORKER_ENABLED: 'false' } });
    sql = new pg.Pool({ connectionString: test.database.url, max: 2 });
    sql.on('error', () => undefined);
  });
  afterAll(async () => {
    await sql.end();
    await test.close();
  });

  const post = (body: unknown) =>
    test.call({ method: 'POST', url: '/v1/onboardings', payload: body as object, headers: { 'idempotency-key': newKey() } });
  const count = async () => Number((await sql.query('SELECT count(*) FROM onboardings')).rows[0].count);
  const changed = (change: Change) => {
    const body = application();
    change(body);
    return body;
  };
  const yearsAgo = (years: number) => `${new Date().getUTCFullYear() - years}-01-01`;

  it.each<[string, Change, string, string]>([
    ['a never-issued SSN area', (b) => void (b.applicant.ssn = '900-12-3456'), '/applicant/ssn', 'SSN_NEVER_ISSUED'],
    ['group 00', (b) => void (b.applicant.ssn = '234-00-5678'), '/applicant/ssn', 'SSN_NEVER_ISSUED'],
    ['the voided 078-05-1120', (b) => void (b.applicant.ssn = '078-05-1120'), '/applicant/ssn', 'SSN_VOIDED'],
    ['the voided 219-09-9999', (b) => void (b.applicant.ssn = '219099999'), '/applicant/ssn', 'SSN_VOIDED'],
    ['the specimen 123-45-6789', (b) => void (b.applicant.ssn = '123-45-6789'), '/applicant/ssn', 'SSN_VOIDED'],
    [
      'a wrong ABA check digit',
      (b) => void (b.fundingAccount.routingNumber = '011000016'),
      '/fundingAccount/routingNumber',
      'ROUTING_NUMBER_CHECK_DIGIT',
    ],
    [
      'the all-zero routing number',
      (b) => void (b.fundingAccount.routingNumber = '000000000'),
      '/fundingAccount/routingNumber',
      'ROUTING_NUMBER_UNASSIGNED_PREFIX',
    ],
    [
      'an unassigned routing symbol',
      (b) => void (b.fundingAccount.routingNumber = '131000018'),
      '/fundingAccount/routingNumber',
      'ROUTING_NUMBER_UNASSIGNED_PREFIX',
    ],
    ['an unknown plan', (b) => void (b.product.planCode = 'platinum-legacy'), '/product/planCode', 'UNKNOWN_PLAN'],
    ['a savings plan on a checking account', (b) => void (b.product.planCode = 'everyday-savings'), '/product/planCode', 'PLAN_NOT_FOR_PRODUCT'],
    [
      'a deposit over the limit',
      (b) => void (b.openingDeposit = { amountMinor: 2_500_001, currency: 'USD' }),
      '/openingDeposit/amountMinor',
      'DEPOSIT_OUT_OF_RANGE',
    ],
    ['a NUL byte in the name', (b) => void (b.applicant.legalName = 'Ada\u0000Lovelace'), '/applicant/legalName', 'TEXT_NOT_PRINTABLE'],
    [
      'a lone surrogate in an address line',
      (b) => void (b.applicant.address.line1 = '1 Main St \udc00'),
      '/applicant/address/line1',
      'TEXT_NOT_PRINTABLE',
    ],
    ['an escape sequence in the city', (b) => void (b.applicant.address.city = '\u001b[2JNew York'), '/applicant/address/city', 'TEXT_NOT_PRINTABLE'],
    ['a date of birth in year 0', (b) => void (b.applicant.dateOfBirth = '0000-01-01'), '/applicant/dateOfBirth', 'DATE_OF_BIRTH_INVALID'],
    ['a date of birth in 1899', (b) => void (b.applicant.dateOfBirth = '1899-12-31'), '/applicant/dateOfBirth', 'DATE_OF_BIRTH_INVALID'],
    [
      'a date of birth next year',
      (b) => void (b.applicant.dateOfBirth = `${new Date().getUTCFullYear() + 1}-01-01`),
      '/applicant/dateOfBirth',
      'DATE_OF_BIRTH_INVALID',
    ],
    ['a 17-year-old in New York', (b) => void (b.applicant.dateOfBirth = yearsAgo(17)), '/applicant/dateOfBirth', 'UNDERAGE'],
    [
      'an 18-year-old in Alabama',
      (b) => void Object.assign(b.applicant, { dateOfBirth: yearsAgo(18), address: { ...b.applicant.address, state: 'AL' } }),
      '/applicant/dateOfBirth',
      'UNDERAGE',
    ],
    [
      'a 20-year-old in Mississippi',
      (b) => void Object.assign(b.applicant, { dateOfBirth: yearsAgo(20), address: { ...b.applicant.address, state: 'MS' } }),
      '/applicant/dateOfBirth',
      'UNDERAGE',
    ],
  ])('refuses %s with 422 naming the field, and stores nothing', async (_label, change, pointer, code) => {
    const before = await count();
    const res = await post(changed(change));
    expectProblem(res, 422, 'APPLICATION_FIELDS_INVALID');
    expect(res.json().errors).toEqual([{ pointer, code, detail: expect.any(String), path: `body${pointer}`, message: expect.any(String) }]);
    expect(await count()).toBe(before);
  });

  it('names every broken field in one answer and never echoes the SSN or routing number', async () => {
    const res = await post(
      changed((b) => {
        b.applicant.ssn = '666-12-3456';
        b.fundingAccount.routingNumber = '011000016';
        b.product.planCode = 'platinum-legacy';
      }),
    );
    expectProblem(res, 422, 'APPLICATION_FIELDS_INVALID');
    expect(
      res
        .json()
        .errors.map((error: { pointer: string }) => error.pointer)
        .sort(),
    ).toEqual(['/applicant/ssn', '/fundingAccount/routingNumber', '/product/planCode']);
    expect(res.body).not.toMatch(/666-?12-?3456|011000016/);
  });

  it('accepts a savings plan on a savings account, an 18-year-old in New York and a 21-year-old in Mississippi', async () => {
    expect((await post(application({ productType: 'savings', planCode: 'everyday-savings' }))).statusCode).toBe(202);
    expect((await post(changed((b) => void (b.applicant.dateOfBirth = yearsAgo(18))))).statusCode).toBe(202);
    const mississippi = changed((b) => Object.assign(b.applicant, { dateOfBirth: yearsAgo(21), address: { ...b.applicant.address, state: 'MS' } }));
    expect((await post(mississippi)).statusCode).toBe(202);
  });
});
