import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  NoQuerySchema,
  ConfirmDepositsRequestSchema,
  NextStepAnswerSchema,
  OnboardingFormSchema,
  OnboardingParamsSchema,
  StartOnboardingHeadersSchema,
} from '@bartholomew/contracts-mobile-experience';
import { ref } from '@bartholomew/contracts-onboarding-process';
import { ProblemSchema } from '@bartholomew/contracts-shared';
import { withStaleMarker } from '@bartholomew/experience-kit';
import { applicationFrom, formPointerOf } from '../onboarding/application-form';
import { nextStepOf } from '../onboarding/next-step';
import { problems, readProblems } from './responses';

/**
 * The sign-up journey: submit the form, poll "what next", confirm the micro-deposits. Each answer
 * is the next screen to show, never the Process API's full onboarding.
 */
export const onboardingRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/v1/onboardings',
    {
      schema: {
        operationId: 'startOnboarding',
        querystring: NoQuerySchema,
        summary: 'Submit the sign-up form (Idempotency-Key required: resubmitting with the same key never opens a second application)',
        description:
          'A form that breaks a rule checked on arrival (SSN, routing number, age, plan, deposit, text, date of birth) → 422 ' +
          'APPLICATION_FIELDS_INVALID; each item of `errors` names the form field by JSON Pointer (e.g. `/bank/routingNumber`) with a `code`.',
        tags: ['onboarding'],
        headers: StartOnboardingHeadersSchema,
        body: ref(OnboardingFormSchema),
        response: { 202: ref(NextStepAnswerSchema), ...problems, 409: ProblemSchema, 422: ProblemSchema },
      },
    },
    async (request, reply) => {
      const form = request.body;
      const onboarding = await app.process.startOnboarding(request, applicationFrom(form), request.headers['idempotency-key'], formPointerOf(form));
      return reply.code(202).header('location', `/v1/onboardings/${onboarding.id}`).send(nextStepOf(onboarding));
    },
  );

  app.get(
    '/v1/onboardings/:id',
    {
      schema: {
        operationId: 'getNextStep',
        querystring: NoQuerySchema,
        summary: 'Where the application stands, as the one screen to show next',
        description:
          'Poll while `next` is `processing` (every `pollAfterSeconds`). Send the last `ETag` as `If-None-Match` to get 304 when nothing changed.',
        tags: ['onboarding'],
        params: OnboardingParamsSchema,
        response: { 200: ref(NextStepAnswerSchema), ...readProblems, 404: ProblemSchema },
      },
    },
    async (request) => withStaleMarker(request, nextStepOf(await app.process.getOnboarding(request, request.params.id))),
  );

  app.post(
    '/v1/onboardings/:id/deposits',
    {
      schema: {
        operationId: 'confirmDeposits',
        querystring: NoQuerySchema,
        summary: 'Confirm the two small deposits seen on the bank statement',
        description: 'Wrong amounts → 422 with `attemptsLeft`; none pending → 409; expired → 409.',
        tags: ['onboarding'],
        params: OnboardingParamsSchema,
        body: ref(ConfirmDepositsRequestSchema),
        response: { 200: ref(NextStepAnswerSchema), ...problems, 404: ProblemSchema, 409: ProblemSchema, 422: ProblemSchema },
      },
    },
    async (request) => nextStepOf(await app.process.confirmMicroDeposits(request, request.params.id, request.body.amounts)),
  );
};
