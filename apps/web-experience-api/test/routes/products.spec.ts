import { ProductCatalogueViewSchema, type ProductCatalogueView } from '@bartholomew/contracts-web-experience';
import type { OnboardingCatalogue } from '@bartholomew/contracts-onboarding-process';
import { ONBOARDING_PRODUCTS } from '@bartholomew/onboarding-rules';
import { RefusingProcess } from '@bartholomew/experience-kit/testing';
import { startOnboardingStack, type OnboardingStack } from '@bartholomew/test-stack';
import { type TestApp, buildTestApp, expectProblem } from '../helper';

const usd = (amountMinor: number) => ({ amountMinor, currency: 'USD' });

/**
 * `GET /v1/products`: what an account application may ask for, from the REAL Process API (and below
 * it the real billing System API): the catalogue the Process API checks applications against, each
 * plan with the name, description and monthly fee billing states.
 */
describe('GET /v1/products', () => {
  let stack: OnboardingStack;
  let test: TestApp;
  beforeAll(async () => {
    stack = await startOnboardingStack();
    // Degraded mode right after a good read: no reads shared for a moment, or that read would still be fresh.
    test = await buildTestApp({ processUrl: stack.processUrl, env: { UNAVAILABLE_RETRY_AFTER_S: '7', READ_CACHE_MS: '0' } });
  });
  afterAll(async () => {
    await test?.close();
    await stack?.close();
  });

  it('lists every product with its plans — name, description, monthly fee — and opening-deposit bounds, as the application form names them', async () => {
    const res = await test.call({ url: '/v1/products', as: 'alice' });
    expect(res.statusCode).toBe(200);
    const catalogue: ProductCatalogueView = res.json();
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
          openingDeposit: { min: usd(1), max: usd(2_500_000) },
        },
        {
          productType: 'savings',
          plans: [
            { planCode: 'everyday-savings', name: 'Everyday Savings', description: 'Savings with a monthly maintenance fee.', monthlyFee: usd(500) },
          ],
          openingDeposit: { min: usd(1), max: usd(2_500_000) },
        },
      ],
    });
    expect(catalogue.products.map((product) => [product.productType, product.plans.map((plan) => plan.planCode)])).toEqual(
      Object.entries(ONBOARDING_PRODUCTS).map(([productType, { plans }]) => [productType, [...plans]]),
    );
  });

  it('answers what its documented example says', async () => {
    const [example] = ProductCatalogueViewSchema.examples as ProductCatalogueView[];
    const { products } = (await test.call({ url: '/v1/products', as: 'alice' })).json() as ProductCatalogueView;
    for (const product of example.products) expect(products).toContainEqual(product);
  });

  it('may be reused for an hour, then revalidated: 304 while unchanged', async () => {
    const res = await test.call({ url: '/v1/products', as: 'alice' });
    expect({ cacheControl: res.headers['cache-control'], etag: res.headers.etag, stale: res.headers['x-stale'] }).toEqual({
      cacheControl: 'private, max-age=3600',
      etag: expect.stringMatching(/^"[A-Za-z0-9_-]{27}"$/),
      stale: undefined,
    });
    const again = await test.call({ url: '/v1/products', headers: { 'if-none-match': String(res.headers.etag) }, as: 'bob' });
    expect({ status: again.statusCode, body: again.body }).toEqual({ status: 304, body: '' });
  });

  it('is for signed-in users only', async () => {
    expectProblem(await test.call({ url: '/v1/products', as: null }), 401, 'UNAUTHENTICATED');
  });

  it('is documented with its example, cache headers and 503, and the application form points to it', async () => {
    const document = (await test.app.inject({ url: '/openapi.json' })).json();
    const operation = document.paths['/v1/products'].get;
    expect(operation.responses['200']).toMatchObject({
      content: { 'application/json': { schema: { $ref: '#/components/schemas/ProductCatalogueView' } } },
      headers: { ETag: expect.any(Object), 'Cache-Control': expect.any(Object) },
    });
    expect(operation.responses['503'].headers).toHaveProperty('Retry-After');
    expect(document.components.schemas.ProductCatalogueView.examples).toEqual(ProductCatalogueViewSchema.examples);
    const form = document.components.schemas.AccountApplicationForm.properties;
    for (const field of ['product', 'openingDeposit']) expect(form[field].description).toContain('GET /v1/products');
  });

  describe('when the Process API is down', () => {
    beforeAll(async () => {
      expect((await test.call({ url: '/v1/products', as: 'carol' })).statusCode).toBe(200);
      await stack.stopProcess();
    });
    afterAll(async () => {
      await stack.startProcess();
    });

    it('serves the last good list, marked stale and not to be reused without revalidating', async () => {
      const res = await test.call({ url: '/v1/products', as: 'carol' });
      expect(res.statusCode).toBe(200);
      expect({ stale: res.headers['x-stale'], warning: res.headers.warning, cacheControl: res.headers['cache-control'] }).toEqual({
        stale: 'true',
        warning: '110 - "Response is Stale"',
        cacheControl: 'private, no-cache',
      });
      expect(res.json()).toMatchObject({ stale: true, products: [{ productType: 'checking' }, { productType: 'savings' }] });
    });

    it('answers a fast 503 with Retry-After to a user with no last good list', async () => {
      const res = await test.call({ url: '/v1/products', as: 'newcomer' });
      expectProblem(res, 503, 'SERVICE_UNAVAILABLE');
      expect(res.headers['retry-after']).toBe('7');
    });
  });
});

/** The Process API served the last fee plans it read from billing (billing was down): the browser is told so. */
describe('GET /v1/products with fee plans billing could not refresh', () => {
  const feePlansAsOf = new Date(Date.now() - 90_000).toISOString();
  const staleFeePlans: OnboardingCatalogue = {
    products: [
      {
        productType: 'savings',
        plans: [{ planCode: 'everyday-savings', name: 'Everyday Savings', description: 'Savings.', monthlyFee: usd(500) }],
        openingDeposit: { min: usd(1), max: usd(2_500_000) },
      },
    ],
    feePlansAsOf,
    stale: true,
  };
  let test: TestApp;
  beforeAll(async () => {
    test = await buildTestApp({
      processUrl: 'http://127.0.0.1:9',
      process: Object.assign(new RefusingProcess(), { listProducts: async () => staleFeePlans }),
    });
  });
  afterAll(() => test?.close());

  it('marks the list stale, with the age of the fee plans', async () => {
    const res = await test.call({ url: '/v1/products', as: 'alice' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      products: [
        {
          productType: 'savings',
          plans: [{ planCode: 'everyday-savings', name: 'Everyday Savings', description: 'Savings.', monthlyFee: usd(500) }],
          openingDeposit: { min: usd(1), max: usd(2_500_000) },
        },
      ],
      stale: true,
    });
    expect(res.headers['x-stale']).toBe('true');
    expect(Number(res.headers.age)).toBeGreaterThanOrEqual(90);
    expect(res.headers['cache-control']).toBe('private, no-cache');
  });
});
