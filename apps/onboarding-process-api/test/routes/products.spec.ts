import { OnboardingCatalogueSchema, type OnboardingCatalogue } from '@bartholomew/contracts-onboarding-process';
import { buildTestApp, expectProblem, withdrawPlanFromBilling, type TestApp } from '../helper';
import { startSystemApis, type SystemApis } from '../support/system-apis';

const usd = (amountMinor: number) => ({ amountMinor, currency: 'USD' });
const depositBounds = { min: usd(1), max: usd(2_500_000) };

/**
 * `GET /v1/products` against the REAL billing System API over HTTP (its own Postgres database):
 * the onboarding catalogue with each plan as billing names and charges it, read from billing at
 * most every few minutes, the last plans read served stale while billing is down.
 */
describe('GET /v1/products', () => {
  let systems: SystemApis;
  /** Fee plans are read from billing on every request here, so each test sees billing as it is now. */
  let test: TestApp;
  beforeAll(async () => {
    systems = await startSystemApis();
    test = await buildTestApp(systems, { overrides: { feePlansFreshForMs: 0 } });
  }, 60_000);
  afterAll(async () => {
    await test?.close();
    await systems?.close();
  });

  const setFee = (planCode: string, amountMinor: number) =>
    systems.billing.query('UPDATE fee_plans SET monthly_fee_minor = $2 WHERE plan_code = $1', [planCode, amountMinor]);

  it('lists every product with each plan’s name, description and monthly fee as billing states them, and the deposit bounds', async () => {
    const res = await test.call({ url: '/v1/products' });
    expect(res.statusCode).toBe(200);
    const catalogue: OnboardingCatalogue = res.json();
    expect(catalogue).toEqual({
      products: [
        {
          productType: 'checking',
          plans: [
            { planCode: 'basic-checking', name: 'Basic Checking', description: 'Everyday checking with no monthly fee.', monthlyFee: usd(0) },
            {
              planCode: 'premium-checking',
              name: 'Premium Checking',
              description: 'Checking with ATM fee refunds and priority support.',
              monthlyFee: usd(1500),
            },
          ],
          openingDeposit: depositBounds,
        },
        {
          productType: 'savings',
          plans: [
            { planCode: 'everyday-savings', name: 'Everyday Savings', description: 'Savings with a monthly maintenance fee.', monthlyFee: usd(500) },
          ],
          openingDeposit: depositBounds,
        },
      ],
      feePlansAsOf: expect.any(String),
      stale: false,
    });
    expect(Date.now() - Date.parse(catalogue.feePlansAsOf)).toBeLessThan(10_000);
  });

  it('answers a fee billing changed: billing is the system of record', async () => {
    await setFee('premium-checking', 1750);
    try {
      const { products } = (await test.call({ url: '/v1/products' })).json() as OnboardingCatalogue;
      expect(products[0].plans.find((plan) => plan.planCode === 'premium-checking')?.monthlyFee).toEqual(usd(1750));
    } finally {
      await setFee('premium-checking', 1500);
    }
  });

  it('leaves out a plan billing does not know, with a warning in the log — never a 500', async () => {
    const withdrawn = await withdrawPlanFromBilling(systems, 'premium-checking');
    try {
      test.logs.clear();
      const res = await test.call({ url: '/v1/products' });
      expect(res.statusCode).toBe(200);
      const { products } = res.json() as OnboardingCatalogue;
      expect(products.map((product) => [product.productType, product.plans.map((plan) => plan.planCode)])).toEqual([
        ['checking', ['basic-checking']],
        ['savings', ['everyday-savings']],
      ]);
      expect(test.logs.records()).toContainEqual(expect.objectContaining({ level: 40, planCode: withdrawn, productType: 'checking' }));
    } finally {
      await systems.billing.query("UPDATE fee_plans SET plan_code = $1 WHERE plan_code = $1 || '-withdrawn'", [withdrawn]);
    }
  });

  it('serves the last fee plans read, marked stale, while billing is down — and fresh ones once it is back', async () => {
    const before = (await test.call({ url: '/v1/products' })).json() as OnboardingCatalogue;
    await systems.billing.stop();
    try {
      const res = await test.call({ url: '/v1/products' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ ...before, stale: true });
    } finally {
      await systems.billing.start();
    }
    // The breaker may still be open for a moment: billing is asked again within its reset time.
    let after: OnboardingCatalogue | undefined;
    for (let attempt = 0; attempt < 40 && !(after && !after.stale); attempt++) {
      after = (await test.call({ url: '/v1/products' })).json() as OnboardingCatalogue;
      if (after.stale) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(after).toEqual({ ...before, feePlansAsOf: expect.any(String), stale: false });
    expect(Date.parse(String(after?.feePlansAsOf))).toBeGreaterThan(Date.parse(before.feePlansAsOf));
  });

  it('answers 503 problem+json with Retry-After when billing is down and no fee plans were ever read', async () => {
    const fresh = await buildTestApp(undefined);
    try {
      const res = await fresh.call({ url: '/v1/products' });
      expectProblem(res, 503, 'DOWNSTREAM_UNAVAILABLE');
      expect(res.headers['retry-after']).toMatch(/^[1-9]\d*$/);
      expect(res.json().detail).not.toMatch(/127\.0\.0\.1|ECONNREFUSED/);
    } finally {
      await fresh.close();
    }
  });

  it('reuses the fee plans it read for a few minutes instead of asking billing on every request', async () => {
    const cached = await buildTestApp(systems);
    try {
      const first = (await cached.call({ url: '/v1/products' })).json() as OnboardingCatalogue;
      await setFee('basic-checking', 99);
      const second = (await cached.call({ url: '/v1/products' })).json() as OnboardingCatalogue;
      expect(second).toEqual(first);
      expect(second.products[0].plans[0].monthlyFee).toEqual(usd(0));
    } finally {
      await setFee('basic-checking', 0);
      await cached.close();
    }
  });

  it('is documented with its schema, example and 503', async () => {
    const document = (await test.app.inject({ url: '/openapi.json' })).json();
    const operation = document.paths['/v1/products'].get;
    expect(operation.operationId).toBe('listProducts');
    expect(operation.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/OnboardingCatalogue' });
    expect(operation.responses['503'].headers).toHaveProperty('Retry-After');
    expect(document.components.schemas.OnboardingCatalogue.examples).toEqual(OnboardingCatalogueSchema.examples);
  });
});
