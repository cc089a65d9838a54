import { ProductCatalogueSchema, type ProductCatalogue } from '@bartholomew/contracts-mobile-experience';
import { ONBOARDING_PRODUCTS } from '@bartholomew/onboarding-rules';
import { type TestApp, buildTestApp, expectProblem } from '../helper';

/**
 * `GET /v1/products`: what the forms may offer, from the one catalogue the Process API checks
 * applications against. Nothing listens at the Process API's URL here: the catalogue needs no call.
 */
describe('GET /v1/products', () => {
  let test: TestApp;
  beforeAll(async () => {
    test = await buildTestApp({ processUrl: 'http://127.0.0.1:9' });
  });
  afterAll(() => test?.close());

  it('lists every product of the catalogue with its plans and opening-deposit bounds, as the form fields name them', async () => {
    const res = await test.call({ url: '/v1/products', as: 'alice' });
    expect(res.statusCode).toBe(200);
    const catalogue: ProductCatalogue = res.json();
    expect(catalogue).toEqual({
      products: [
        { account: 'checking', plans: [{ plan: 'basic-checking' }, { plan: 'premium-checking' }], initialDepositCents: { min: 1, max: 2_500_000 } },
        { account: 'savings', plans: [{ plan: 'everyday-savings' }], initialDepositCents: { min: 1, max: 2_500_000 } },
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
    expect({ cacheControl: res.headers['cache-control'], etag: res.headers.etag, vary: res.headers.vary }).toEqual({
      cacheControl: 'private, max-age=3600',
      etag: expect.stringMatching(/^"[A-Za-z0-9_-]{27}"$/),
      vary: expect.stringMatching(/authorization/),
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

  it('is documented with its example, cache headers and If-None-Match, and the forms point to it', async () => {
    const document = (await test.app.inject({ url: '/openapi.json' })).json();
    const operation = document.paths['/v1/products'].get;
    expect(operation.responses['200']).toMatchObject({
      content: { 'application/json': { schema: { $ref: '#/components/schemas/ProductCatalogue' } } },
      headers: { ETag: expect.any(Object), 'Cache-Control': expect.any(Object) },
    });
    expect(operation.parameters).toContainEqual(expect.objectContaining({ in: 'header', name: 'if-none-match' }));
    expect(document.components.schemas.ProductCatalogue.examples).toEqual(ProductCatalogueSchema.examples);
    const form = document.components.schemas.OnboardingForm.properties;
    for (const field of ['account', 'plan', 'initialDepositCents']) expect(form[field].description).toContain('GET /v1/products');
  });
});
