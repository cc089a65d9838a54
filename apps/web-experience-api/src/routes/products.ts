import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { NoQuerySchema, NotModifiedSchema, ProductCatalogueViewSchema } from '@bartholomew/contracts-web-experience';
import { ref } from '@bartholomew/contracts-onboarding-process';
import { ProblemSchema, commonProblemResponses } from '@bartholomew/contracts-shared';
import { CATALOGUE_CACHE_CONTROL } from '@bartholomew/experience-kit';
import { productCatalogueView } from '../views/product-catalogue-view';

/** What an account application may ask for. Answered from the shared catalogue: no call to the Process API. */
export const productRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // The catalogue changes only with a deployment: shaped once.
  const catalogue = productCatalogueView();
  app.get(
    '/v1/products',
    {
      schema: {
        operationId: 'listProducts',
        querystring: NoQuerySchema,
        summary:
          'The accounts you can apply for, the fee plans of each and the opening-deposit bounds: the values of the application’s `product` and `openingDeposit`',
        description:
          'The same for every customer and changed only by a release: reuse it for the `max-age` of `Cache-Control`, then revalidate with ' +
          '`If-None-Match` (304 when unchanged).',
        tags: ['applications'],
        response: { 200: ref(ProductCatalogueViewSchema), 304: NotModifiedSchema, ...commonProblemResponses, 429: ProblemSchema },
      },
    },
    async (_request, reply) => reply.header('cache-control', CATALOGUE_CACHE_CONTROL).send(catalogue),
  );
};
