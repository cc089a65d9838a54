import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { NoQuerySchema, NotModifiedSchema, ProductCatalogueSchema } from '@bartholomew/contracts-mobile-experience';
import { ref } from '@bartholomew/contracts-onboarding-process';
import { ProblemSchema, commonProblemResponses } from '@bartholomew/contracts-shared';
import { CATALOGUE_CACHE_CONTROL } from '@bartholomew/experience-kit';
import { productCatalogue } from '../onboarding/product-catalogue';

/** What the sign-up and new-account forms may offer. Answered from the shared catalogue: no call to the Process API. */
export const productRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // The catalogue changes only with a deployment: shaped once.
  const catalogue = productCatalogue();
  app.get(
    '/v1/products',
    {
      schema: {
        operationId: 'listProducts',
        querystring: NoQuerySchema,
        summary:
          'The accounts you can open, the fee plans of each and the opening-deposit bounds: the values of the forms’ `account`, `plan` and `initialDepositCents`',
        description:
          'The same for every customer and changed only by a release: reuse it for the `max-age` of `Cache-Control`, then revalidate with ' +
          '`If-None-Match` (304 when unchanged).',
        tags: ['onboarding'],
        response: { 200: ref(ProductCatalogueSchema), 304: NotModifiedSchema, ...commonProblemResponses, 429: ProblemSchema },
      },
    },
    async (_request, reply) => reply.header('cache-control', CATALOGUE_CACHE_CONTROL).send(catalogue),
  );
};
