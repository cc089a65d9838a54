import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { FeePlanListSchema, FeePlanParamsSchema, FeePlanSchema, schemaRef } from '@bartholomew/contracts-billing-system';
import { ProblemSchema, commonProblemResponses } from '@bartholomew/contracts-shared';

/** The fee catalogue: read-only, seeded by migration. */
export const feePlanRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/v1/fee-plans',
    {
      schema: {
        operationId: 'listFeePlans',
        summary: 'List the fee plans of the catalogue',
        tags: ['fee-plans'],
        response: { 200: schemaRef(FeePlanListSchema), ...commonProblemResponses },
      },
    },
    async () => ({ items: await app.billing.listFeePlans() }),
  );

  app.get(
    '/v1/fee-plans/:planCode',
    {
      schema: {
        operationId: 'getFeePlan',
        summary: 'Read one fee plan',
        tags: ['fee-plans'],
        params: FeePlanParamsSchema,
        response: { 200: schemaRef(FeePlanSchema), ...commonProblemResponses, 404: ProblemSchema },
      },
    },
    async (request) => app.billing.getFeePlan(request.params.planCode),
  );
};
