import { buildTestApp, expectProblem, type TestApp } from '../helper';

describe('fee plan routes', () => {
  let test: TestApp;
  beforeAll(async () => {
    test = await buildTestApp();
  });
  afterAll(() => test.close());

  it('lists the seeded catalogue, cheapest first, with fees in integer minor units', async () => {
    const res = await test.call({ url: '/v1/fee-plans' });
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toEqual([
      expect.objectContaining({ planCode: 'basic-checking', monthlyFee: { amountMinor: 0, currency: 'USD' } }),
      expect.objectContaining({ planCode: 'everyday-savings', monthlyFee: { amountMinor: 500, currency: 'USD' } }),
      expect.objectContaining({ planCode: 'premium-checking', monthlyFee: { amountMinor: 1500, currency: 'USD' } }),
    ]);
  });

  it('reads one plan by its code', async () => {
    const res = await test.call({ url: '/v1/fee-plans/premium-checking' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      planCode: 'premium-checking',
      name: 'Premium Checking',
      description: expect.any(String),
      monthlyFee: { amountMinor: 1500, currency: 'USD' },
    });
  });

  it('answers 404 FEE_PLAN_NOT_FOUND for a plan the catalogue does not have', async () => {
    const res = await test.call({ url: '/v1/fee-plans/platinum-checking' });
    expectProblem(res, 404, 'FEE_PLAN_NOT_FOUND');
    expect(res.json().detail).toContain('platinum-checking');
  });

  it('refuses a plan code that is not lower-case words and dashes with 400', async () => {
    expectProblem(await test.call({ url: '/v1/fee-plans/Premium_Checking' }), 400, 'VALIDATION_FAILED');
  });
});
