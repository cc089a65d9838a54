import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  AddPaymentMethodRequestSchema,
  BillingAccountParamsSchema,
  PaymentMethodListSchema,
  PaymentMethodParamsSchema,
  PaymentMethodSchema,
  RecordVerificationRequestSchema,
  schemaRef,
} from '@bartholomew/contracts-billing-system';
import { IdempotentWriteHeadersSchema, ProblemSchema, commonProblemResponses } from '@bartholomew/contracts-shared';
import { IDEMPOTENT_REPLY, sendIdempotentReply } from '@bartholomew/platform/server';

/** ACH payment methods of a billing account. Bank account numbers go in, only their last four come out. */
export const paymentMethodRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/v1/billing-accounts/:billingAccountId/payment-methods',
    {
      schema: {
        ...IDEMPOTENT_REPLY,
        operationId: 'addPaymentMethod',
        summary: 'Add an ACH bank account to an open billing account (Idempotency-Key required)',
        tags: ['payment-methods'],
        headers: IdempotentWriteHeadersSchema,
        params: BillingAccountParamsSchema,
        body: schemaRef(AddPaymentMethodRequestSchema),
        response: {
          201: schemaRef(PaymentMethodSchema),
          ...commonProblemResponses,
          404: ProblemSchema,
          409: ProblemSchema,
          422: ProblemSchema,
        },
      },
    },
    async (request, reply) => {
      const { billingAccountId } = request.params;
      const result = await app.billing.addPaymentMethod(billingAccountId, request.body, {
        callerName: request.caller.name,
        idempotencyKey: request.headers['idempotency-key'],
      });
      return sendIdempotentReply(reply, result, {
        location: `/v1/billing-accounts/${billingAccountId}/payment-methods/${result.body.paymentMethodId}`,
      });
    },
  );

  app.get(
    '/v1/billing-accounts/:billingAccountId/payment-methods',
    {
      schema: {
        operationId: 'listPaymentMethods',
        summary: 'List the payment methods of a billing account',
        tags: ['payment-methods'],
        params: BillingAccountParamsSchema,
        response: { 200: schemaRef(PaymentMethodListSchema), ...commonProblemResponses, 404: ProblemSchema },
      },
    },
    async (request) => ({ items: await app.billing.listPaymentMethods(request.params.billingAccountId) }),
  );

  app.get(
    '/v1/billing-accounts/:billingAccountId/payment-methods/:paymentMethodId',
    {
      schema: {
        operationId: 'getPaymentMethod',
        summary: 'Read one payment method',
        tags: ['payment-methods'],
        params: PaymentMethodParamsSchema,
        response: { 200: schemaRef(PaymentMethodSchema), ...commonProblemResponses, 404: ProblemSchema },
      },
    },
    async (request) => app.billing.getPaymentMethod(request.params.billingAccountId, request.params.paymentMethodId),
  );

  app.post(
    '/v1/billing-accounts/:billingAccountId/payment-methods/:paymentMethodId/verification',
    {
      schema: {
        operationId: 'recordPaymentMethodVerification',
        summary: 'Record the outcome of verifying an unverified payment method (final once recorded)',
        tags: ['payment-methods'],
        params: PaymentMethodParamsSchema,
        body: schemaRef(RecordVerificationRequestSchema),
        response: { 200: schemaRef(PaymentMethodSchema), ...commonProblemResponses, 404: ProblemSchema, 409: ProblemSchema },
      },
    },
    async (request) => app.billing.recordVerification(request.params.billingAccountId, request.params.paymentMethodId, request.body),
  );
};
