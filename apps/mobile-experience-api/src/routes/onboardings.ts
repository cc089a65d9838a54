import { setTimeout as delay } from 'node:timers/promises';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  NoQuerySchema,
  ConfirmDepositsRequestSchema,
  OnboardingFormSchema,
  OnboardingParamsSchema,
  StartOnboardingHeadersSchema,
  WaitForChangeHeadersSchema,
} from '@bartholomew/contracts-mobile-experience';
import { ONBOARDING_WAIT_MAX_MS, ref } from '@bartholomew/contracts-onboarding-process';
import type { FollowedOnboarding } from '@bartholomew/clients-onboarding-process';
import { ProblemSchema } from '@bartholomew/contracts-shared';
import { entityTag, holdUntil, ifNoneMatchHolds, withStaleMarker } from '@bartholomew/experience-kit';
import { applicationFrom, formPointerOf } from '../onboarding/application-form';
import { nextStepOf } from '../onboarding/next-step';
import { NEXT_STEP_VERSIONS, problems, readProblems, type NextStepVersion } from './responses';

/**
 * The sign-up journey: submit the form, poll "what next", confirm the micro-deposits. Each answer
 * is the next screen to show, never the Process API's full onboarding. Registered once per version
 * (`/v1`, `/v2`): the same answers, described as each version publishes them.
 */
/** While the Process API cannot answer a held read, how often it is asked again (its breaker fails fast meanwhile). */
const FOLLOW_AGAIN_AFTER_MS = 1_000;

export const onboardingRoutes: FastifyPluginAsyncTypebox<{ version: NextStepVersion }> = async (app, { version }) => {
  const { answer, operationSuffix, deprecated, note } = NEXT_STEP_VERSIONS[version];
  app.post(
    `/${version}/onboardings`,
    {
      schema: {
        operationId: `startOnboarding${operationSuffix}`,
        deprecated,
        querystring: NoQuerySchema,
        summary: 'Submit the sign-up form (Idempotency-Key required: resubmitting with the same key never opens a second application)',
        description:
          'A form that breaks a rule checked on arrival (SSN, routing number, age, plan, deposit, text, date of birth) → 422 ' +
          'APPLICATION_FIELDS_INVALID; each item of `errors` names the form field by JSON Pointer (e.g. `/bank/routingNumber`) with a `code`. ' +
          'The products and plans to offer are listed at `GET /v1/products`.' +
          note,
        tags: ['onboarding'],
        headers: StartOnboardingHeadersSchema,
        body: ref(OnboardingFormSchema),
        response: { 202: answer, ...problems, 409: ProblemSchema, 422: ProblemSchema },
      },
    },
    async (request, reply) => {
      const form = request.body;
      const onboarding = await app.process.startOnboarding(request, applicationFrom(form), request.headers['idempotency-key'], formPointerOf(form));
      return reply.code(202).header('location', `/${version}/onboardings/${onboarding.id}`).send(nextStepOf(onboarding));
    },
  );

  app.get(
    `/${version}/onboardings/:id`,
    {
      schema: {
        operationId: `getNextStep${operationSuffix}`,
        deprecated,
        querystring: NoQuerySchema,
        summary: 'Where the application stands, as the one screen to show next',
        description:
          'Poll while `next` is `processing` (every `pollAfterSeconds`). Send the last `ETag` as `If-None-Match` to get 304 when nothing changed. ' +
          'Or follow it with one request in flight: with `If-None-Match` and `Prefer: wait=<seconds>`, the answer is held until the screen ' +
          'changes (200 at once) or the wait is over (304); `Preference-Applied: wait=<seconds>` says the wait granted (less than asked when the request timeout comes first).' +
          note,
        tags: ['onboarding'],
        headers: WaitForChangeHeadersSchema,
        params: OnboardingParamsSchema,
        response: { 200: answer, ...readProblems, 404: ProblemSchema },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const until = holdUntil(request);
      if (until === undefined) return withStaleMarker(request, nextStepOf(await app.process.getOnboarding(request, id)));
      // The wait actually granted: what was asked, or less when the request timeout comes first.
      reply.header('preference-applied', `wait=${Math.ceil((until - Date.now()) / 1000)}`);
      const appHasIt = (screen: object) => ifNoneMatchHolds(request.headers['if-none-match'], entityTag(String(reply.serialize(screen))));
      // Held while the screen is the one the app has: each round waits in the Process API for the
      // onboarding's next change (a step that changes nothing on screen makes another round).
      let processEtag: string | undefined;
      for (;;) {
        const followed: FollowedOnboarding | undefined = await app.process.followOnboarding(
          request,
          id,
          processEtag ? { whileEtag: processEtag, waitMs: Math.min(ONBOARDING_WAIT_MAX_MS, until - Date.now()) } : { waitMs: 0 },
        );
        if (followed) {
          const screen = nextStepOf(followed.onboarding);
          processEtag = followed.etag;
          if (!processEtag || !appHasIt(screen) || until - Date.now() <= 0) return screen;
          continue;
        }
        // The Process API cannot answer now: the usual read, with its last good answer or 503. While
        // that is the screen the app already has, the wait goes on, asking again now and then: a 304
        // at once would only have the app ask again at once, over and over, for the whole outage.
        const screen = withStaleMarker(request, nextStepOf(await app.process.getOnboarding(request, id)));
        processEtag = undefined;
        const remainingMs = until - Date.now();
        if (!appHasIt(screen) || remainingMs <= 0) return screen;
        await delay(Math.min(FOLLOW_AGAIN_AFTER_MS, remainingMs));
      }
    },
  );

  app.post(
    `/${version}/onboardings/:id/deposits`,
    {
      schema: {
        operationId: `confirmDeposits${operationSuffix}`,
        deprecated,
        querystring: NoQuerySchema,
        summary: 'Confirm the two small deposits seen on the bank statement',
        description: 'Wrong amounts → 422 with `attemptsLeft`; none pending → 409; expired → 409.' + note,
        tags: ['onboarding'],
        params: OnboardingParamsSchema,
        body: ref(ConfirmDepositsRequestSchema),
        response: { 200: answer, ...problems, 404: ProblemSchema, 409: ProblemSchema, 422: ProblemSchema },
      },
    },
    async (request) => nextStepOf(await app.process.confirmMicroDeposits(request, request.params.id, request.body.amounts)),
  );
};
