import { ProductCatalogueViewSchema, type ProductCatalogueView } from '@bartholomew/contracts-web-experience';
import { ONBOARDING_PRODUCTS } from '@bartholomew/onboarding-rules';
import { type TestApp, buildTestApp, expectProblem } from '../helper';

/**
 * `GET /v1/products`: what an account application may ask for, from the one catalogue the Process
 * API checks applications against. Nothing listens at the Process API's URL here: no call is made.
 */
describe('GET /v1/products', () => {
  let test: TestApp;
  beforeAll(async () => {
    test = await buildTestApp({ processUrl: 'http://127.0.0.1:9' });
  });
  afterAll(() => test?.close());

  const usd = (amountMinor: number) => ({ amountMinor, currency: 'USD' });

  it('lists every product of the catalogue with its plans and opening-deposit bounds, as the application form names them', async () => {
    const res = await test.call({ url: '/v1/products', as: 'alice' });
    expect(res.statusCode).toBe(200);
    const catalogue: ProductCatalogueView = res.json();
    expect(catalogue).toEqual({
      products: [
        {
          productType: 'checking',
          plans: [{ planCode: 'basic-checking' }, { planCode: 'premium-checking' }],
          openingDeposit: { min: usd(1), max: usd(2_500_000) },
        },
        { productType: 'savings', plans: [{ planCode: 'everyday-savings' }], openingDeposit: { min: usd(1), max: usd(2_500_000) } },
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
    expect({ cacheControl: res.headers['cache-control'], etag: res.headers.etag }).toEqual({
      cacheControl: 'private, max-age=3600',
      etag: expect.stringMatching(/^"[A-Za-z0-9_-]{27}"$/),
    });
    const again = await test.call({ url: '/v1/products', headers: { 'if-none-match': String(res.headers.etag) }, as: 'bob' });
    expect({ status: again.statusCode, body: again.body }).toEqual({ status: 304, body: '' });
  });

  it('is for signed-in users only', async () => {
    expectProblem(await test.call({ url: '/v1/products', as: null }), 401, 'UNAUTHENTICATED');
  });

  it('is documented with its example and cache headers, and the application form points to it', async () => {
    const document = (await test.app.inject({ url: '/openapi.json' })).json();
    expect(document.paths['/v1/products'].get.responses['200']).toMatchObject({
      content: { 'application/json': { schema: { $ref: '#/components/schemas/ProductCatalogueView' } } },
      headers: { ETag: expect.any(Object), 'Cache-Control': expect.any(Object) },
    });
    expect(document.components.schemas.ProductCatalogueView.examples).toEqual(ProductCatalogueViewSchema.examples);
    const form = document.components.schemas.AccountApplicationForm.properties;
    for (const field of ['product', 'openingDeposit']) expect(form[field].description).toContain('GET /v1/products');
  });
});
