import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { NoQuerySchema, ProductCatalogueSchema } from '@bartholomew/contracts-mobile-experience';
import { ref } from '@bartholomew/contracts-onboarding-process';
import { CATALOGUE_CACHE_CONTROL, PRIVATE_DATA_CACHE_CONTROL, withStaleMarker } from '@bartholomew/experience-kit';
import { productCatalogue } from '../onboarding/product-catalogue';
import { readProblems } from './responses';

/** What the sign-up and new-account forms may offer, with each plan's name, description and monthly fee, from the Process API. */
export const productRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/v1/products',
    {
      schema: {
        operationId: 'listProducts',
        querystring: NoQuerySchema,
        summary:
          'The accounts you can open, the fee plans of each (name, description, monthly fee) and the opening-deposit bounds: the values of the forms’ ' +
          '`account`, `plan` and `initialDepositCents`',
        description:
          'The same for every customer and rarely changed: reuse it for the `max-age` of `Cache-Control`, then revalidate with ' +
          '`If-None-Match` (304 when unchanged). Plan names and fees come from the bank’s billing system; when it cannot be asked, ' +
          'the last ones read are served with `stale: true` and `x-stale`, and such an answer is revalidated on each use.',
        tags: ['onboarding'],
        response: { 200: ref(ProductCatalogueSchema), ...readProblems },
      },
    },
    async (request, reply) => {
      const catalogue = productCatalogue(await app.process.listProducts(request));
      // A stale copy must not be reused for an hour: the app asks again next time and gets fresh fees.
      reply.header('cache-control', request.staleAgeMs === undefined ? CATALOGUE_CACHE_CONTROL : PRIVATE_DATA_CACHE_CONTROL);
      return withStaleMarker(request, catalogue);
    },
  );
};
