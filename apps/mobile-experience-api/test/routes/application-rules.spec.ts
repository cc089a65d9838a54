import { startOnboardingStack, type OnboardingStack } from '@bartholomew/test-stack';
import { newKey } from '@bartholomew/test-stack';
import { type TestApp, buildTestApp, signUpForm } from '../helper';

/**
 * The Process API's rules that need no vendor, seen from the phone: a 422 at once, each error
 * pointing at the field of the sign-up form the applicant filled in — never a 202 followed by a
 * refusal seconds later.
 */
describe('sign-up form fields refused on arrival, over the real Process API', () => {
  let stack: OnboardingStack;
  let test: TestApp;

  beforeAll(async () => {
    stack = await startOnboardingStack();
    test = await buildTestApp({ processUrl: stack.processUrl });
  });
  afterAll(async () => {
    await test?.close();
    await stack?.close();
  });

  const submit = (payload: object) =>
    test.call({ method: 'POST', url: '/v1/onboardings', payload, headers: { 'idempotency-key': newKey() }, as: 'ada' });

  it.each<[string, object, string, string]>([
    ['a never-issued SSN', signUpForm({ ssn: '666-12-3456' }), '/ssn', 'SSN_NEVER_ISSUED'],
    ['the voided Woolworth wallet SSN', signUpForm({ ssn: '078-05-1120' }), '/ssn', 'SSN_VOIDED'],
    ['a routing number with a wrong check digit', signUpForm({ routingNumber: '011000016' }), '/bank/routingNumber', 'ROUTING_NUMBER_CHECK_DIGIT'],
    ['the all-zero routing number', signUpForm({ routingNumber: '000000000' }), '/bank/routingNumber', 'ROUTING_NUMBER_UNASSIGNED_PREFIX'],
    ['an unknown plan', signUpForm({ plan: 'platinum-legacy' }), '/plan', 'UNKNOWN_PLAN'],
    ['a deposit over the limit', signUpForm({ deposit: 2_500_001 }), '/initialDepositCents', 'DEPOSIT_OUT_OF_RANGE'],
    ['a NUL byte in the last name', { ...signUpForm(), lastName: 'Love\u0000lace' }, '/lastName', 'TEXT_NOT_PRINTABLE'],
    [
      'a lone surrogate in the street',
      { ...signUpForm(), address: { ...signUpForm().address, street: '1 Main St \ud800' } },
      '/address/street',
      'TEXT_NOT_PRINTABLE',
    ],
    ['a date of birth in year 0', { ...signUpForm(), dateOfBirth: '0000-01-01' }, '/dateOfBirth', 'DATE_OF_BIRTH_INVALID'],
    [
      'a 20-year-old in Mississippi',
      { ...signUpForm(), dateOfBirth: twentyYearsAgo(), address: { ...signUpForm().address, state: 'MS' } },
      '/dateOfBirth',
      'UNDERAGE',
    ],
  ])('answers %s with 422 pointing at the form field', async (_label, form, pointer, code) => {
    const res = await submit(form);
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ code: 'APPLICATION_FIELDS_INVALID', errors: [{ pointer, code, detail: expect.any(String) }] });
    expect(res.json().errors).toHaveLength(1);
  });

  it('names every broken field at once and never echoes the SSN or routing number', async () => {
    const res = await submit(signUpForm({ ssn: '219-09-9999', routingNumber: '011000016', plan: 'everyday-savings' }));
    expect(res.statusCode).toBe(422);
    expect(
      res
        .json()
        .errors.map((error: { pointer: string }) => error.pointer)
        .sort(),
    ).toEqual(['/bank/routingNumber', '/plan', '/ssn']);
    expect(res.body).not.toMatch(/219-09-9999|219099999|011000016/);
  });

  it('still accepts a valid form', async () => {
    const res = await submit(signUpForm());
    expect(res.statusCode).toBe(202);
  });
});

function twentyYearsAgo(): string {
  const now = new Date();
  return `${now.getUTCFullYear() - 20}-01-01`;
}
