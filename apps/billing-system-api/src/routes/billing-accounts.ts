import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  BillingAccountListSchema,
  BillingAccountParamsSchema,
  BillingAccountSchema,
  BillingAccountSummaryListSchema,
  BillingAccountsByCustomerQuerySchema,
  ChangeFeePlanRequestSchema,
  OpenBillingAccountRequestSchema,
  schemaRef,
} from '@bartholomew/contracts-billing-system';
import { IdempotentWriteHeadersSchema, ProblemSchema, commonProblemResponses } from '@bartholomew/contracts-shared';
import { IDEMPOTENT_REPLY, sendIdempotentReply } from '@bartholomew/platform/server';

/** Billing accounts: opened once per idempotency key, re-planned while open, closed for good. */
export const billingAccountRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/v1/billing-accounts',
    {
      schema: {
        ...IDEMPOTENT_REPLY,
        operationId: 'openBillingAccount',
        summary: 'Open a billing account for a customer’s deposit account (Idempotency-Key required)',
        tags: ['billing-accounts'],
        headers: IdempotentWriteHeadersSchema,
        body: schemaRef(OpenBillingAccountRequestSchema),
        response: { 201: schemaRef(BillingAccountSchema), ...commonProblemResponses, 409: ProblemSchema, 422: ProblemSchema },
      },
    },
    async (request, reply) => {
      const result = await app.billing.openBillingAccount(request.body, {
        callerName: request.caller.name,
        idempotencyKey: request.headers['idempotency-key'],
      });
      return sendIdempotentReply(reply, result, { location: `/v1/billing-accounts/${result.body.billingAccountId}` });
    },
  );

  app.get(
    '/v1/billing-accounts',
    {
      schema: {
        operationId: 'listBillingAccountsOfCustomer',
        summary: 'List the billing accounts of one customer',
        tags: ['billing-accounts'],
        querystring: BillingAccountsByCustomerQuerySchema,
        response: { 200: schemaRef(BillingAccountListSchema), ...commonProblemResponses },
      },
    },
    async (request) => ({ items: await app.billing.listBillingAccountsOfCustomer(request.query.customerId) }),
  );

  app.get(
    '/v1/billing-account-summaries',
    {
      schema: {
        operationId: 'listBillingAccountSummaries',
        summary: 'List the billing accounts of one customer, each with its payment methods',
        description:
          'What a customer overview needs from billing in one call: the billing accounts (as `GET /v1/billing-accounts`) ' +
          'and the payment methods of each (as `GET /v1/billing-accounts/{billingAccountId}/payment-methods`), instead of a ' +
          'call per billing account. Bank account numbers are masked, as everywhere.',
        tags: ['billing-accounts'],
        querystring: BillingAccountsByCustomerQuerySchema,
        response: { 200: schemaRef(BillingAccountSummaryListSchema), ...commonProblemResponses },
      },
    },
    async (request) => ({ items: await app.billing.listBillingAccountSummaries(request.query.customerId) }),
  );

  app.get(
    '/v1/billing-accounts/:billingAccountId',
    {
      schema: {
        operationId: 'getBillingAccount',
        summary: 'Read one billing account',
        tags: ['billing-accounts'],
        params: BillingAccountParamsSchema,
        response: { 200: schemaRef(BillingAccountSchema), ...commonProblemResponses, 404: ProblemSchema },
      },
    },
    async (request) => app.billing.getBillingAccount(request.params.billingAccountId),
  );

  app.post(
    '/v1/billing-accounts/:billingAccountId/plan',
    {
      schema: {
        operationId: 'changeFeePlan',
        summary: 'Move an open billing account to another fee plan',
        tags: ['billing-accounts'],
        params: BillingAccountParamsSchema,
        body: schemaRef(ChangeFeePlanRequestSchema),
        response: {
          200: schemaRef(BillingAccountSchema),
          ...commonProblemResponses,
          404: ProblemSchema,
          409: ProblemSchema,
          422: ProblemSchema,
        },
      },
    },
    async (request) => app.billing.changeFeePlan(request.params.billingAccountId, request.body.planCode),
  );

  app.post(
    '/v1/billing-accounts/:billingAccountId/close',
    {
      schema: {
        operationId: 'closeBillingAccount',
        summary: 'Close a billing account for good (closing a closed one answers it unchanged)',
        tags: ['billing-accounts'],
        params: BillingAccountParamsSchema,
        response: { 200: schemaRef(BillingAccountSchema), ...commonProblemResponses, 404: ProblemSchema },
      },
    },
    async (request) => app.billing.closeBillingAccount(request.params.billingAccountId),
  );
};
