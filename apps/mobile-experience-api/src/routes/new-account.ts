import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { NewAccountFormSchema, NoQuerySchema, StartOnboardingHeadersSchema } from '@bartholomew/contracts-mobile-experience';
import { ref } from '@bartholomew/contracts-onboarding-process';
import { ProblemSchema } from '@bartholomew/contracts-shared';
import { CustomerNotFound } from '@bartholomew/experience-kit';
import { additionalAccountFrom, newAccountFormPointer } from '../onboarding/new-account-form';
import { nextStepOf } from '../onboarding/next-step';
import { NEXT_STEP_VERSIONS, problems, type NextStepVersion } from './responses';

/**
 * Another account for someone who already banks with us: only what is new, then the same "what
 * next" screens as sign-up. Registered once per version, like the sign-up journey.
 */
export const newAccountRoutes: FastifyPluginAsyncTypebox<{ version: NextStepVersion }> = async (app, { version }) => {
  const { answer, operationSuffix, deprecated, note } = NEXT_STEP_VERSIONS[version];
  app.post(
    `/${version}/accounts`,
    {
      schema: {
        operationId: `openAccount${operationSuffix}`,
        deprecated,
        querystring: NoQuerySchema,
        summary: 'Open another account (Idempotency-Key required): only the account, plan and funding bank account — no sign-up form again',
        description:
          'For a signed-in customer; it is opened for their customer record (the newest, if they have several). Not a customer yet → 404 ' +
          'CUSTOMER_NOT_FOUND (the sign-up form is the way in). Answers 202 with the next screen; poll `Location` as after sign-up. ' +
          'A field that breaks a rule checked on arrival → 422 APPLICATION_FIELDS_INVALID naming the field of this form. Resubmitting ' +
          'with the same key never opens a second account. The products and plans to offer are listed at `GET /v1/products`.' +
          note,
        tags: ['onboarding'],
        headers: StartOnboardingHeadersSchema,
        body: ref(NewAccountFormSchema),
        response: { 202: answer, ...problems, 404: ProblemSchema, 409: ProblemSchema, 422: ProblemSchema },
      },
    },
    async (request, reply) => {
      // The Process API lists only this user's customers, and checks again that the one named is theirs.
      const [newest] = await app.process.customerOverviews(request);
      if (!newest) throw new CustomerNotFound();
      const onboarding = await app.process.openAdditionalAccount(
        request,
        newest.customer.customerId,
        additionalAccountFrom(request.body),
        request.headers['idempotency-key'],
        newAccountFormPointer,
      );
      return reply.code(202).header('location', `/${version}/onboardings/${onboarding.id}`).send(nextStepOf(onboarding));
    },
  );
};
