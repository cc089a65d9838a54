import { createHash } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  ConfirmMicroDepositsRequestSchema,
  GetOnboardingQuerySchema,
  ListOnboardingsQuerySchema,
  OnboardingListSchema,
  OnboardingParamsSchema,
  OnboardingSchema,
  ReviewDecisionRequestSchema,
  type Onboarding,
  StartOnboardingRequestSchema,
  ref,
} from '@bartholomew/contracts-onboarding-process';
import { IdempotencyKeySchema, ProblemSchema, commonProblemResponses } from '@bartholomew/contracts-shared';
import { IDEMPOTENT_REPLY, sendIdempotentReply } from '@bartholomew/platform/server';
import { EndUserRequired, OperatorOnly, OwnerMismatch } from '../errors';
import { END_USER_HEADER, EndUserHeadersSchema, EndUserSubjectSchema, requesterOf } from './end-user';

/** A long poll ends this long before the caller's time budget does, so its answer still reaches the caller. */
const WAIT_ANSWER_MARGIN_MS = 200;

/** A strong validator of everything an onboarding answer says: a follower compares it, nothing else. */
function onboardingEtag(onboarding: Onboarding): string {
  return `"${createHash('sha256').update(JSON.stringify(onboarding)).digest('base64url').slice(0, 27)}"`;
}

const StartOnboardingHeadersSchema = Type.Object({
  'idempotency-key': IdempotencyKeySchema,
  [END_USER_HEADER]: Type.Optional(EndUserSubjectSchema),
});

/**
 * Onboardings: start one (idempotent), follow it, and the two things a person does to it — the
 * applicant confirming micro-deposits, an operator deciding a KYC review.
 */
export const onboardingRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/v1/onboardings',
    {
      schema: {
        ...IDEMPOTENT_REPLY,
        operationId: 'startOnboarding',
        summary: 'Start an onboarding (Idempotency-Key required; x-end-user-subject names the applicant’s identity)',
        description:
          'Accepts the application and answers 202 at once; the workflow runs in the background. ' +
          'Rules that need no vendor are checked first: a never-issued or voided SSN, a routing number with a wrong ABA check digit ' +
          'or routing symbol, an applicant under the age of majority of their state, a date of birth that is not a real past date ' +
          'after 1900, an unknown product or plan (or a plan of another product), a deposit outside the limits, control characters ' +
          'or broken Unicode in a name or address → 422 APPLICATION_FIELDS_INVALID with `errors` naming each field by JSON Pointer. ' +
          'Same key and body again → the original answer; same key, different body → 422; while the first request ' +
          'with the key is still being accepted → 409 (retry).',
        tags: ['onboardings'],
        headers: StartOnboardingHeadersSchema,
        body: ref(StartOnboardingRequestSchema),
        response: { 202: ref(OnboardingSchema), ...commonProblemResponses, 409: ProblemSchema, 422: ProblemSchema },
      },
    },
    async (request, reply) => {
      const requester = requesterOf(request);
      // The owner is recorded on the onboarding: even an operator starts one for a named end user.
      if (!requester.endUser) throw new EndUserRequired();
      const result = await app.onboardings.start({ ...requester, endUser: requester.endUser }, request.headers['idempotency-key'], request.body);
      return sendIdempotentReply(reply, result, { location: `/v1/onboardings/${result.body.id}` });
    },
  );

  app.get(
    '/v1/onboardings',
    {
      schema: {
        operationId: 'listOnboardings',
        summary: 'List one owner’s onboardings, newest first',
        tags: ['onboardings'],
        headers: EndUserHeadersSchema,
        querystring: ListOnboardingsQuerySchema,
        response: { 200: ref(OnboardingListSchema), ...commonProblemResponses },
      },
    },
    async (request) => {
      const requester = requesterOf(request);
      if (!requester.isOperator && request.query.owner !== requester.endUser) throw new OwnerMismatch();
      return app.onboardings.list(request.query);
    },
  );

  app.get(
    '/v1/onboardings/:id',
    {
      schema: {
        operationId: 'getOnboarding',
        summary: 'Read an onboarding: status and step timeline (PII masked)',
        description:
          'Every answer has an `ETag` that changes whenever anything in it does. With `waitWhileEtag` (the one the caller has) and ' +
          '`waitMs`, a long poll: while the onboarding is unchanged the answer is held until it changes or `waitMs` pass (never past ' +
          'the caller’s time budget), then it is answered as it is.',
        tags: ['onboardings'],
        headers: EndUserHeadersSchema,
        params: OnboardingParamsSchema,
        querystring: GetOnboardingQuerySchema,
        response: { 200: ref(OnboardingSchema), ...commonProblemResponses, 404: ProblemSchema },
      },
    },
    async (request, reply) => {
      const requester = requesterOf(request);
      const { waitWhileEtag, waitMs } = request.query;
      const answer = (onboarding: Onboarding) => reply.header('etag', onboardingEtag(onboarding)).send(onboarding);
      if (waitWhileEtag === undefined || waitMs === undefined) return answer(await app.onboardings.get(requester, request.params.id));
      // Watching starts before the read, so a change committed in between is not missed.
      const watch = app.onboardingChanges.subscribe(request.params.id);
      try {
        const onboarding = await app.onboardings.get(requester, request.params.id);
        if (onboardingEtag(onboarding) !== waitWhileEtag) return answer(onboarding);
        const changed = await watch.changed(Math.min(waitMs, request.deadline - Date.now() - WAIT_ANSWER_MARGIN_MS));
        return answer(changed ? await app.onboardings.get(requester, request.params.id) : onboarding);
      } finally {
        watch.end();
      }
    },
  );

  app.post(
    '/v1/onboardings/:id/ach-confirmation',
    {
      schema: {
        operationId: 'confirmMicroDeposits',
        summary: 'Confirm the two micro-deposit amounts (limited attempts)',
        description:
          'Right amounts → the workflow continues. Wrong → 422 with `attemptsRemaining`; with none left the ACH step ' +
          'fails and the onboarding is rejected (MICRO_DEPOSIT_ATTEMPTS_EXCEEDED). Nothing pending → 409; expired → 409.',
        tags: ['onboardings'],
        headers: EndUserHeadersSchema,
        params: OnboardingParamsSchema,
        body: ref(ConfirmMicroDepositsRequestSchema),
        response: { 200: ref(OnboardingSchema), ...commonProblemResponses, 404: ProblemSchema, 409: ProblemSchema, 422: ProblemSchema },
      },
    },
    async (request) => app.onboardings.confirmMicroDeposits(requesterOf(request), request.params.id, request.body.amountsMinor),
  );

  app.post(
    '/v1/onboardings/:id/review',
    {
      schema: {
        operationId: 'decideReview',
        summary: 'Approve or reject an application held for manual KYC review (operators only)',
        tags: ['onboardings'],
        params: OnboardingParamsSchema,
        body: ref(ReviewDecisionRequestSchema),
        response: { 200: ref(OnboardingSchema), ...commonProblemResponses, 404: ProblemSchema, 409: ProblemSchema },
      },
    },
    async (request) => {
      const requester = requesterOf(request);
      if (!requester.isOperator) throw new OperatorOnly();
      return app.onboardings.review(requester, request.params.id, request.body);
    },
  );
};
