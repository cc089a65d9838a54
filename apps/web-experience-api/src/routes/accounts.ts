import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AccountApplicationFormSchema, ApplicationSchema, NoQuerySchema } from '@bartholomew/contracts-web-experience';
import { ref } from '@bartholomew/contracts-onboarding-process';
import { IdempotentWriteHeadersSchema, ProblemSchema, commonProblemResponses } from '@bartholomew/contracts-shared';
import { CustomerNotFound } from '@bartholomew/experience-kit';
import { applicationView } from '../views/application-view';

/** Another account for someone who already banks with us, applied for with only what is new. */
export const accountRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/v1/accounts',
    {
      schema: {
        operationId: 'applyForAccount',
        querystring: NoQuerySchema,
        summary: 'Apply for another account (Idempotency-Key required): only the product, plan and funding account — no full application again',
        description:
          'For a signed-in customer; the account is opened for their customer record (the newest, if they have several). Not a ' +
          'customer yet → 404 CUSTOMER_NOT_FOUND. Answers 202 with the application; follow it at `Location`. A field that ' +
          'breaks a rule checked on arrival → 422 APPLICATION_FIELDS_INVALID naming the field. The same key and body again → the ' +
          'same application; the same key with another body → 422 IDEMPOTENCY_KEY_REUSED.',
        tags: ['applications'],
        headers: IdempotentWriteHeadersSchema,
        body: ref(AccountApplicationFormSchema),
        response: {
          202: ref(ApplicationSchema),
          ...commonProblemResponses,
          404: ProblemSchema,
          409: ProblemSchema,
          422: ProblemSchema,
          429: ProblemSchema,
          503: ProblemSchema,
        },
      },
    },
    async (request, reply) => {
      // The Process API lists only this user's customers, and checks again that the one named is theirs.
      const [newest] = await app.process.customerOverviews(request);
      if (!newest) throw new CustomerNotFound();
      // The form's fields are the Process API's own, at the same pointers.
      const onboarding = await app.process.openAdditionalAccount(
        request,
        newest.customer.customerId,
        request.body,
        request.headers['idempotency-key'],
      );
      return reply.code(202).header('location', `/v1/applications/${onboarding.id}`).send(applicationView(onboarding));
    },
  );
};
