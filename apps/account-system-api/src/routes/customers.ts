import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  CreateCustomerRequestSchema,
  CustomerParamsSchema,
  CustomerSchema,
  CustomerSearchRequestSchema,
  CustomerSearchResultSchema,
  ref,
} from '@bartholomew/contracts-account-system';
import { commonProblemResponses, IdempotentWriteHeadersSchema, ProblemSchema } from '@bartholomew/contracts-shared';
import { IDEMPOTENT_REPLY } from '@bartholomew/platform/server';
import { created, idempotencyTokenOf } from './idempotent-write';
import { KEYED_WRITE_UNAVAILABLE, READ_UNAVAILABLE } from './unavailable';

/** Customers of the bank: created once per SSN, found by SSN, read by id. */
export const customerRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/v1/customers',
    {
      schema: {
        ...IDEMPOTENT_REPLY,
        operationId: 'createCustomer',
        summary: 'Create a customer',
        description:
          'Creates the customer record core banking needs before an account can be opened. One customer per SSN: ' +
          'another customer with the same SSN is refused with CUSTOMER_ALREADY_EXISTS. Requires an Idempotency-Key.' +
          KEYED_WRITE_UNAVAILABLE,
        tags: ['customers'],
        headers: IdempotentWriteHeadersSchema,
        body: ref(CreateCustomerRequestSchema),
        response: { 201: ref(CustomerSchema), ...commonProblemResponses, 409: ProblemSchema, 422: ProblemSchema, 503: ProblemSchema },
      },
    },
    async (request, reply) => {
      const result = await app.coreBanking.createCustomer(request.body, idempotencyTokenOf(request, 'create-customer', request.body));
      return created(reply, result);
    },
  );

  app.post(
    '/v1/customers/search',
    {
      schema: {
        operationId: 'searchCustomers',
        summary: 'Find the customer holding an SSN',
        description:
          'Answers the customer with this SSN (dashed or nine digits) in `items`, or no item when there is none: a returning ' +
          'applicant or an existing customer opening another account is found, never refused for good. A POST so the SSN ' +
          'travels in the body, never in a URL. Reads only: safe to repeat.' +
          READ_UNAVAILABLE,
        tags: ['customers'],
        body: ref(CustomerSearchRequestSchema),
        response: { 200: ref(CustomerSearchResultSchema), ...commonProblemResponses, 503: ProblemSchema },
      },
    },
    async (request) => {
      const customer = await app.coreBanking.findCustomerByTaxId(request.body.taxId);
      return { items: customer ? [customer] : [] };
    },
  );

  app.get(
    '/v1/customers/:customerId',
    {
      schema: {
        operationId: 'getCustomer',
        summary: 'Get a customer',
        description: READ_UNAVAILABLE.trim(),
        tags: ['customers'],
        params: CustomerParamsSchema,
        response: { 200: ref(CustomerSchema), ...commonProblemResponses, 404: ProblemSchema, 503: ProblemSchema },
      },
    },
    async (request) => app.coreBanking.getCustomer(request.params.customerId),
  );
};
