import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CreateCustomerRequestSchema, CustomerParamsSchema, CustomerSchema, ref } from '@bartholomew/contracts-account-system';
import { commonProblemResponses, IdempotentWriteHeadersSchema, ProblemSchema } from '@bartholomew/contracts-shared';
import { created, idempotencyTokenOf } from './idempotent-write';

/** Customers of the bank: created once per SSN, read by id. */
export const customerRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/v1/customers',
    {
      schema: {
        operationId: 'createCustomer',
        summary: 'Create a customer',
        description:
          'Creates the customer record core banking needs before an account can be opened. One customer per SSN: ' +
          'another customer with the same SSN is refused with CUSTOMER_ALREADY_EXISTS. Requires an Idempotency-Key.',
        tags: ['customers'],
        headers: IdempotentWriteHeadersSchema,
        body: ref(CreateCustomerRequestSchema),
        response: { 201: ref(CustomerSchema), ...commonProblemResponses, 409: ProblemSchema, 422: ProblemSchema },
      },
    },
    async (request, reply) => {
      const result = await app.coreBanking.createCustomer(request.body, idempotencyTokenOf(request, 'create-customer', request.body));
      return created(reply, result);
    },
  );

  app.get(
    '/v1/customers/:customerId',
    {
      schema: {
        operationId: 'getCustomer',
        summary: 'Get a customer',
        tags: ['customers'],
        params: CustomerParamsSchema,
        response: { 200: ref(CustomerSchema), ...commonProblemResponses, 404: ProblemSchema },
      },
    },
    async (request) => app.coreBanking.getCustomer(request.params.customerId),
  );
};
