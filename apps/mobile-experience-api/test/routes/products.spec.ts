import { ProductCatalogueSchema, type ProductCatalogue } from '@bartholomew/contracts-mobile-experience';
import type { OnboardingCatalogue } from '@bartholomew/contracts-onboarding-process';
import { ONBOARDING_PRODUCTS } from '@bartholomew/onboarding-rules';
import { RefusingProcess } from '@bartholomew/experience-kit/testing';
import { startOnboardingStack, type OnboardingStack } from '@bartholomew/test-stack';
import { type TestApp, buildTestApp, expectProblem } from '../helper';

/**
 * `GET /v1/products`: what the forms may offer, from the REAL Process API (and below it the real
 * billing System API): the catalogue the Process API checks applications against, each plan with
 * the name, description and monthly fee billing states.
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

  it('lists every product with its plans — name, description, monthly fee in cents — and opening-deposit bounds, as the form fields name them', async () => {
    const res = await test.call({ url: '/v1/products', as: 'alice' });
    expect(res.statusCode).toBe(200);
    const catalogue: ProductCatalogue = res.json();
    expect(catalogue).toEqual({
      products: [
        {
          account: 'checking',
          plans: [
            {
              plan: 'basic-checking',
              name: 'Basic Checking',
              description: 'Everyday checking with no monthly fee.',
              monthlyFeeCents: 0,
              currency: 'USD',
            },
            {
              plan: 'premium-checking',
              name: 'Premium Checking',
              description: 'Checking with ATM fee refunds and priority support.',
              monthlyFeeCents: 1500,
              currency: 'USD',
            },
          ],
          initialDepositCents: { min: 1, max: 2_500_000 },
        },
        {
          account: 'savings',
          plans: [
            {
              plan: 'everyday-savings',
              name: 'Everyday Savings',
              description: 'Savings with a monthly maintenance fee.',
              monthlyFeeCents: 500,
              currency: 'USD',
            },
          ],
          initialDepositCents: { min: 1, max: 2_500_000 },
        },
      ],
    });
    // Whatever the catalogue holds, the answer holds: no second list.
    expect(catalogue.products.map((product) => [product.account, product.plans.map((plan) => plan.plan)])).toEqual(
      Object.entries(ONBOARDING_PRODUCTS).map(([account, { plans }]) => [account, [...plans]]),
    );
  });

  it('answers what its documented example says', async () => {
    const [example] = ProductCatalogueSchema.examples as ProductCatalogue[];
    const { products } = (await test.call({ url: '/v1/products', as: 'alice' })).json() as ProductCatalogue;
    for (const product of example.products) expect(products).toContainEqual(product);
  });

  it('may be reused for an hour, then revalidated: 304 while unchanged', async () => {
    const res = await test.call({ url: '/v1/products', as: 'alice' });
    expect({ cacheControl: res.headers['cache-control'], etag: res.headers.etag, vary: res.headers.vary, stale: res.headers['x-stale'] }).toEqual({
      cacheControl: 'private, max-age=3600',
      etag: expect.stringMatching(/^"[A-Za-z0-9_-]{27}"$/),
      vary: expect.stringMatching(/authorization/),
      stale: undefined,
    });
    // Another customer holds the same copy: the catalogue is the same for everyone.
    const again = await test.call({ url: '/v1/products', headers: { 'if-none-match': String(res.headers.etag) }, as: 'bob' });
    expect({ status: again.statusCode, body: again.body, cacheControl: again.headers['cache-control'] }).toEqual({
      status: 304,
      body: '',
      cacheControl: 'private, max-age=3600',
    });
  });

  it('is for signed-in users only', async () => {
    expectProblem(await test.call({ url: '/v1/products', as: null }), 401, 'UNAUTHENTICATED');
  });

  it('is documented with its example, cache headers, If-None-Match and 503, and the forms point to it', async () => {
    const document = (await test.app.inject({ url: '/openapi.json' })).json();
    const operation = document.paths['/v1/products'].get;
    expect(operation.responses['200']).toMatchObject({
      content: { 'application/json': { schema: { $ref: '#/components/schemas/ProductCatalogue' } } },
      headers: { ETag: expect.any(Object), 'Cache-Control': expect.any(Object) },
    });
    expect(operation.responses['503'].headers).toHaveProperty('Retry-After');
    expect(operation.parameters).toContainEqual(expect.objectContaining({ in: 'header', name: 'if-none-match' }));
    expect(document.components.schemas.ProductCatalogue.examples).toEqual(ProductCatalogueSchema.examples);
    const form = document.components.schemas.OnboardingForm.properties;
    for (const field of ['account', 'plan', 'initialDepositCents']) expect(form[field].description).toContain('GET /v1/products');
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
      expect(res.json()).toMatchObject({ stale: true, products: [{ account: 'checking' }, { account: 'savings' }] });
    });

    it('answers a fast 503 with Retry-After to a user with no last good list', async () => {
      const res = await test.call({ url: '/v1/products', as: 'newcomer' });
      expectProblem(res, 503, 'SERVICE_UNAVAILABLE');
      expect(res.headers['retry-after']).toBe('7');
    });
  });
});

/** The Process API served the last fee plans it read from billing (billing was down): the app is told so. */
describe('GET /v1/products with fee plans billing could not refresh', () => {
  const feePlansAsOf = new Date(Date.now() - 90_000).toISOString();
  const staleFeePlans: OnboardingCatalogue = {
    products: [
      {
        productType: 'savings',
        plans: [
          { planCode: 'everyday-savings', name: 'Everyday Savings', description: 'Savings.', monthlyFee: { amountMinor: 500, currency: 'USD' } },
        ],
        openingDeposit: { min: { amountMinor: 1, currency: 'USD' }, max: { amountMinor: 2_500_000, currency: 'USD' } },
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
          account: 'savings',
          plans: [{ plan: 'everyday-savings', name: 'Everyday Savings', description: 'Savings.', monthlyFeeCents: 500, currency: 'USD' }],
          initialDepositCents: { min: 1, max: 2_500_000 },
        },
      ],
      stale: true,
    });
    expect(res.headers['x-stale']).toBe('true');
    expect(Number(res.headers.age)).toBeGreaterThanOrEqual(90);
    expect(res.headers['cache-control']).toBe('private, no-cache');
  });
});
