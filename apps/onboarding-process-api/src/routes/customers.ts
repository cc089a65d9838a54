import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CustomerOverviewSchema, CustomerParamsSchema, ref } from '@bartholomew/contracts-onboarding-process';
import { ProblemSchema, commonProblemResponses } from '@bartholomew/contracts-shared';
import { EndUserHeadersSchema, requesterOf } from './end-user';

/** The read side the Experience APIs use: one customer's accounts and billing, from both System APIs. */
export const customerRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/v1/customers/:customerId/overview',
    {
      schema: {
        operationId: 'getCustomerOverview',
        summary: 'A customer’s accounts (balances, recent transactions), billing account, plan and masked payment method',
        description:
          'End users see only the customer their onboarding created (anyone else’s: 404). When the billing System API ' +
          'does not answer, the overview is served without billing and `unavailable` says so.',
        tags: ['customers'],
        headers: EndUserHeadersSchema,
        params: CustomerParamsSchema,
        response: { 200: ref(CustomerOverviewSchema), ...commonProblemResponses, 404: ProblemSchema, 503: ProblemSchema },
      },
    },
    async (request) => app.customerOverview.overview(requesterOf(request), request.params.customerId),
  );
};
